// Named API tokens through the whole app (real services, passphrase keychain, encrypted store, IPC dispatcher): the
// `apiTokens` contract creates a token once, the app's local server honours its scopes, a restarted app still knows
// it (stored, reloaded at start), and a revocation through the contract refuses it at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc';
import type { AppServices } from '../../../main/services';
import { ctx, startServicesOn } from '../../support/temp-services';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-tokens-app-'));
const open: AppServices[] = [];

/** The app on this file's folder; a second one is the same app restarted. */
async function startApp(): Promise<AppServices> {
  const s = await startServicesOn(root);
  open.push(s);
  return s;
}

afterAll(async () => {
  for (const s of open) await s.dispose().catch(() => {});
  fs.rmSync(root, { recursive: true, force: true });
});

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

describe('API tokens in the app', () => {
  it('contract create → server honours scopes → survives a restart → contract revoke refuses it', async () => {
    const app1 = await startApp();
    const d1 = createDispatcher(app1);
    const created = (await d1.call('evolve:apiTokens.create', { name: 'editor', scopes: ['models'], rateLimitPerMin: 100 }, ctx())) as {
      ok: true;
      value: { token: string; info: { id: string } };
    };
    expect(created.ok).toBe(true);
    const { token, info } = created.value;
    const st = await app1.providers.server.start({ port: 0 });
    const origin = (st.url ?? '').replace(/\/v1$/, '');
    expect((await get(`${origin}/v1/models`, token)).status).toBe(200);
    const chat = await fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(403);
    const listed = (await d1.call('evolve:apiTokens.list', {}, ctx())) as { ok: true; value: unknown[] };
    expect(JSON.stringify(listed.value)).not.toContain(token.slice(5));
    await app1.dispose();

    const app2 = await startApp();
    const d2 = createDispatcher(app2);
    const st2 = await app2.providers.server.start({ port: 0 });
    const origin2 = (st2.url ?? '').replace(/\/v1$/, '');
    expect((await get(`${origin2}/v1/models`, token)).status).toBe(200);
    expect(await d2.call('evolve:apiTokens.revoke', { id: info.id }, ctx())).toMatchObject({ ok: true });
    expect((await get(`${origin2}/v1/models`, token)).status).toBe(401);
    // Malformed input is refused at the boundary, typed.
    expect(await d2.call('evolve:apiTokens.create', { name: 'x', scopes: ['admin'] }, ctx())).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    const rows = await app2.store.client.call('audit.list', { kinds: ['api.request.denied'], limit: 100 });
    expect(rows.map((r) => (r.data as { reason: string }).reason)).toEqual(['scope', 'revoked']);
    await app2.providers.server.stop();
  }, 120_000);
});
