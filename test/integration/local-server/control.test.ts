// Local server control on the real app services (encrypted store + passphrase keychain): the saved port and the
// keychain token survive an app restart, "start with the app" starts it at unlock, regenerating the token locks the
// old one out at once, and a taken port is a clear error.
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../main/services';
import { startServicesOn } from '../../support/temp-services';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-srv-'));
const open: AppServices[] = [];

/** The app on this file's folder; a second one is the same app restarted. */
async function startApp(): Promise<AppServices> {
  const s = await startServicesOn(root);
  open.push(s);
  return s;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const get = (url: string, token: string) => fetch(`${url}/models`, { headers: { authorization: `Bearer ${token}` } });
/** One retry: after a restart, fetch may first reuse a keep-alive socket the old server closed (as any client would). */
const models = (url: string, token: string) => get(url, token).catch(() => get(url, token));

afterAll(async () => {
  for (const s of open) await s.dispose().catch(() => {});
  fs.rmSync(root, { recursive: true, force: true });
});

describe('local server control', () => {
  it('keeps port, settings and token across an app restart, and starts with the app when asked', async () => {
    const port = await freePort();
    const app1 = await startApp();
    const c1 = app1.providers.server;
    const before = await c1.status();
    expect(before).toMatchObject({ running: false, hasToken: false, settings: { port: 8765, startWithApp: false } });
    await c1.setSettings({ port, startWithApp: true, idleUnloadSeconds: 120 });
    const st = await c1.start();
    expect(st).toMatchObject({ running: true, port, url: `http://127.0.0.1:${port}/v1`, hasToken: true });
    const { token } = await c1.revealToken();
    expect((await models(st.url ?? '', token)).status).toBe(200);
    // The token is in the keychain, not in settings.json or the store's settings.
    const settingsFile = path.join(root, 'data', 'settings.json');
    if (fs.existsSync(settingsFile)) expect(fs.readFileSync(settingsFile, 'utf8')).not.toContain(token);
    await app1.dispose();

    const app2 = await startApp(); // unlock → "start with the app"
    const c2 = app2.providers.server;
    for (let i = 0; i < 100 && !(await c2.status()).running; i++) await new Promise((r) => setTimeout(r, 100));
    const st2 = await c2.status();
    expect(st2).toMatchObject({ running: true, port, settings: { idleUnloadSeconds: 120, startWithApp: true } });
    expect((await c2.revealToken()).token).toBe(token);
    expect((await models(st2.url ?? '', token)).status).toBe(200);

    const fresh = (await c2.regenerateToken()).token;
    expect(fresh).not.toBe(token);
    expect((await models(st2.url ?? '', token)).status).toBe(401);
    expect((await models(st2.url ?? '', fresh)).status).toBe(200);
    await c2.stop();
  }, 120_000);

  it('reports a taken port clearly and keeps the reason in the status', async () => {
    const app = open.at(-1) ?? (await startApp());
    await app.providers.server.stop();
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      await app.providers.server.setSettings({ port });
      await expect(app.providers.server.start()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/in use/) });
      expect((await app.providers.server.status()).lastError).toMatch(/in use/);
      await expect(app.providers.server.setSettings({ port: 80 })).rejects.toMatchObject({ name: 'ZodError' });
      // A key sent as undefined keeps its saved value (it used to replace it and fail as INTERNAL).
      expect((await app.providers.server.setSettings({ port: undefined, startWithApp: undefined })).settings.port).toBe(port);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  }, 60_000);
});
