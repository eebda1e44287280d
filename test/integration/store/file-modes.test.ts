// The app's data files are private to the user: the data dir 0700, and evolve.db, its -wal/-shm, backups, key files
// and settings 0600 — also after an earlier version left them 0644. And an earlier version's models.json is moved
// into the encrypted store at the first unlock. Real services, real DB worker, temp dirs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../main/services';
import { CHECKS } from '../../../main/services/doctor/checks';
import { JsonFileModelRepository } from '../../../main/services/models/repository';
import { modelIdFor } from '../../../main/services/models/registry';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';
import { writeTinyGguf } from '../../fixtures/models/tiny-gguf';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-modes-'));
const dataDir = path.join(root, 'data');
let services: AppServices | undefined;
afterAll(async () => {
  await services?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

async function startServices(): Promise<AppServices> {
  const s = createAppServices({
    mode: 'host',
    paths: { dataDir, modelCacheDir: path.join(root, 'models') },
    doctorChecks: CHECKS.filter((c) => c.id === 'node'),
    // The keychain file sits next to the data dir: it is the OS keychain's stand-in, not one of the app's files.
    keychain: () => PassphraseKeychain.unlock(path.join(root, 'keychain.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
  });
  await s.start();
  expect(s.store.status().state).toBe('ready');
  return s;
}

/** Every file under `dir` with its permission bits, as "0600 relative/path". */
function modes(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    out.push(`${(fs.statSync(p).mode & 0o777).toString(8).padStart(4, '0')} ${path.relative(dir, p)}`);
  }
  return out.sort();
}
const dirMode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8);

describe('data file modes', () => {
  it('creates the data dir 0700 and every file in it 0600', async () => {
    services = await startServices();
    await services.settings.update({ theme: 'dark' });
    const t = await services.store.client.call('thread.create', { title: 'modes' });
    await services.store.client.call('message.append', { threadId: t.id, role: 'user', content: 'hello' });
    const backup = path.join(dataDir, 'backups', 'manual.db');
    fs.mkdirSync(path.dirname(backup), { recursive: true });
    await services.store.client.backup(backup);
    const files = modes(dataDir);
    const names = files.map((f) => f.slice(5));
    for (const f of ['evolve.db', 'evolve.db-wal', 'settings.json', path.join('backups', 'manual.db')]) expect(names).toContain(f);
    expect(files.filter((f) => !f.startsWith('0600 '))).toEqual([]);
    expect(dirMode(dataDir)).toBe('700');
  });

  it('tightens a database and data dir an earlier version left readable, and imports its models.json', async () => {
    await services?.dispose();
    services = undefined;
    fs.chmodSync(path.join(dataDir, 'evolve.db'), 0o644);
    fs.chmodSync(dataDir, 0o755);
    const gguf = path.join(root, 'elsewhere', 'tiny.gguf');
    fs.mkdirSync(path.dirname(gguf), { recursive: true });
    writeTinyGguf(gguf);
    const id = modelIdFor(fs.realpathSync(gguf));
    const legacy = path.join(dataDir, 'models.json');
    await new JsonFileModelRepository(legacy).saveAll([
      { id, path: fs.realpathSync(gguf), displayName: 'Legacy tiny', source: 'imported', sizeBytes: 1, mtimeMs: 1, addedAt: 42 },
    ]);
    services = await startServices();
    expect(dirMode(dataDir)).toBe('700');
    const registry = await services.localAi.registry();
    expect(registry.get(id)).toMatchObject({ displayName: 'Legacy tiny', addedAt: 42 });
    expect(fs.existsSync(legacy)).toBe(false);
    expect((await services.store.client.call('model.list', {})).map((r) => r.id)).toContain(id);
    expect(modes(dataDir).filter((f) => !f.startsWith('0600 '))).toEqual([]);
  });
});
