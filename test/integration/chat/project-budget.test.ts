// Per-project budgets on routed chat turns, over the full contract path against the OpenAI wire-format FIXTURE:
// a thread's project reaches the router's budget check (a project over budget is refused, nothing is sent,
// while another project and a thread without one are answered), usage is recorded under the project, and
// after a restart the per-project spend is seeded from the store so the refusal still holds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc';
import type { Dispatcher } from '../../../main/ipc/dispatcher';
import { createAppServices, type AppServices } from '../../../main/services';
import { CHECKS } from '../../../main/services/doctor/checks';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import type { FixtureServer } from '../../fixtures/providers/fixture-server';
import { startOpenAIFixture } from '../../fixtures/providers/openai-fixture';
import { ctx } from '../../support/temp-services';

const KEY = 'sk-fixture-project-budget-0123456789';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-project-budget-'));
let fixture: FixtureServer;
let services: AppServices | undefined;
let dispatcher: Dispatcher;
const threads: Record<'a' | 'b' | 'none', string> = { a: '', b: '', none: '' };

async function start(): Promise<void> {
  services = createAppServices({
    mode: 'host',
    paths: { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models') },
    doctorChecks: CHECKS.filter((c) => c.id === 'node'),
    keychain: () => PassphraseKeychain.unlock(path.join(root, 'keychain.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
  });
  await services.start();
  dispatcher = createDispatcher(services);
}

async function send(threadId: string): Promise<{ ok: boolean; message: string }> {
  const r = await dispatcher.stream(
    'evolve:chat.send',
    { threadId, modelId: 'route:generate', action: 'send', text: 'Say hello.', sampling: { maxTokens: 16 } },
    ctx(),
    async () => {},
  );
  return r.ok ? { ok: true, message: '' } : { ok: false, message: r.error.message };
}

async function createThread(projectId: string | null): Promise<string> {
  const r = await dispatcher.call('evolve:chat.createThread', { title: `thread of ${projectId ?? 'no project'}`, projectId }, ctx());
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { id: string }).id;
}

beforeAll(async () => {
  ({ server: fixture } = await startOpenAIFixture({ apiKey: KEY, reply: 'Hello from the fixture.' }));
  await start();
  const s = services!;
  await s.settings.update({ offlineOnly: false });
  await s.providers.upsert(
    { id: 'cloud', kind: 'openai', label: 'Cloud', enabled: true, baseUrl: `${fixture.url}/v1`, defaultModel: 'gpt-4o-mini' },
    KEY,
    false,
  );
  await s.providers.setRoutes({ generate: [{ providerId: 'cloud', model: 'gpt-4o-mini' }] });
  for (const id of ['proj-a', 'proj-b']) await s.store.client.call('project.create', { id, name: id });
  threads.a = await createThread('proj-a');
  threads.b = await createThread('proj-b');
  threads.none = await createThread(null);
}, 60_000);

afterAll(async () => {
  await services?.dispose();
  await fixture?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('per-project budgets on routed chat', () => {
  it('refuses the project with no budget left and sends nothing, while another project and no project are answered', async () => {
    await services!.providers.setBudgets({ perProjectDailyUsd: { 'proj-a': 0 } });
    const before = fixture.requests.length;
    const refused = await send(threads.a);
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain('budget-project');
    expect(fixture.requests.length).toBe(before);
    expect(await send(threads.b)).toEqual({ ok: true, message: '' });
    expect(await send(threads.none)).toEqual({ ok: true, message: '' });
    expect(fixture.requests.length).toBe(before + 2);
  });

  it('records usage under the thread’s project', async () => {
    const since = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const rows = await services!.store.client.call('usage.byProject', { since });
    const cost = (p: string | null) => rows.find((r) => r.projectId === p)?.costUsd ?? 0;
    expect(cost('proj-b')).toBeGreaterThan(0);
    expect(cost(null)).toBeGreaterThan(0);
    expect(cost('proj-a')).toBe(0);
  });

  it('still refuses a project at its limit after a restart (spend seeded per project), and only that project', async () => {
    const since = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const spentB = (await services!.store.client.call('usage.byProject', { since })).find((r) => r.projectId === 'proj-b')!.costUsd;
    await services!.providers.setBudgets({ perProjectDailyUsd: { 'proj-a': 0, 'proj-b': spentB } });
    await services!.dispose();
    services = undefined;
    await start();
    const refused = await send(threads.b);
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain('budget-project');
    expect(await send(threads.none)).toEqual({ ok: true, message: '' });
  });
});
