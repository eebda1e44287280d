// Redaction in the worker thread: same result as the engine, main's event loop keeps running meanwhile, the 8 MiB
// limit (accepted at the limit, RESOURCE_EXHAUSTED above it), and a thread that overruns is replaced.
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_REDACTION_INPUT_BYTES, Redactor } from '../../../main/services/redaction/redactor';
import { WorkerRedactor } from '../../../main/services/redaction/worker-redactor';

const fakeKey = ['sk', 'FAKEfake0000FAKEfake0000FAKEfake0000'].join('-');
const caught = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
};

describe('WorkerRedactor', () => {
  const r = new WorkerRedactor();
  afterAll(() => r.close());

  it('returns exactly what the engine returns', async () => {
    const input = {
      messages: [
        { role: 'system' as const, content: `key ${fakeKey}` },
        { role: 'user' as const, content: `password = "hunter2-FAKE" for ops@example.com and ${fakeKey}` },
      ],
      prompt: 'connect to 10.1.2.3',
    };
    const viaWorker = await r.preview(input);
    expect(viaWorker).toEqual(new Redactor().preview(input));
    expect(viaWorker.messages?.[1]?.content).toBe('password = "[REDACTED_PASSWORD_1]" for [REDACTED_EMAIL_1] and [REDACTED_OPENAI_KEY_1]');
    expect(r.threadId).not.toBeNull();
  });

  it('keeps main responsive: the event loop runs while a large request is redacted', async () => {
    const line = `token = "FAKE-${'x'.repeat(20)}" user a_b@example.com\n`;
    const big = line.repeat(Math.floor((4 * 1024 * 1024) / line.length));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const pv = await r.preview({ prompt: big });
    clearInterval(timer);
    expect(pv.counts.SECRET).toBeGreaterThan(1000);
    // With redaction on the main thread no timer could fire until it returned.
    expect(ticks).toBeGreaterThan(0);
  });

  it('accepts a request of exactly 8 MiB and refuses one byte more, naming the limit', async () => {
    expect(MAX_REDACTION_INPUT_BYTES).toBe(8 * 1024 * 1024);
    const atLimit = 'a'.repeat(MAX_REDACTION_INPUT_BYTES - 10);
    const pv = await r.preview({ messages: [{ role: 'user', content: atLimit }], prompt: '0123456789' });
    expect(pv.messages?.[0]?.content.length).toBe(atLimit.length);
    const over = await caught(r.preview({ messages: [{ role: 'user', content: atLimit }], prompt: '0123456789X' }));
    expect(over.code).toBe('RESOURCE_EXHAUSTED');
    expect(over.message).toMatch(/8 MiB/);
    // Counted in UTF-8 bytes, not characters: 3-byte characters reach the limit at a third of the length.
    const euros = '€'.repeat(Math.floor(MAX_REDACTION_INPUT_BYTES / 3) + 1);
    expect((await caught(r.preview({ prompt: euros }))).code).toBe('RESOURCE_EXHAUSTED');
  });

  it('the sync engine enforces the same limit (the worker cannot be handed more)', () => {
    expect(() => new Redactor().redactText('a'.repeat(MAX_REDACTION_INPUT_BYTES + 1))).toThrow(/8 MiB/);
  });

  it('fails closed with TIMEOUT when a request overruns, and the next request gets a fresh thread', async () => {
    const slow = new WorkerRedactor({ timeoutMs: 1 });
    try {
      await slow.preview({ prompt: 'warm' }).catch(() => undefined);
      const e = await caught(slow.preview({ prompt: 'password = "hunter2-FAKE"\n'.repeat(200_000) }));
      expect(e.code).toBe('TIMEOUT');
      expect(e.message).toMatch(/nothing was sent/);
      expect(slow.threadId).toBeNull();
    } finally {
      await slow.close();
    }
    const again = new WorkerRedactor({ timeoutMs: 30_000 });
    try {
      expect((await again.preview({ prompt: `k ${fakeKey}` })).prompt).toBe('k [REDACTED_OPENAI_KEY_1]');
    } finally {
      await again.close();
    }
  });
});
