// Builds the real main-process services on temporary directories (no module patching), plus cleanup.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../../main/ipc';
import type { Dispatcher } from '../../main/ipc/dispatcher';
import { createAppServices, type AppServices } from '../../main/services';
import { CHECKS } from '../../main/services/doctor/checks';
import { PassphraseKeychain } from '../../native/keychain/passphrase-keychain';

export interface TempServices {
  services: AppServices;
  dispatcher: Dispatcher;
  root: string;
  logs: { level: string; msg: string }[];
  cleanup(): Promise<void>;
}

/**
 * Real services on a temp dir; the doctor runs only quick, real checks so fuzzing stays fast. The store's
 * key lives in a real passphrase keychain (the OS keychain is exercised by the store's own tests).
 */
export async function startTempServices(opts: { quickChecks?: boolean } = {}): Promise<TempServices> {
  const t = makeTempServices(opts);
  await t.services.start();
  return t;
}

export function makeTempServices(opts: { quickChecks?: boolean } = {}): TempServices {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-test-'));
  const logs: { level: string; msg: string }[] = [];
  const quick = CHECKS.filter((c) => ['node', 'data-dir', 'model-cache'].includes(c.id));
  const services = createAppServices({
    mode: 'host',
    paths: { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models') },
    log: (level, msg) => logs.push({ level, msg }),
    doctorChecks: opts.quickChecks === false ? undefined : quick,
    keychain: () => PassphraseKeychain.unlock(path.join(root, 'test-keychain.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
  });
  return {
    services,
    dispatcher: createDispatcher(services),
    root,
    logs,
    cleanup: async () => {
      await services.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The app's services on a fixed folder, started: a second call on the same folder is the same app restarted (the
 * store, keychain and settings carry over). No doctor checks. The caller disposes it.
 */
export async function startServicesOn(root: string): Promise<AppServices> {
  const services = createAppServices({
    mode: 'host',
    paths: { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models') },
    doctorChecks: [],
    keychain: () => PassphraseKeychain.unlock(path.join(root, 'keychain.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
  });
  await services.start();
  return services;
}

export const ctx = (signal: AbortSignal = new AbortController().signal) => ({ transport: 'host' as const, signal });
