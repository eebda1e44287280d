// Test harness helpers: free ports, child processes with bounded readiness waits and guaranteed cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** Names of the binaries not on PATH (tests skip with that list as the reason). */
export function missingBinaries(names: string[]): string[] {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return names.filter((n) => !dirs.some((d) => fs.existsSync(path.join(d, n))));
}

export function tempDir(prefix: string): string {
  // Short paths: Ray puts unix sockets under its temp dir and those are limited to ~107 bytes.
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${opts.timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const ctl = new AbortController();
  const t = setTimeout(() => ctl.abort(), 2000);
  try {
    const r = await fetch(url, { signal: ctl.signal });
    return r.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(t);
  }
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface Service {
  name: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
  readonly running: boolean;
}

/** Spawns a long-running binary, waits (bounded) until `readyUrl` answers 2xx, and kills it on stop. */
export async function startService(
  name: string,
  cmd: string,
  args: string[],
  opts: { readyUrl: string; timeoutMs?: number; cwd?: string },
): Promise<Service> {
  const proc = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString('utf8')).slice(-8000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  let exited = false;
  const exitedP = new Promise<void>((r) =>
    proc.once('exit', () => {
      exited = true;
      live.delete(proc);
      r();
    }),
  );
  const svc: Service = {
    name,
    proc,
    output: () => out,
    get running() {
      return !exited;
    },
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exitedP;
      clearTimeout(t);
    },
  };
  try {
    await waitFor(
      `${name} at ${opts.readyUrl}`,
      async () => (exited ? Promise.reject(new Error(`${name} exited: ${out.slice(-2000)}`)) : httpOk(opts.readyUrl)),
      {
        timeoutMs: opts.timeoutMs ?? 30_000,
      },
    );
  } catch (e) {
    await svc.stop();
    throw e;
  }
  return svc;
}
