// Runs one provider call with a first-byte timeout, a total timeout and the caller's cancel, yielding its events.
import { EvolveError } from '../../../common/errors';
import type { CallOptions, Provider } from '../../../common/providers/provider';
import type { ChatEvent, ChatMessage, GenerationParams } from '../../../common/providers/types';
import { toProviderError } from '../providers/provider-errors';

export interface AttemptInput {
  provider: Provider;
  model: string;
  messages?: ChatMessage[];
  prompt?: string;
  params: GenerationParams;
  firstByteMs: number;
  totalMs: number;
  signal?: AbortSignal;
}

export type AttemptEvent = ChatEvent | { type: 'first-byte'; ttftMs: number };

/** Waits for the next item but gives up as soon as `signal` aborts, even if the provider ignores its signal. */
async function nextOrAbort<T>(it: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T>> {
  if (signal.aborted) throw new EvolveError('CANCELLED', 'aborted');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new EvolveError('CANCELLED', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([it.next(), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

export async function* runAttempt(a: AttemptInput): AsyncGenerator<AttemptEvent> {
  // The provider's SDK loads on first use: that happens before the timers, which measure the vendor's latency only.
  try {
    await a.provider.prepare?.();
  } catch (e) {
    throw toProviderError(e, a.provider.id);
  }
  const ctl = new AbortController();
  let timedOut: 'first-byte' | 'total' | null = null;
  const onCallerAbort = () => ctl.abort();
  a.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (a.signal?.aborted) ctl.abort();
  const t0 = performance.now();
  let firstByteTimer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timedOut = 'first-byte';
    ctl.abort();
  }, a.firstByteMs);
  const totalTimer = setTimeout(() => {
    timedOut = 'total';
    ctl.abort();
  }, a.totalMs);
  const opts: CallOptions = { signal: ctl.signal };
  const stream = a.messages
    ? a.provider.chat({ model: a.model, messages: a.messages, ...a.params }, opts)
    : a.provider.complete({ model: a.model, prompt: a.prompt ?? '', ...a.params }, opts);
  const it = stream[Symbol.asyncIterator]();
  let sawFirst = false;
  try {
    for (;;) {
      const r = await nextOrAbort(it, ctl.signal);
      if (r.done) break;
      if (!sawFirst) {
        sawFirst = true;
        clearTimeout(firstByteTimer);
        firstByteTimer = undefined;
        yield { type: 'first-byte', ttftMs: performance.now() - t0 };
      }
      yield r.value;
    }
  } catch (e) {
    if (timedOut === 'first-byte') {
      throw new EvolveError('TIMEOUT', `${a.provider.id} sent nothing within ${a.firstByteMs} ms`, {
        providerId: a.provider.id,
        retryable: true,
        timeout: 'first-byte',
      });
    }
    if (timedOut === 'total') {
      throw new EvolveError('TIMEOUT', `${a.provider.id} did not finish within ${a.totalMs} ms`, {
        providerId: a.provider.id,
        retryable: true,
        timeout: 'total',
      });
    }
    if (a.signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled by the user', { providerId: a.provider.id, retryable: false });
    throw toProviderError(e, a.provider.id);
  } finally {
    clearTimeout(firstByteTimer);
    clearTimeout(totalTimer);
    a.signal?.removeEventListener('abort', onCallerAbort);
    // Close the provider stream without waiting: a hung provider must not hold the router.
    if (ctl.signal.aborted || !sawFirst) void it.return?.()?.catch(() => undefined);
  }
}
