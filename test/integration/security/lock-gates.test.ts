// The app lock's gates with the real services (real store, real AppLockService, real local API server over HTTP,
// real browser host socket): while the app is locked the local server answers 503 app_locked to every token, the
// host socket refuses data calls with a typed UNAUTHENTICATED and the CLI gate refuses without the lock passphrase;
// after unlock all of them serve again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../../../common/transport/wire-client';
import { CLI_LOCKED_MESSAGE, unlockForCli } from '../../../main/cli/lock-gate';
import { APP_LOCKED_MESSAGE } from '../../../main/host/lock-gate';
import { startHost, type RunningHost } from '../../../main/host/server';
import { startTempServices, type TempServices } from '../../support/temp-services';

const LOCK_PASSPHRASE = 'gate test lock passphrase';

let t: TempServices;
let host: RunningHost;
let origin: string;
let apiToken: string;
let recoveryKey: string | null;

beforeAll(async () => {
  t = await startTempServices();
  recoveryKey = t.services.store.takeRecoveryKey();
  const rendererDir = path.join(t.root, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Evolve</title>');
  host = await startHost({ dispatcher: t.dispatcher, rendererDir, isLocked: () => t.services.appLock.isLocked() });
  const server = await t.services.providers.server.start({ port: 0 });
  origin = `http://127.0.0.1:${server.port}`;
  apiToken = (await t.services.providers.server.tokens.create({ name: 'gate', scopes: ['models'], rateLimitPerMin: null })).token;
  await t.services.appLock.enable({ passphrase: LOCK_PASSPHRASE, idleMinutes: 0 });
});

afterAll(async () => {
  await host?.close();
  await t?.cleanup();
});

const models = () => fetch(`${origin}/v1/models`, { headers: { Authorization: `Bearer ${apiToken}` } });

async function socketClient() {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike)));
}

describe('app lock gates (real services)', () => {
  it('the local API server answers 503 app_locked while locked and serves again after unlock', async () => {
    expect((await models()).status).toBe(200);
    await t.services.appLock.lock();
    const r = await models();
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: { code: 'app_locked' } });
    await t.services.appLock.unlock({ passphrase: LOCK_PASSPHRASE });
    expect((await models()).status).toBe(200);
  });

  it('the browser host socket refuses data calls while locked, lets the lock screen unlock, then serves again', async () => {
    const client = await socketClient();
    expect((await client.projects.list({})).ok).toBe(true);
    expect((await client.appLock.lock({})).ok).toBe(true);
    expect(t.services.appLock.isLocked()).toBe(true);
    const refused = await client.projects.list({});
    expect(refused).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: APP_LOCKED_MESSAGE, details: { appLocked: true } } });
    // A stream is refused as well: its end carries the error and no event arrives.
    let events = 0;
    const backup = await client.store.backup({}, () => events++).result;
    expect(!backup.ok && backup.error.code).toBe('UNAUTHENTICATED');
    expect(events).toBe(0);
    const status = await client.appLock.status({});
    expect(status.ok && status.value.locked).toBe(true);
    const wrong = await client.appLock.unlock({ passphrase: 'not the lock passphrase' });
    expect(!wrong.ok && wrong.error.code).toBe('UNAUTHENTICATED');
    const unlocked = await client.appLock.unlock({ passphrase: LOCK_PASSPHRASE });
    expect(unlocked.ok && unlocked.value.locked).toBe(false);
    expect((await client.projects.list({})).ok).toBe(true);
  });

  it('the CLI gate refuses while locked without the lock passphrase or with a wrong one, and unlocks with it', async () => {
    await t.services.appLock.lock();
    expect(t.services.store.ready).toBe(false);
    await expect(unlockForCli(t.services.appLock, {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: CLI_LOCKED_MESSAGE });
    await expect(unlockForCli(t.services.appLock, { EVOLVE_LOCK_PASSPHRASE: 'not the lock passphrase' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^Could not unlock Evolve Studio: /),
    });
    expect(t.services.appLock.isLocked()).toBe(true);
    await unlockForCli(t.services.appLock, { EVOLVE_LOCK_PASSPHRASE: LOCK_PASSPHRASE });
    expect(t.services.appLock.isLocked()).toBe(false);
    expect(t.services.store.ready).toBe(true);
    // Unlocked: the gate lets the command through without asking.
    await unlockForCli(t.services.appLock, {});
  });

  it('the recovery key still opens a locked app through the host socket (a forgotten lock passphrase)', async () => {
    expect(recoveryKey).toBeTruthy();
    const client = await socketClient();
    expect((await client.appLock.lock({})).ok).toBe(true);
    expect(!(await client.projects.list({})).ok).toBe(true);
    const r = await client.store.unlockWithRecoveryKey({ recoveryKey: recoveryKey ?? '' });
    expect(r.ok && r.value.state).toBe('ready');
    await expect.poll(() => t.services.appLock.isLocked()).toBe(false);
    const status = await client.appLock.status({});
    expect(status.ok && status.value).toMatchObject({ enabled: true, locked: false });
    expect((await client.projects.list({})).ok).toBe(true);
  });
});
