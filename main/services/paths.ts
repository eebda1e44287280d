// Where the app keeps its data and model files, per platform, overridable by environment for tests and CI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface AppPaths {
  dataDir: string;
  modelCacheDir: string;
  logsDir: string;
}

/** Per-platform data dir (what Electron's `userData` would be), unless EVOLVE_DATA_DIR is set. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.EVOLVE_DATA_DIR) return path.resolve(env.EVOLVE_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Evolve Studio');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Evolve Studio');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'evolve-studio');
}

/** Model files are large and re-creatable, so they live in the cache dir, shared by every profile. */
export function defaultModelCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.EVOLVE_MODEL_CACHE) return path.resolve(env.EVOLVE_MODEL_CACHE);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Evolve Studio', 'models');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Evolve Studio', 'models');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'evolve-studio', 'models');
}

export function resolvePaths(overrides: Partial<AppPaths> = {}, env: NodeJS.ProcessEnv = process.env): AppPaths {
  const dataDir = overrides.dataDir ?? defaultDataDir(env);
  return {
    dataDir,
    modelCacheDir: overrides.modelCacheDir ?? defaultModelCacheDir(env),
    logsDir: overrides.logsDir ?? path.join(dataDir, 'logs'),
  };
}

/**
 * Creates the data dir readable by its owner only (0700). An existing one is tightened only when it holds our
 * database (left open by an earlier version): EVOLVE_DATA_DIR may name a folder we do not own the permissions of.
 */
export function makePrivateDir(dir: string): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  }
  const mode = fs.statSync(dir).mode & 0o777;
  if (mode & 0o077 && fs.existsSync(path.join(dir, 'evolve.db'))) fs.chmodSync(dir, mode & 0o700);
}
