// Waiting for a context sequence after an eviction: node-llama-cpp hands a disposed sequence's id back asynchronously.
import type { LlamaContext } from 'node-llama-cpp';
import { EvolveError } from '../../common/errors';

/**
 * Resolves once `context` has a free sequence. The id of a disposed sequence returns under the context's lock (after its
 * KV cells are cleared), and a generating sequence's batch decode holds that lock, so `getSequence` right after an
 * eviction threw "No sequences left". Bounded: a lock held that long means a stuck context, reported as such.
 */
export async function sequenceFreed(context: LlamaContext, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (context.sequencesLeft === 0) {
    if (performance.now() > deadline)
      throw new EvolveError('RESOURCE_EXHAUSTED', `No free sequence for ${what} after evicting an idle one`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
