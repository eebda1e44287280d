// Round-trip test for every channel: a valid input goes through the client API (createClient) over an
// in-process wire pipe to the real dispatcher and services, and comes back parsed by the contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAINS, listChannels } from '../../../common/contracts';
import type { ClientMessage, ServerMessage } from '../../../common/contracts/wire';
import { createClient } from '../../../common/transport/client';
import { WireClient, type MessagePipe } from '../../../common/transport/wire-client';
import { WireSession } from '../../../main/ipc/wire-session';
import { EXPECTED_ERRORS, OPEN_ENDED_STREAMS, VALID_INPUTS, ensureSampleFolders, prepareSamples } from '../../support/contract-samples';
import { startTempServices, type TempServices } from '../../support/temp-services';
import { throughJson } from '../../support/fuzz';

async function waitFor(cond: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let t: TempServices;
let session: WireSession;
let api: ReturnType<typeof createClient>;

beforeAll(async () => {
  ensureSampleFolders();
  t = await startTempServices();
  await prepareSamples(t.services);
  // Messages cross as JSON, exactly as over the host's WebSocket.
  let toClient: (m: unknown) => void = () => {};
  session = new WireSession(t.dispatcher, (m: ServerMessage) => queueMicrotask(() => toClient(throughJson(m))));
  const pipe: MessagePipe = {
    send: (m: ClientMessage) => queueMicrotask(() => session.receive(throughJson(m))),
    onMessage: (cb) => (toClient = cb),
    onClose: () => {},
  };
  api = createClient(new WireClient(pipe));
  // Preparing the samples starts the real inference worker (it reads the sample model's metadata).
}, 120_000);
afterAll(() => t?.cleanup());

describe('contract round trips', () => {
  it('has a valid sample input for every channel', () => {
    const channels = listChannels(DOMAINS).map((c) => c.channel);
    expect(channels.filter((c) => !(c in VALID_INPUTS))).toEqual([]);
    expect(
      t.dispatcher
        .channels()
        .map((c) => c.channel)
        .sort(),
    ).toEqual([...channels].sort());
  });

  for (const entry of listChannels(DOMAINS)) {
    it(`${entry.channel} round-trips a valid input`, async () => {
      const domain = (api as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[entry.domain];
      const fn = domain?.[entry.verb];
      expect(typeof fn).toBe('function');
      const expected = EXPECTED_ERRORS[entry.channel];
      if (entry.spec.kind === 'call') {
        const r = (await fn?.(VALID_INPUTS[entry.channel])) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
        if (expected && !r.ok) {
          expect(expected, r.error?.message).toContain(r.error?.code);
          return;
        }
        expect(r.ok, r.error?.message).toBe(true);
        expect(entry.spec.output.safeParse(r.value).success).toBe(true);
        return;
      }
      const events: unknown[] = [];
      const handle = fn?.(VALID_INPUTS[entry.channel], (e: unknown) => events.push(e)) as {
        result: Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
        cancel(): void;
      };
      if (OPEN_ENDED_STREAMS.has(entry.channel)) {
        // Events published before the subscription exists are not replayed: wait until it is live.
        await waitFor(() => t.services.events.subscriberCount > 0);
        t.services.events.publish({ type: 'worker-ready', worker: 'probe' });
        await new Promise((r) => setTimeout(r, 20));
        t.services.events.publish({ type: 'navigate', section: 'models' });
        t.services.events.publish({ type: 'notification', title: 'Training job failed', body: 'node lost' });
        await new Promise((r) => setTimeout(r, 20));
        handle.cancel();
        const r = await handle.result;
        // Unsubscribing ends the subscription normally, reporting how many events it delivered.
        expect(r).toEqual({ ok: true, value: { delivered: 3 } });
        expect(events).toEqual([
          { type: 'worker-ready', worker: 'probe' },
          { type: 'navigate', section: 'models' },
          { type: 'notification', title: 'Training job failed', body: 'node lost' },
        ]);
        return;
      }
      const r = await handle.result;
      if (expected && !r.ok) {
        expect(expected).toContain(r.error?.code);
        return;
      }
      expect(r.ok).toBe(true);
      expect(entry.spec.output.safeParse(r.value).success).toBe(true);
      for (const e of events) expect(entry.spec.event.safeParse(e).success).toBe(true);
    });
  }

  it('settings.update persists and settings.get reads it back', async () => {
    const u = await api.settings.update({ theme: 'light', lastSection: 'cluster' });
    expect(u.ok && u.value.theme).toBe('light');
    const g = await api.settings.get({});
    expect(g.ok && g.value).toMatchObject({ theme: 'light', lastSection: 'cluster' });
  });

  it('app.status reports real values', async () => {
    const r = await api.app.status({});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.platform).toBe(process.platform);
    expect(r.value.versions.node).toBe(process.versions.node);
    expect(r.value.dataDir.startsWith(t.root)).toBe(true);
    expect(r.value.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('opens the encrypted store and audits unlocks and settings changes, with a verifiable chain', async () => {
    const st = await api.store.status({});
    expect(st.ok && st.value).toMatchObject({ state: 'ready', backend: 'passphrase' });
    // A real change either way (the samples above already set it, and store.restore rolled the log back to a backup).
    await api.settings.update({ offlineOnly: true });
    await api.settings.update({ offlineOnly: false });
    const rows = await api.audit.list({});
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.value.map((r) => r.kind)).toContain('unlock');
    expect(rows.value.some((r) => r.kind === 'settings.change' && JSON.stringify(r.data).includes('offlineOnly'))).toBe(true);
    const v = await api.audit.verify({});
    expect(v.ok && v.value.ok).toBe(true);
  });

  it('hands the first-run recovery key out exactly once', async () => {
    const fresh = await startTempServices();
    try {
      const first = fresh.services.store.takeRecoveryKey();
      expect(first).toMatch(/\w{4,}(-\w{4,})+/);
      expect(fresh.services.store.takeRecoveryKey()).toBeNull();
    } finally {
      await fresh.cleanup();
    }
  });
});
