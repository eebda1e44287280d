// Unit: context-window accounting — fits, typed overflow errors with counts, visible opt-in truncation.
import { describe, expect, it } from 'vitest';
import { fitToContext } from '../../../common/inference/context-window';
import type { ChatMessage } from '../../../common/inference/engine';

// One token per character plus 2 per message: easy to reason about.
const count = (ms: readonly ChatMessage[]) => ms.reduce((n, m) => n + m.content.length + 2, 0);
const msg = (role: ChatMessage['role'], n: number): ChatMessage => ({ role, content: 'x'.repeat(n) });

describe('fitToContext', () => {
  it('passes through what fits, with the prompt count', () => {
    const messages = [msg('system', 8), msg('user', 10)];
    expect(fitToContext({ messages, contextSize: 100, maxTokens: 50, policy: 'error', countTokens: count })).toEqual({
      messages,
      promptTokens: 22,
      droppedMessages: [],
      droppedTokens: 0,
    });
  });

  it('overflow with policy error → RESOURCE_EXHAUSTED with counts and a max-tokens suggestion', () => {
    const messages = [msg('user', 58)];
    expect(() => fitToContext({ messages, contextSize: 100, maxTokens: 50, policy: 'error', countTokens: count })).toThrow(
      expect.objectContaining({
        code: 'RESOURCE_EXHAUSTED',
        details: expect.objectContaining({ promptTokens: 60, maxTokens: 50, contextSize: 100, overBy: 10 }),
        message: expect.stringMatching(/Lower max tokens to 40/),
      }),
    );
  });

  it('a prompt larger than the whole window suggests a new thread or a larger context', () => {
    expect(() =>
      fitToContext({ messages: [msg('user', 200)], contextSize: 100, maxTokens: 1, policy: 'error', countTokens: count }),
    ).toThrow(/new thread/);
  });

  it('truncate-oldest drops the oldest turns (question with its answer), never the system prompt or the last message', () => {
    const messages = [msg('system', 8), msg('user', 30), msg('assistant', 30), msg('user', 20), msg('assistant', 5), msg('user', 10)];
    const out = fitToContext({ messages, contextSize: 100, maxTokens: 30, policy: 'truncate-oldest', countTokens: count });
    expect(out.droppedMessages).toEqual([1, 2]);
    expect(out.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(out.promptTokens).toBe(51);
    expect(out.droppedTokens).toBe(64);
    expect(out.promptTokens + 30).toBeLessThanOrEqual(100);
  });

  it('truncate-oldest still errors when the system prompt plus the last message alone do not fit', () => {
    const messages = [msg('system', 50), msg('user', 10), msg('user', 40)];
    expect(() => fitToContext({ messages, contextSize: 100, maxTokens: 20, policy: 'truncate-oldest', countTokens: count })).toThrow(
      expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }),
    );
  });
});
