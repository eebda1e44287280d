// Runs the real browser host (`evolve serve --port 0 --json`) as a child process for E2E tests, in fresh
// temporary data/model/home directories, and stops it (and removes them) afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RENDERER_INDEX = path.join(REPO_ROOT, 'out', 'renderer', 'index.html');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

/** Fails with a readable message when the app has not been built (E2E tests run the built output). */
export function requireBuiltApp(): void {
  const missing = [RENDERER_INDEX, path.join(REPO_ROOT, 'out', 'main', 'cli.cjs')].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `E2E tests need the built app, but ${missing.map((f) => path.relative(REPO_ROOT, f)).join(' and ')} ` +
        `${missing.length > 1 ? 'are' : 'is'} missing: run \`node scripts/build.mjs\` (or \`npm run build\`) first.`,
    );
  }
}

/** A fresh temporary directory tree for one test run: data/, models/ and home/ under one root. */
export interface TempDirs {
  root: string;
  dataDir: string;
  modelCacheDir: string;
  home: string;
  remove(): void;
}

export function makeTempDirs(prefix = 'evolve-e2e-'): TempDirs {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models'), home: path.join(root, 'home') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return { root, ...dirs, remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 3 }) };
}

export interface HostProcess {
  /** http://127.0.0.1:<port>/ — without the token. */
  url: string;
  /** The URL with `?token=…`: what a user opens. */
  launchUrl: string;
  port: number;
  token: string;
  dirs: TempDirs;
  child: ChildProcess;
  /** Everything the host wrote to stderr so far (warnings, errors). */
  stderr(): string;
  /** SIGTERM (graceful), SIGKILL after a grace period; resolves with the exit code or signal. */
  stop(): Promise<string>;
}

export interface StartHostOptions {
  /** Extra environment for the host (EVOLVE_DATA_DIR / EVOLVE_MODEL_CACHE / HOME are set to temp dirs). */
  env?: NodeJS.ProcessEnv;
  /** Extra CLI arguments after `serve --port 0 --json`. */
  args?: string[];
  /** How long to wait for the `listening` line. */
  timeoutMs?: number;
  dirs?: TempDirs;
}

interface ListeningLine {
  event: 'listening';
  url: string;
  launchUrl: string;
  port: number;
}

function isListening(v: unknown): v is ListeningLine {
  const o = v as Partial<ListeningLine> | null;
  return typeof o === 'object' && o !== null && o.event === 'listening' && typeof o.launchUrl === 'string' && typeof o.port === 'number';
}

/** Spawns `node bin/evolve.cjs serve --port 0 --json` and resolves once it printed its listening line. */
export async function startHost(opts: StartHostOptions = {}): Promise<HostProcess> {
  requireBuiltApp();
  const dirs = opts.dirs ?? makeTempDirs();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'evolve.cjs'), 'serve', '--port', '0', '--json', ...(opts.args ?? [])],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        EVOLVE_DATA_DIR: dirs.dataDir,
        EVOLVE_MODEL_CACHE: dirs.modelCacheDir,
        HOME: dirs.home,
        // Deterministic store unlock: a passphrase, whatever keyring the machine has.
        EVOLVE_KEYCHAIN: 'passphrase',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Never leave a host behind, even when the test process dies without running afterAll.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve(signal ?? String(code));
    }),
  );

  const stop = async (): Promise<string> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const how = await exited;
      clearTimeout(timer);
      return how;
    }
    return exited;
  };

  try {
    const line = await new Promise<ListeningLine>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`evolve serve did not print its listening line within ${timeoutMs} ms`)), timeoutMs);
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        for (const raw of stdout.split('\n').slice(0, -1)) {
          try {
            const parsed: unknown = JSON.parse(raw);
            if (isListening(parsed)) {
              clearTimeout(timer);
              resolve(parsed);
              return;
            }
          } catch {
            /* not the JSON line */
          }
        }
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`evolve serve exited (${how}) before listening:\n${stderr}`));
      });
    });
    const token = new URL(line.launchUrl).searchParams.get('token');
    if (!token) throw new Error(`launchUrl carries no token: ${line.launchUrl}`);
    return { url: line.url, launchUrl: line.launchUrl, port: line.port, token, dirs, child, stderr: () => stderr, stop };
  } catch (e) {
    await stop();
    if (!opts.dirs) dirs.remove();
    throw e;
  }
}
