// Where the app keeps its data and model files, per platform, overridable by environment for tests and CI.
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
