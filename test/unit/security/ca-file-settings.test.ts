// Where the user sets a CA file, through the same dispatcher the renderer calls (real services on a temp dir): a
// provider's CA file, the Slack webhook's and the model downloads' round-trip, and an unreadable or non-PEM file is
// refused as INVALID_ARGUMENT when it is saved — nothing stored, never silently "no CA". The TLS handshakes themselves
// (refused without the CA, working with it) are in test/integration/security/tls-clients.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationState } from '../../../common/contracts/notifications';
import type { ProviderEntry } from '../../../common/contracts/providers';
import type { Settings } from '../../../common/contracts/settings';
import { ProviderConfigSchema } from '../../../common/providers/config';
import { AppProviders } from '../../../main/services/providers/app-providers';
import { InferenceClientEngine } from '../../../main/services/providers/local-engine';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
let goodCa = '';
let notPem = '';
let missing = '';

const call = <T>(channel: string, input: unknown) =>
  t.dispatcher.call(channel, input, ctx()) as Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;

beforeAll(async () => {
  t = await startTempServices();
  // Offline-only would refuse the gateway before its CA file is looked at.
  await t.services.settings.update({ offlineOnly: false });
  // A real PEM certificate without running openssl: one of Node's bundled roots.
  goodCa = path.join(t.root, 'company-ca.pem');
  fs.writeFileSync(goodCa, tls.rootCertificates[0] ?? '');
  notPem = path.join(t.root, 'not.pem');
  fs.writeFileSync(notPem, 'hello');
  missing = path.join(t.root, 'missing.pem');
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

describe('provider CA file (Providers → provider form → CA file)', () => {
  const gateway = (id: string, caFile: string) => ({
    config: { id, kind: 'openai-compatible', label: id, baseUrl: 'https://gateway.example.com/v1', caFile },
  });

  it('is stored with the provider and listed back', async () => {
    const r = await call<ProviderEntry>('evolve:providers.upsert', gateway('gw', goodCa));
    expect(r).toMatchObject({ ok: true, value: { config: { id: 'gw', caFile: goodCa } } });
    const list = await call<ProviderEntry[]>('evolve:providers.list', {});
    expect(list.ok && list.value.find((e) => e.config.id === 'gw')?.config).toMatchObject({ caFile: goodCa });
  });

  it.each([
    ['unreadable', () => missing, /Cannot read the CA file/],
    ['not PEM', () => notPem, /holds no PEM certificate/],
  ])('an %s file is refused with INVALID_ARGUMENT and nothing is stored', async (_what, file, message) => {
    const r = await call<ProviderEntry>('evolve:providers.upsert', gateway('gw-bad', file()));
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) } });
    const list = await call<ProviderEntry[]>('evolve:providers.list', {});
    expect(list.ok && list.value.map((e) => e.config.id)).not.toContain('gw-bad');
  });

  it('the CA file survives a restart; one gone by then leaves the provider listed, and Test names the file', async () => {
    const moved = path.join(t.root, 'moved-ca.pem');
    fs.copyFileSync(goodCa, moved);
    expect(await call<ProviderEntry>('evolve:providers.upsert', gateway('gw-moved', moved))).toMatchObject({ ok: true });
    fs.rmSync(moved);
    // A restart: a fresh instance loads the stored configs.
    const logs: string[] = [];
    const again = new AppProviders({
      store: t.services.store,
      settings: t.services.settings,
      resourcesDir: path.join(t.services.info.rootDir, 'resources'),
      localEngine: new InferenceClientEngine(t.services.localAi.client),
      log: (_l, m) => logs.push(m),
    });
    // The CA file's path survived the restart in the encrypted store (it used to be dropped there).
    expect((await again.list()).find((e) => e.config.id === 'gw-moved')?.config).toMatchObject({ caFile: moved });
    expect(await again.test('gw-moved', new AbortController().signal)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^INVALID_ARGUMENT: Cannot read the CA file .*moved-ca\.pem/),
    });
    expect(logs.join('\n')).toMatch(/provider gw-moved cannot be used: Cannot read the CA file/);
    // Fixed in the form: saved with a readable file, it works again.
    expect(await again.upsert(ProviderConfigSchema.parse(gateway('gw-moved', goodCa).config), undefined, false)).toMatchObject({
      config: { caFile: goodCa },
    });
  });
});

describe('model download CA file (Models → Downloads)', () => {
  it('defaults to none, is saved, refused when unreadable (keeping the saved one), and cleared with null', async () => {
    const get = async () => {
      const r = await call<Settings>('evolve:settings.get', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.modelDownloadCaFile;
    };
    expect(await get()).toBeNull();
    expect(await call<Settings>('evolve:settings.update', { modelDownloadCaFile: goodCa })).toMatchObject({
      ok: true,
      value: { modelDownloadCaFile: goodCa },
    });
    for (const bad of [missing, notPem])
      expect(await call<Settings>('evolve:settings.update', { modelDownloadCaFile: bad })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
    expect(await get()).toBe(goodCa);
    expect(await call<Settings>('evolve:settings.update', { modelDownloadCaFile: null })).toMatchObject({ ok: true });
    expect(await get()).toBeNull();
  });
});

describe('Slack webhook CA file (Settings → Notifications → Slack)', () => {
  it('round-trips with the notification settings', async () => {
    const settings = { ...DEFAULT_NOTIFICATION_SETTINGS, slack: { enabled: false, caFile: goodCa } };
    expect(await call<NotificationState>('evolve:notifications.set', { settings })).toMatchObject({ ok: true });
    const r = await call<NotificationState>('evolve:notifications.get', {});
    expect(r).toMatchObject({ ok: true, value: { settings: { slack: { caFile: goodCa } } } });
  });
});
