// A doctor CheckContext for tests: temp dirs for the paths, this checkout as the root, no Electron.
import os from 'node:os';
import path from 'node:path';
import type { CheckContext } from '../../main/services/doctor/checks';

export function doctorContext(opts: { env?: NodeJS.ProcessEnv; modelCacheDir?: string } = {}): CheckContext {
  return {
    paths: { dataDir: os.tmpdir(), modelCacheDir: opts.modelCacheDir ?? os.tmpdir(), logsDir: os.tmpdir() },
    rootDir: path.resolve(__dirname, '../..'),
    electronVersion: null,
    env: opts.env ?? process.env,
  };
}
