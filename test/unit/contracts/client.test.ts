// The client validates what comes back: a peer that answers with the wrong shape yields a typed error
// and malformed stream events never reach the page's callback.
import { describe, expect, it } from 'vitest';
import { createClient, type ClientTransport } from '../../../common/transport/client';

const lying: ClientTransport = {
  call: async () => ({ ok: true, value: { version: 42 } }),
  openStream: (_c, _i, onEvent) => {
    onEvent({ index: 'zero' });
    onEvent({ index: 0, total: 1, check: { id: 'node', label: 'Node', status: 'ok', detail: 'v20', durationMs: 1 } });
    return { result: Promise.resolve({ ok: true, value: { nope: true } }), cancel: () => {} };
  },
};

describe('createClient', () => {
  it('turns a malformed result into INTERNAL instead of passing it on', async () => {
    const api = createClient(lying);
    const r = await api.app.status({});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'INTERNAL', message: 'Malformed result from evolve:app.status' });
  });

  it('drops malformed stream events and checks the final result', async () => {
    const events: unknown[] = [];
    const h = createClient(lying).doctor.run({}, (e) => events.push(e));
    expect(events).toHaveLength(1);
    const r = await h.result;
    expect(!r.ok && r.error.code).toBe('INTERNAL');
  });
});
