// Unit: message lists for send / regenerate / edit-and-resend.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../common/inference/engine';
import { editAndResendMessages, regenerateMessages, sendMessages } from '../../../main/services/chat/turns';

const h: ChatMessage[] = [
  { role: 'system', content: 'sys' },
  { role: 'user', content: 'q1' },
  { role: 'assistant', content: 'a1' },
  { role: 'user', content: 'q2' },
  { role: 'assistant', content: 'a2' },
];

describe('chat turns', () => {
  it('send appends the user message and replaces the system prompt when one is given', () => {
    expect(sendMessages(h, 'q3').at(-1)).toEqual({ role: 'user', content: 'q3' });
    expect(sendMessages(h, 'q3')[0]).toEqual({ role: 'system', content: 'sys' });
    const s = sendMessages(h, 'q3', 'new sys');
    expect(s.filter((m) => m.role === 'system')).toEqual([{ role: 'system', content: 'new sys' }]);
    expect(() => sendMessages(h, '   ')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('regenerate drops the last answer', () => {
    expect(regenerateMessages(h).map((m) => m.content)).toEqual(['sys', 'q1', 'a1', 'q2']);
    expect(regenerateMessages(h.slice(0, 4))).toHaveLength(4);
    expect(() => regenerateMessages([{ role: 'system', content: 's' }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('edit-and-resend replaces a user message and drops what followed', () => {
    expect(editAndResendMessages(h, 1, 'q1 edited').map((m) => m.content)).toEqual(['sys', 'q1 edited']);
    expect(() => editAndResendMessages(h, 2, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => editAndResendMessages(h, 9, 'x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
