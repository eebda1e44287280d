// WireSession: protocol errors answered by id, duplicate ids refused, cancel and disconnect stop streams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../common/contracts/wire';
import { WireSession } from '../../../main/ipc/wire-session';
import { startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
beforeAll(async () => {
  t = await startTempServices();
});
afterAll(() => t.cleanup());

function session() {
  const out: ServerMessage[] = [];
  const s = new WireSession(t.dispatcher, (m) => out.push(m));
  return { s, out };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('WireSession', () => {
  it('answers a malformed message that carries an id, ignores one that does not', async () => {
    const { s, out } = session();
    s.receive({ t: 'call', id: 7, channel: 123 });
    s.receive({ nonsense: true });
    s.receive('not even an object');
    await settle();
    expect(out).toEqual([{ t: 'result', id: 7, result: { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Malformed message' } } }]);
  });

  it('refuses a second request with an id that is still open', async () => {
    const { s, out } = session();
    s.receive({ t: 'open', id: 1, channel: 'evolve:app.events', input: {} });
    s.receive({ t: 'call', id: 1, channel: 'evolve:app.status', input: {} });
    await settle();
    expect(out[0]).toMatchObject({ t: 'result', id: 1, result: { ok: false, error: { code: 'CONFLICT' } } });
    s.receive({ t: 'cancel', id: 1 });
    await settle();
    expect(out.at(-1)).toMatchObject({ t: 'end', id: 1, result: { ok: true, value: { delivered: 0 } } });
    expect(s.openCount).toBe(0);
  });

  it('unsubscribes everything when the client goes away', async () => {
    const { s } = session();
    s.receive({ t: 'open', id: 1, channel: 'evolve:app.events', input: {} });
    s.receive({ t: 'open', id: 2, channel: 'evolve:app.events', input: {} });
    await settle();
    expect(t.services.events.subscriberCount).toBe(2);
    s.close();
    await settle();
    expect(t.services.events.subscriberCount).toBe(0);
  });

  it('holds events back when the client stops acking (backpressure) and resumes on ack', async () => {
    const { s, out } = session();
    s.receive({ t: 'open', id: 3, channel: 'evolve:app.events', input: {} });
    await settle();
    for (let i = 0; i < 100; i += 1) t.services.events.publish({ type: 'worker-ready', worker: `w${i}` });
    await settle();
    const events = () => out.filter((m) => m.t === 'event').length;
    expect(events()).toBe(64);
    s.receive({ t: 'ack', id: 3, n: 16 });
    await settle();
    expect(events()).toBe(80);
    s.receive({ t: 'ack', id: 3, n: 64 });
    await settle();
    expect(events()).toBe(100);
    s.close();
  });
});
