// Detects which isolation this machine offers (bubblewrap with a user namespace, or as root bubblewrap + setpriv) and why not.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSandboxArgv, type SystemEntry } from './argv';
import { DEFAULT_LIMITS, type SandboxSupport } from './types';

/**
 * Tools are looked up in the system directories only, never on the app's PATH: a `bwrap` planted in a project's
 * node_modules/.bin must not become the sandbox.
 */
const SYSTEM_BIN_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

/** Top-level directories the programs need (binaries, libraries, /etc for passwd and certificates). */
const SYSTEM_TOP_DIRS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

const INSTALL_HINT =
  'Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap); ' +
  'scripts/start.sh installs it when it can.';

export async function findSystemTool(name: string): Promise<string | undefined> {
  for (const dir of SYSTEM_BIN_DIRS) {
    const p = path.join(dir, name);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export async function systemEntries(): Promise<SystemEntry[]> {
  const out: SystemEntry[] = [];
  for (const p of SYSTEM_TOP_DIRS) {
    const st = await lstat(p).catch(() => null);
    if (!st) continue;
    if (st.isSymbolicLink()) out.push({ path: p, kind: 'symlink', target: await readlink(p) });
    else if (st.isDirectory()) out.push({ path: p, kind: 'dir' });
  }
  return out;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs `true` through the real sandbox command line: the only reliable test that namespaces are allowed here. */
async function probe(tools: Required<SandboxSupport['tools']>, root: boolean): Promise<string | undefined> {
  const argv = buildSandboxArgv({
    bwrap: tools.bwrap,
    prlimit: tools.prlimit,
    dropTo: root ? { setpriv: tools.setpriv, uid: 65534, gid: 65534 } : undefined,
    systemEntries: await systemEntries(),
    tempDir: tmpdir(),
    cwd: '/',
    readOnlyPaths: [],
    limits: { ...DEFAULT_LIMITS },
    argv: ['true'],
  });
  // The probe binds the host tmpdir read-write at its own path but runs `true` only.
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (file === undefined) return resolve('empty probe command');
    const child = spawn(file, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: '/usr/bin:/bin' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`bubblewrap could not start: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : `bubblewrap failed (exit ${code}): ${err.trim() || 'no message'}`);
    });
  });
}

const NON_LINUX: Partial<Record<NodeJS.Platform, string>> = {
  darwin:
    'macOS: not implemented yet. The nearest equivalent is sandbox-exec with a profile that denies network and ' +
    'file writes outside the temp dir, plus setrlimit; it has no pid namespace.',
  win32:
    'Windows: not implemented yet. The nearest equivalent is a Job Object (process, memory and CPU limits, ' +
    'kill-on-close) in an AppContainer (no network, no file access outside the temp dir).',
};

async function detect(): Promise<SandboxSupport> {
  const root = isRoot();
  const base = { platform: process.platform, runningAsRoot: root };
  if (process.platform !== 'linux') {
    const why = NON_LINUX[process.platform] ?? `${process.platform}: no sandbox implementation.`;
    return { ...base, available: false, method: 'none', tools: {}, reasons: [why] };
  }
  const tools = {
    bwrap: await findSystemTool('bwrap'),
    setpriv: await findSystemTool('setpriv'),
    prlimit: await findSystemTool('prlimit'),
  };
  const reasons: string[] = [];
  if (!tools.bwrap) reasons.push(`bubblewrap (bwrap) is not installed. ${INSTALL_HINT}`);
  if (!tools.prlimit) reasons.push('prlimit (util-linux) is not installed: resource limits cannot be set.');
  if (root && !tools.setpriv) {
    reasons.push('Running as root and setpriv (util-linux) is missing: the run cannot drop to an unprivileged uid.');
  }
  if (reasons.length === 0) {
    const fail = await probe(tools as Required<SandboxSupport['tools']>, root);
    if (fail) {
      reasons.push(
        root
          ? fail
          : `${fail}. Unprivileged user namespaces may be disabled (kernel.unprivileged_userns_clone, ` +
              'user.max_user_namespaces or an AppArmor restriction).',
      );
    }
  }
  const definedTools = Object.fromEntries(Object.entries(tools).filter(([, v]) => v)) as SandboxSupport['tools'];
  if (reasons.length > 0) return { ...base, available: false, method: 'none', tools: definedTools, reasons };
  return { ...base, available: true, method: root ? 'bwrap-root-setpriv' : 'bwrap-userns', tools: definedTools, reasons };
}

let cached: Promise<SandboxSupport> | undefined;

/** Which isolation is available (probed once per process; `refresh` probes again, e.g. after installing bwrap). */
export function sandboxSupport(opts: { refresh?: boolean } = {}): Promise<SandboxSupport> {
  if (!cached || opts.refresh) cached = detect();
  return cached;
}
