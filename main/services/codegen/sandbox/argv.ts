// Builds the bubblewrap command line of one sandboxed run (pure: paths and limits in, argv out).
import type { SandboxLimits } from './types';

/** A top-level system directory: bound read-only when it is a directory, recreated when it is a symlink (merged /usr). */
export interface SystemEntry {
  path: string;
  kind: 'dir' | 'symlink';
  /** Link target when kind is 'symlink'. */
  target?: string;
}

export interface SandboxArgvInput {
  bwrap: string;
  prlimit: string;
  /** Root only: the setpriv binary and the dedicated uid/gid the program runs as. */
  dropTo?: { setpriv: string; uid: number; gid: number };
  systemEntries: SystemEntry[];
  /** Host temp dir, bound read-write at the same path. */
  tempDir: string;
  /** Absolute working directory inside the sandbox (inside tempDir). */
  cwd: string;
  readOnlyPaths: string[];
  limits: SandboxLimits;
  argv: string[];
}

/** Size of the private /tmp and /dev/shm (RAM-backed: bounded so a program cannot fill the host's memory). */
export const SCRATCH_TMPFS_BYTES = 64 * 1024 * 1024;

/**
 * Why each flag: a fresh user (unprivileged) or uid-dropped (root) identity, no network, its own pid namespace (so the
 * whole tree dies with its pid 1 and nothing of the host is visible or signalable), ipc/uts/cgroup namespaces, a new
 * session (no TIOCSTI into the app's terminal), death with the parent. The filesystem is an allow-list: system
 * directories read-only, the caller's readOnlyPaths, fresh /proc /dev /tmp, and the temp dir read-write — the user's
 * home, the app's data and other projects are simply not there.
 */
export function buildSandboxArgv(input: SandboxArgvInput): string[] {
  const a: string[] = [input.bwrap];
  if (!input.dropTo) a.push('--unshare-user', '--disable-userns');
  a.push(
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'evolve-sandbox',
    '--die-with-parent',
    '--new-session',
  );
  for (const e of input.systemEntries) {
    if (e.kind === 'symlink' && e.target) a.push('--symlink', e.target, e.path);
    else a.push('--ro-bind', e.path, e.path);
  }
  a.push('--proc', '/proc', '--dev', '/dev');
  a.push('--perms', '1777', '--size', String(SCRATCH_TMPFS_BYTES), '--tmpfs', '/dev/shm');
  a.push('--perms', '1777', '--size', String(SCRATCH_TMPFS_BYTES), '--tmpfs', '/tmp');
  // bwrap would create missing parents of a bind with the host's mode (/root is 0700, so the run's uid could not
  // reach a venv under it): make them empty 0755 directories first.
  const made = new Set<string>(['/tmp', '/dev', '/proc']);
  const parents = (p: string): void => {
    for (const dir of ancestors(p)) {
      if (made.has(dir) || input.systemEntries.some((e) => dir === e.path || dir.startsWith(`${e.path}/`))) continue;
      made.add(dir);
      a.push('--perms', '0755', '--dir', dir);
    }
  };
  for (const p of input.readOnlyPaths) {
    parents(p);
    a.push('--ro-bind', p, p);
  }
  parents(input.tempDir);
  a.push('--bind', input.tempDir, input.tempDir, '--chdir', input.cwd);
  if (input.dropTo) {
    // bwrap runs privileged here; setpriv needs these to switch to the dedicated uid, and drops every capability.
    a.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP', '--');
    a.push(
      input.dropTo.setpriv,
      `--reuid=${input.dropTo.uid}`,
      `--regid=${input.dropTo.gid}`,
      '--clear-groups',
      '--no-new-privs',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--',
    );
  } else {
    a.push('--');
  }
  a.push(...prlimitArgv(input.prlimit, input.limits), '--', ...input.argv);
  return a;
}

/** '/a/b/c' → ['/a', '/a/b'] (the directories above a path, outermost first). */
function ancestors(p: string): string[] {
  const parts = p.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** prlimit wrapper: rlimits survive exec and the uid switch, and every child inherits them. */
export function prlimitArgv(prlimit: string, l: SandboxLimits): string[] {
  return [
    prlimit,
    `--cpu=${l.cpuSeconds}:${l.cpuSeconds + 1}`,
    `--as=${l.memoryBytes}`,
    `--nproc=${l.maxProcesses}`,
    `--fsize=${l.maxFileBytes}`,
    '--core=0',
  ];
}
