// runAttempt awaits Provider.prepare (a cloud SDK loaded on first use) before its timers start, so a slow first load is
// never reported as the vendor's first-byte timeout; a failed load is a typed provider error and nothing is sent.
import { describe, expect, it } from 'vitest';
import { isEvolveError } from '../../../common/errors';
import type { CallOptions } from '../../../common/providers/provider';
import type { ChatEvent, ChatRequest } from '../../../common/providers/types';
import { runAttempt, type AttemptEvent } from '../../../main/services/router/attempt';
import { ScriptedProvider } from '../../fixtures/providers/scripted-provider';

/** A scripted provider whose SDK "loads" for `loadMs` (or fails to), logging the order of prepare and the call. */
class LazySdkProvider extends ScriptedProvider {
  readonly log: string[] = [];
  constructor(
    private readonly loadMs: number,
    private readonly loadError?: Error,
  ) {
    super('lazy', 'openai', true);
  }
  async prepare(): Promise<void> {
    this.log.push('prepare:start');
    await new Promise((r) => setTimeout(r, this.loadMs));
    if (this.loadError) throw this.loadError;
    this.log.push('prepare:end');
  }
  override chat(req: ChatRequest, opts?: CallOptions): AsyncIterable<ChatEvent> {
    this.log.push('chat');
    return super.chat(req, opts);
  }
}

const attempt = (provider: LazySdkProvider, firstByteMs: number) =>
  runAttempt({ provider, model: 'm', messages: [{ role: 'user', content: 'hi' }], params: {}, firstByteMs, totalMs: firstByteMs * 2 });

async function collect(it: AsyncIterable<AttemptEvent>): Promise<AttemptEvent[]> {
  const out: AttemptEvent[] = [];
  for await (const ev of it) out.push(ev);
  return out;
}

describe('runAttempt and Provider.prepare', () => {
  it('a load longer than the first-byte and total timeouts is not counted against the provider', async () => {
    const p = new LazySdkProvider(150);
    const events = await collect(attempt(p, 50));
    expect(p.log).toEqual(['prepare:start', 'prepare:end', 'chat']);
    expect(events.map((e) => e.type)).toEqual(['first-byte', 'delta', 'done']);
  });

  it('a failed load is a typed provider error and the call is never made', async () => {
    const p = new LazySdkProvider(1, new Error("Cannot find module 'openai'"));
    const err = await collect(attempt(p, 1000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isEvolveError(err) && err.details).toMatchObject({ providerId: 'lazy' });
    expect(p.log).toEqual(['prepare:start']);
  });
});
