// Tool calls and tool results in chat history: results attach to their call by id (so the model's template renders
// them), the assistant response with the calls is continued after the results, and inconsistent input is refused.
import { describe, expect, it } from 'vitest';
import { fitToContext } from '../../../common/inference/context-window';
import type { EngineMessage } from '../../../common/inference/engine';
import { toChatHistory } from '../../../native/inference/prompt';

const call = (id: string, name = 'get_weather', args = '{"city":"Paris"}') => ({ id, name, arguments: args });

describe('toChatHistory with tools', () => {
  it('attaches each result to its call and continues that model response', () => {
    const h = toChatHistory([
      { role: 'user', content: 'weather in Paris and Rome?' },
      { role: 'assistant', content: '', toolCalls: [call('c1'), call('c2', 'get_weather', '{"city":"Rome"}')] },
      { role: 'tool', toolCallId: 'c2', content: 'sunny' },
      { role: 'tool', toolCallId: 'c1', content: '{"temp": 17}' },
    ]);
    expect(h).toEqual([
      { type: 'user', text: 'weather in Paris and Rome?' },
      {
        type: 'model',
        response: [
          { type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: { temp: 17 } },
          { type: 'functionCall', name: 'get_weather', params: { city: 'Rome' }, result: 'sunny' },
        ],
      },
    ]);
  });

  it('refuses a result for an unknown call, a call left unanswered, and arguments that are not JSON', () => {
    const bad: EngineMessage[][] = [
      [
        { role: 'user', content: 'x' },
        { role: 'tool', toolCallId: 'nope', content: 'r' },
      ],
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: '', toolCalls: [call('c1')] },
        { role: 'user', content: 'never mind' },
      ],
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: '', toolCalls: [call('c1', 'f', '{broken')] },
        { role: 'tool', toolCallId: 'c1', content: 'r' },
      ],
      [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: '', toolCalls: [call('c1')] },
        { role: 'tool', toolCallId: 'c1', content: 'r' },
        { role: 'tool', toolCallId: 'c1', content: 'again' },
      ],
    ];
    for (const msgs of bad) expect(() => toChatHistory(msgs)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('drops tool results together with the call they answer when truncating', () => {
    const messages: EngineMessage[] = [
      { role: 'user', content: 'old question' },
      { role: 'assistant', content: '', toolCalls: [call('c1')] },
      { role: 'tool', toolCallId: 'c1', content: 'old result' },
      { role: 'user', content: 'new question' },
    ];
    const fit = fitToContext({
      messages,
      contextSize: 100,
      maxTokens: 10,
      policy: 'truncate-oldest',
      countTokens: (m) => m.length * 30,
    });
    expect(fit.droppedMessages).toEqual([0, 1, 2]);
    expect(fit.messages).toEqual([{ role: 'user', content: 'new question' }]);
  });
});
