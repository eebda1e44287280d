// Hostile programs for the codegen sandbox: each runs through runInSandbox and then checks on the HOST that its effect
// did not happen (listener untouched, canaries unread and unchanged, no process left). Used by the vitest suite and by
// hostile-cli.ts, which re-runs the same catalog as an unprivileged user.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { runInSandbox, type SandboxDeps, type SandboxResult } from '../../../../main/services/codegen/sandbox';

export const PYTHON = '/usr/bin/python3';

export interface HostileContext {
  marker: string;
  port: number;
  connections: () => number;
  secretName: string;
  secretValue: string;
  tmpCanary: string;
  sshCanary: string;
  roCanary: string;
  roDir: string;
  sentinel: ChildProcess;
  hostCreatePaths: string[];
  canaryText: string;
}

export interface HostileOutcome {
  name: string;
  /** Effects that happened (empty = contained). */
  failures: string[];
  result?: Pick<SandboxResult, 'exitCode' | 'signal' | 'killedBy' | 'timedOut' | 'durationMs' | 'method'>;
}

/** Pids of host processes whose command line carries the marker. */
export async function markerProcesses(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(marker)) found.push(Number(entry));
  }
  return found;
}

let sshDirCreated = false;

export async function setUpHostile(): Promise<{ ctx: HostileContext; tearDown: () => Promise<void> }> {
  const marker = `evolvesbx${randomBytes(6).toString('hex')}`;
  const canaryText = `canary-${randomBytes(8).toString('hex')}`;
  let count = 0;
  const server: Server = createServer((s) => {
    count += 1;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const work = await mkdtemp(path.join(tmpdir(), 'evolve-sbx-hostile-'));
  const tmpCanary = path.join(work, 'canary.txt');
  await writeFile(tmpCanary, canaryText);
  const roDir = path.join(work, 'ro');
  await mkdir(roDir);
  const roCanary = path.join(roDir, 'canary.txt');
  await writeFile(roCanary, canaryText);
  const sshDir = path.join(homedir(), '.ssh');
  if (!existsSync(sshDir)) {
    await mkdir(sshDir, { mode: 0o700 });
    sshDirCreated = true;
  }
  const sshCanary = path.join(sshDir, `${marker}-canary`);
  await writeFile(sshCanary, canaryText, { mode: 0o600 });
  const secretName = 'EVOLVE_SBX_TEST_SECRET';
  const secretValue = `secret-${randomBytes(8).toString('hex')}`;
  process.env[secretName] = secretValue;
  // A process of the host user that a hostile program must not be able to kill.
  const sentinel = spawn('sleep', ['600'], { stdio: 'ignore' });
  const hostCreatePaths = [`/etc/${marker}`, `/usr/${marker}`, path.join(homedir(), marker), path.join(work, marker)];
  const ctx: HostileContext = {
    marker,
    port,
    connections: () => count,
    secretName,
    secretValue,
    tmpCanary,
    sshCanary,
    roCanary,
    roDir,
    sentinel,
    hostCreatePaths,
    canaryText,
  };
  const tearDown = async (): Promise<void> => {
    sentinel.kill('SIGKILL');
    await new Promise<void>((r) => server.close(() => r()));
    delete process.env[secretName];
    await rm(work, { recursive: true, force: true });
    await rm(sshCanary, { force: true });
    if (sshDirCreated) await rm(sshDir, { recursive: true, force: true });
    for (const p of hostCreatePaths) await rm(p, { force: true });
  };
  return { ctx, tearDown };
}

export interface Hostile {
  name: string;
  /** Python source; receives sys.argv[1:] = args(ctx). */
  code: (ctx: HostileContext) => string;
  args?: (ctx: HostileContext) => string[];
  limits?: Parameters<typeof runInSandbox>[0]['limits'];
  readOnlyPaths?: (ctx: HostileContext) => string[];
  check: (r: SandboxResult, ctx: HostileContext) => Promise<string[]> | string[];
}

const out = (r: SandboxResult): string => `${r.stdout.text}\n${r.stderr.text}`;

export const HOSTILE: Hostile[] = [
  {
    name: 'opens a socket to a listener on 127.0.0.1',
    code: () =>
      'import socket, sys\nfor host in ("127.0.0.1", "localhost"):\n  try:\n    socket.create_connection((host, int(sys.argv[1])), timeout=3)\n    print("CONNECTED", host)\n  except Exception as e:\n    print("refused", host, e)\n',
    args: (c) => [String(c.port)],
    check: (r, c) => [
      ...(c.connections() > 0 ? [`listener got ${c.connections()} connection(s)`] : []),
      ...(r.stdout.text.includes('CONNECTED') ? ['program reports a connection'] : []),
      ...(r.stdout.text.includes('refused') ? [] : ['program did not get to try (test cannot tell)']),
    ],
  },
  {
    name: 'writes outside the temp dir',
    code: () =>
      'import sys\nfor p in sys.argv[1:]:\n  try:\n    open(p, "w").write("PWNED")\n    print("wrote", p)\n  except Exception as e:\n    print("denied", p, e)\n',
    args: (c) => [c.tmpCanary, c.roCanary, c.sshCanary, ...c.hostCreatePaths],
    readOnlyPaths: (c) => [c.roDir],
    check: async (r, c) => {
      const f: string[] = [];
      for (const p of [c.tmpCanary, c.roCanary, c.sshCanary]) {
        if ((await readFile(p, 'utf8')) !== c.canaryText) f.push(`${p} changed`);
      }
      for (const p of c.hostCreatePaths) if (existsSync(p)) f.push(`${p} was created on the host`);
      if (!r.stdout.text.includes('denied') && !r.stdout.text.includes('wrote')) f.push('program did not run');
      return f;
    },
  },
  {
    name: 'reads ~/.ssh of the user running the app',
    code: () =>
      'import sys, os, glob\nfor p in sys.argv[1:] + glob.glob(os.path.expanduser("~/.ssh/*")) + glob.glob("/root/.ssh/*") + glob.glob("/home/*/.ssh/*"):\n  try:\n    print("READ", p, open(p).read())\n  except Exception as e:\n    print("denied", p, e)\n',
    args: (c) => [c.sshCanary, c.tmpCanary],
    check: (r, c) => [
      ...(out(r).includes(c.canaryText) ? ['canary content reached the output'] : []),
      ...(r.stdout.text.includes('denied') ? [] : ['program did not get to try']),
    ],
  },
  {
    name: 'prints the environment',
    code: () =>
      'import os\nprint(dict(os.environ))\nfor p in ("/proc/1/environ", "/proc/self/environ"):\n  try: print(open(p, "rb").read())\n  except Exception as e: print("denied", p, e)\n',
    check: (r, c) => [
      ...(process.env[c.secretName] === c.secretValue ? [] : ['the test secret is not set in the test process']),
      ...(out(r).includes(c.secretValue) || out(r).includes(c.secretName) ? ['the secret reached the program'] : []),
      ...(r.stdout.text.includes("'HOME'") ? [] : ['program did not print its environment']),
    ],
  },
  {
    name: 'fork bomb',
    code: (c) =>
      `import os, time\nn = 0\ntry:\n  while True:\n    if os.fork() == 0:\n      time.sleep(600)\n      os._exit(0)\n    n += 1\nexcept OSError as e:\n  print("FORK_FAILED", n, e, flush=True)\n# ${c.marker}\n`,
    limits: { maxProcesses: 32, wallMs: 20_000 },
    check: async (r, c) => {
      const m = /FORK_FAILED (\d+)/.exec(r.stdout.text);
      const f: string[] = [];
      if (!m) f.push(`fork never failed (${r.stdout.text.slice(0, 200)} ${r.stderr.text.slice(0, 200)})`);
      else if (Number(m[1]) >= 32) f.push(`forked ${m[1]} times with maxProcesses 32`);
      const left = await markerProcesses(c.marker);
      if (left.length > 0) f.push(`${left.length} process(es) left running`);
      return f;
    },
  },
  {
    name: 'allocates 8 GB',
    code: () => 'b = bytearray(8 * 1024**3)\nb[::4096] = b"x" * len(b[::4096])\nprint("ALLOCATED")\n',
    limits: { memoryBytes: 1024 ** 3, wallMs: 30_000 },
    check: (r) => [
      ...(r.stdout.text.includes('ALLOCATED') ? ['8 GB were allocated'] : []),
      ...(r.killedBy === 'memory' ? [] : [`killedBy is ${String(r.killedBy)}, not memory`]),
    ],
  },
  {
    name: 'sleeps forever',
    code: (c) => `import time\ntime.sleep(10**6)  # ${c.marker}\n`,
    limits: { wallMs: 1500 },
    check: async (r, c) => [
      ...(r.timedOut && r.killedBy === 'wall' ? [] : [`not stopped by the wall limit (${String(r.killedBy)})`]),
      ...((await markerProcesses(c.marker)).length > 0 ? ['the sleeper survived'] : []),
    ],
  },
  {
    name: 'leaves a background process',
    code: (c) =>
      `import subprocess, sys, os\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${c.marker}"], start_new_session=True)\nif os.fork() == 0:\n  os.setsid()\n  os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "${c.marker}-daemon"])\nprint("STARTED", flush=True)\n`,
    check: async (r, c) => [
      ...(r.stdout.text.includes('STARTED') ? [] : ['program did not start its background processes']),
      ...((await markerProcesses(c.marker)).length > 0 ? ['a background process is still running'] : []),
    ],
  },
  {
    name: 'floods stdout',
    code: () => 'import sys\nwhile True:\n  sys.stdout.write("x" * 65536)\n',
    limits: { maxOutputBytes: 64 * 1024 },
    check: (r) => [
      ...(r.stdout.truncated ? [] : ['stdout not marked truncated']),
      ...(Buffer.byteLength(r.stdout.text) <= 64 * 1024 ? [] : [`kept ${r.stdout.text.length} bytes`]),
      ...(r.killedBy === 'output' ? [] : [`killedBy is ${String(r.killedBy)}, not output`]),
    ],
  },
  {
    name: 'kills its parent and the app',
    code: () =>
      'import os, sys, signal\nfor pid in [os.getppid()] + [int(p) for p in sys.argv[1:]]:\n  try:\n    os.kill(pid, signal.SIGKILL)\n    print("killed", pid)\n  except Exception as e:\n    print("failed", pid, e)\n',
    args: (c) => [String(process.pid), String(c.sentinel.pid)],
    check: (r, c) => {
      const f: string[] = [];
      if (c.sentinel.exitCode !== null || c.sentinel.signalCode !== null) f.push('the sentinel host process was killed');
      try {
        process.kill(c.sentinel.pid ?? -1, 0);
      } catch {
        f.push('the sentinel host process is gone');
      }
      if (!r.stdout.text.includes('failed') && !r.stdout.text.includes('killed')) f.push('program did not run');
      return f;
    },
  },
  {
    name: 'looks for host processes',
    code: () =>
      'import os\nfor p in os.listdir("/proc"):\n  if p.isdigit():\n    try: print("PROC", p, open(f"/proc/{p}/cmdline","rb").read())\n    except Exception as e: print("denied", p)\n',
    check: (r) => {
      const n = (r.stdout.text.match(/^PROC /gm) ?? []).length;
      return [
        ...(n === 0 ? ['program saw no process at all (did not run?)'] : []),
        ...(n > 5 ? [`program sees ${n} processes (not only its own namespace)`] : []),
        ...(/vitest|node_modules|sleep\\x00600/.test(r.stdout.text) ? ['a host process is visible'] : []),
      ];
    },
  },
  {
    name: 'fills the disk',
    code: () =>
      'import os\nwith open("big", "wb") as f:\n  try:\n    for _ in range(256): f.write(b"\\0" * 1024 * 1024)\n  except OSError as e: print("STOPPED", e)\nprint("SIZE", os.path.getsize("big"))\n',
    limits: { maxFileBytes: 8 * 1024 * 1024 },
    check: (r) => {
      const m = /SIZE (\d+)/.exec(r.stdout.text);
      const f: string[] = [];
      if (!m) f.push(`no size reported (${r.stderr.text.slice(0, 200)})`);
      else if (Number(m[1]) > 8 * 1024 * 1024) f.push(`wrote ${m[1]} bytes past an 8 MB limit`);
      return f;
    },
  },
];

/** Runs one hostile program in the sandbox and returns the effects that happened (none = contained). */
export async function runHostile(
  h: Hostile,
  ctx: HostileContext,
  opts: { deps?: SandboxDeps; allowUnsandboxed?: boolean } = {},
): Promise<HostileOutcome> {
  const name = `hostile_${ctx.marker}.py`;
  const r = await runInSandbox(
    {
      files: { [name]: h.code(ctx) },
      argv: [PYTHON, name, ...(h.args?.(ctx) ?? [])],
      limits: { wallMs: 20_000, ...h.limits },
      readOnlyPaths: h.readOnlyPaths?.(ctx) ?? [],
      allowUnsandboxed: opts.allowUnsandboxed ?? false,
    },
    opts.deps,
  );
  const failures = await h.check(r, ctx);
  // Nothing of any run may outlive it: the file name carries the marker into every process's command line.
  const left = await markerProcesses(ctx.marker);
  if (left.length > 0) failures.push(`processes left after the run: ${left.join(', ')}`);
  const { exitCode, signal, killedBy, timedOut, durationMs, method } = r;
  return { name: h.name, failures, result: { exitCode, signal, killedBy, timedOut, durationMs, method } };
}
