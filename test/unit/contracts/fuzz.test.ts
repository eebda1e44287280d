// Malformed-input test for every channel: ≥ 1,000 hostile payloads through the real dispatcher; each
// must come back as a typed error value (INVALID_ARGUMENT when the schema rejects it), never a throw,
// never INTERNAL, and the app must still answer normally afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../common/errors';
import type { Result } from '../../../common/result';
import { OPEN_ENDED_STREAMS, VALID_INPUTS, ensureSampleFolders } from '../../support/contract-samples';
import { malformedPayloads, throughJson } from '../../support/fuzz';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

const PER_CHANNEL = 200;

let t: TempServices;
beforeAll(async () => {
  ensureSampleFolders();
  t = await startTempServices();
});
afterAll(() => t.cleanup());

async function send(channel: string, input: unknown): Promise<Result<unknown>> {
  const kind = t.dispatcher.kindOf(channel);
  if (kind === 'call') return t.dispatcher.call(channel, input, ctx());
  const ac = new AbortController();
  const pending = t.dispatcher.stream(channel, input, ctx(ac.signal), async () => {});
  // Subscriptions never end on their own: cancel them once they have had a moment to start.
  if (OPEN_ENDED_STREAMS.has(channel)) setTimeout(() => ac.abort(), 5);
  return pending;
}

describe('malformed payloads on every channel', () => {
  it(`answers ${PER_CHANNEL} hostile payloads per channel with typed errors only`, async () => {
    const channels = t.dispatcher.channels();
    let total = 0;
    let rejected = 0;
    for (const [i, { channel, spec }] of channels.entries()) {
      const payloads = malformedPayloads(VALID_INPUTS[channel], PER_CHANNEL, 1000 + i);
      for (const [j, raw] of payloads.entries()) {
        // Half go in as they are (preload/structured clone), half as a JSON transport delivers them.
        const payload = j % 2 === 0 ? raw : throughJson(raw);
        const shouldReject = !spec.input.safeParse(payload).success;
        const r = await send(channel, payload);
        total += 1;
        if (r.ok) {
          expect(shouldReject, `${channel} accepted an invalid payload`).toBe(false);
          continue;
        }
        expect(ERROR_CODES).toContain(r.error.code);
        expect(r.error.code, `${channel}: ${r.error.message}`).not.toBe('INTERNAL');
        expect(typeof r.error.message).toBe('string');
        if (shouldReject) {
          expect(r.error.code, `${channel}: ${r.error.message}`).toBe('INVALID_ARGUMENT');
          rejected += 1;
        }
      }
    }
    expect(total).toBeGreaterThanOrEqual(1000);
    // The generator must really be hostile: most payloads are invalid.
    expect(rejected / total).toBeGreaterThan(0.8);
    expect(t.logs.filter((l) => l.level === 'error')).toEqual([]);
    // Still healthy afterwards.
    const status = await t.dispatcher.call('evolve:app.status', {}, ctx());
    expect(status.ok).toBe(true);
  }, 120_000);

  it('rejects unknown channels and calls of the wrong kind with typed errors', async () => {
    for (const bad of ['evolve:nope.nothing', '', 42, null, {}, 'evolve:app.status\u0000', '__proto__', 'constructor']) {
      const r = await t.dispatcher.call(bad, {}, ctx());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('NOT_FOUND');
    }
    const wrongKind = await t.dispatcher.call('evolve:doctor.run', {}, ctx());
    expect(!wrongKind.ok && wrongKind.error.code).toBe('INVALID_ARGUMENT');
    const wrongKind2 = await t.dispatcher.stream('evolve:app.status', {}, ctx(), async () => {});
    expect(!wrongKind2.ok && wrongKind2.error.code).toBe('INVALID_ARGUMENT');
  });
});
