// The browser host listens and serves the page before the services have started (the store opening runs alongside
// the page load); contract calls that arrive earlier wait for the start instead of seeing a half-opened store.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../../../common/transport/wire-client';
import { startHost, type RunningHost } from '../../../main/host/server';
import { makeTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices | undefined;
let host: RunningHost | undefined;
afterEach(async () => {
  await host?.close();
  await t?.cleanup();
  host = undefined;
  t = undefined;
});

async function hostWithGate(ready: Promise<unknown>): Promise<{ t: TempServices; host: RunningHost }> {
  t = makeTempServices();
  const rendererDir = path.join(t.root, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Evolve</title>');
  host = await startHost({ dispatcher: t.dispatcher, rendererDir, ready });
  return { t, host };
}

function getPage(h: RunningHost): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: h.port, path: '/', headers: { Cookie: `evolve_token=${h.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

async function api(h: RunningHost) {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?token=${h.token}`, { headers: { Origin: `http://127.0.0.1:${h.port}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike)));
}

describe('browser host before the services have started', () => {
  it('serves the page at once and answers the first call with the store state after the start', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { t: s, host: h } = await hostWithGate(gate.then(() => s.services.start()));
    expect(await getPage(h)).toBe(200);
    const client = await api(h);
    let answered = false;
    const first = client.store.status({}).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 150));
    expect(answered).toBe(false); // waiting, not answered with the half-opened 'starting' state
    expect(s.services.store.status().state).toBe('starting');
    release();
    const status = await first;
    expect(status.ok && status.value.state).toBe('ready');
  });

  it('a failed start still answers calls (typed values from the services), it does not hang them', async () => {
    const { host: h } = await hostWithGate(Promise.reject(new Error('keychain exploded')));
    const client = await api(h);
    const status = await client.store.status({});
    expect(status.ok && status.value.state).toBe('starting');
    const app = await client.app.status({});
    expect(app.ok && app.value.mode).toBe('host');
  });
});
