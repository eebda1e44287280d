// Dispatcher behaviour: typed errors for handler failures, outputs stripped to the contract, stream
// events validated, cancellation reported as CANCELLED.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, defineDomain, stream } from '../../../common/contracts/define';
import { EvolveError } from '../../../common/errors';
import { Dispatcher } from '../../../main/ipc/dispatcher';
import { implement } from '../../../main/ipc/handlers';
import { ctx } from '../../support/temp-services';

const demo = defineDomain('demo', {
  echo: call({ input: z.object({ text: z.string().max(10) }).strict(), output: z.object({ text: z.string() }), doc: 'echo' }),
  leaky: call({ input: z.object({}).strict(), output: z.object({ name: z.string() }), doc: 'returns extra fields' }),
  broken: call({ input: z.object({}).strict(), output: z.object({ n: z.number() }), doc: 'returns the wrong shape' }),
  fails: call({ input: z.object({ how: z.enum(['typed', 'plain']) }).strict(), output: z.null(), doc: 'throws' }),
  count: stream({
    input: z.object({ to: z.number().int().min(0).max(1000) }).strict(),
    event: z.object({ i: z.number() }),
    output: z.object({ done: z.number() }),
    doc: 'counts',
  }),
});

function make(log: unknown[] = []) {
  return new Dispatcher(
    [
      implement(demo, {
        echo: ({ text }) => ({ text }),
        leaky: () => ({ name: 'ok', apiKey: 'sk-secret-value' }) as { name: string },
        broken: () => ({ n: 'not a number' }) as unknown as { n: number },
        fails: ({ how }) => {
          if (how === 'typed') throw new EvolveError('NOT_FOUND', 'no such thing');
          throw new Error('kaboom');
        },
        count: async ({ to }, c, sink) => {
          for (let i = 0; i < to; i += 1) await sink.emit({ i });
          if (c.signal.aborted) throw new Error('aborted');
          return { done: to };
        },
      }),
    ],
    (...a) => log.push(a),
  );
}

describe('Dispatcher', () => {
  it('parses inputs and explains what is wrong', async () => {
    const d = make();
    expect(await d.call('evolve:demo.echo', { text: 'hi' }, ctx())).toEqual({ ok: true, value: { text: 'hi' } });
    const r = await d.call('evolve:demo.echo', { text: 'far too long text' }, ctx());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ARGUMENT');
      expect(r.error.message).toContain('text');
    }
    const extra = await d.call('evolve:demo.echo', { text: 'a', more: 1 }, ctx());
    expect(!extra.ok && extra.error.code).toBe('INVALID_ARGUMENT');
  });

  it('strips fields the contract does not declare, so nothing undeclared leaves main', async () => {
    const r = await make().call('evolve:demo.leaky', {}, ctx());
    expect(r).toEqual({ ok: true, value: { name: 'ok' } });
  });

  it('turns a malformed handler result into INTERNAL and logs it', async () => {
    const log: unknown[] = [];
    const r = await make(log).call('evolve:demo.broken', {}, ctx());
    expect(!r.ok && r.error.code).toBe('INTERNAL');
    expect(log.length).toBeGreaterThan(0);
  });

  it('passes typed errors through and wraps plain ones as INTERNAL', async () => {
    const d = make();
    expect(await d.call('evolve:demo.fails', { how: 'typed' }, ctx())).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such thing' },
    });
    const plain = await d.call('evolve:demo.fails', { how: 'plain' }, ctx());
    expect(plain).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'kaboom' } });
  });

  it('streams validated events and the final result', async () => {
    const events: unknown[] = [];
    const r = await make().stream('evolve:demo.count', { to: 3 }, ctx(), async (e) => void events.push(e));
    expect(events).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(r).toEqual({ ok: true, value: { done: 3 } });
  });

  it('reports a cancelled stream as CANCELLED and stops emitting', async () => {
    const ac = new AbortController();
    const events: unknown[] = [];
    const r = await make().stream('evolve:demo.count', { to: 1000 }, ctx(ac.signal), async (e) => {
      events.push(e);
      if (events.length === 5) ac.abort();
    });
    expect(!r.ok && r.error.code).toBe('CANCELLED');
    expect(events.length).toBe(5);
  });
});
