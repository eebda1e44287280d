// The sandbox's bubblewrap command line and path checks: root drops to the run's uid, a user gets a user namespace,
// the filesystem is an allow-list, mount parents are 0755, rlimits wrap the command; bad relative paths are refused.
import { describe, expect, it } from 'vitest';
import { buildSandboxArgv, type SandboxArgvInput } from '../../../main/services/codegen/sandbox/argv';
import { resolveCwd, validateFiles, validateRelPath } from '../../../main/services/codegen/sandbox/files';
import { DEFAULT_LIMITS } from '../../../main/services/codegen/sandbox/types';

const base: SandboxArgvInput = {
  bwrap: '/usr/bin/bwrap',
  prlimit: '/usr/bin/prlimit',
  systemEntries: [
    { path: '/usr', kind: 'dir' },
    { path: '/bin', kind: 'symlink', target: 'usr/bin' },
  ],
  tempDir: '/tmp/evolve-sbx-x',
  cwd: '/tmp/evolve-sbx-x/pkg',
  readOnlyPaths: ['/root/.pyenv/versions/3.11', '/usr/local/lib/thing'],
  limits: { ...DEFAULT_LIMITS, cpuSeconds: 5, maxProcesses: 40 },
  argv: ['python3', '-m', 'pytest'],
};

const indexOfPair = (a: string[], x: string, y: string): number => a.findIndex((v, i) => v === x && a[i + 1] === y);

describe('buildSandboxArgv', () => {
  it('as a user: user namespace, no network, own pid namespace, then prlimit and the command', () => {
    const a = buildSandboxArgv(base);
    expect(a[0]).toBe('/usr/bin/bwrap');
    for (const f of ['--unshare-user', '--disable-userns', '--unshare-net', '--unshare-pid', '--die-with-parent', '--new-session']) {
      expect(a).toContain(f);
    }
    expect(a).not.toContain('setpriv');
    const sep = a.indexOf('--');
    expect(a.slice(sep + 1, sep + 2)).toEqual(['/usr/bin/prlimit']);
    expect(a).toContain('--cpu=5:6');
    expect(a).toContain('--nproc=40');
    expect(a.slice(-3)).toEqual(['python3', '-m', 'pytest']);
  });

  it('as root: no user namespace, setpriv to the run uid with every capability dropped', () => {
    const a = buildSandboxArgv({ ...base, dropTo: { setpriv: '/usr/bin/setpriv', uid: 2100000007, gid: 2100000007 } });
    expect(a).not.toContain('--unshare-user');
    const s = a.indexOf('/usr/bin/setpriv');
    expect(s).toBeGreaterThan(a.indexOf('--'));
    expect(a.slice(s + 1, s + 8)).toEqual([
      '--reuid=2100000007',
      '--regid=2100000007',
      '--clear-groups',
      '--no-new-privs',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--',
    ]);
    expect(a.indexOf('/usr/bin/prlimit')).toBeGreaterThan(s);
  });

  it('mounts an allow-list: system dirs read-only, symlinks recreated, fresh /tmp before the temp dir bind', () => {
    const a = buildSandboxArgv(base);
    expect(indexOfPair(a, '--ro-bind', '/usr')).toBeGreaterThan(0);
    expect(indexOfPair(a, '--symlink', 'usr/bin')).toBeGreaterThan(0);
    expect(indexOfPair(a, '--ro-bind', '/')).toBe(-1);
    const tmpfs = indexOfPair(a, '--tmpfs', '/tmp');
    const bind = indexOfPair(a, '--bind', '/tmp/evolve-sbx-x');
    expect(tmpfs).toBeGreaterThan(0);
    expect(bind).toBeGreaterThan(tmpfs);
    expect(indexOfPair(a, '--chdir', '/tmp/evolve-sbx-x/pkg')).toBe(bind + 3);
  });

  it('creates 0755 parents for read-only binds outside the system dirs only', () => {
    const a = buildSandboxArgv(base);
    const dirs = a.flatMap((v, i) => (v === '--dir' ? [a[i + 1]] : []));
    expect(dirs).toEqual(['/root', '/root/.pyenv', '/root/.pyenv/versions']);
    expect(a[a.indexOf('--dir') - 1]).toBe('0755');
    expect(indexOfPair(a, '--ro-bind', '/root/.pyenv/versions/3.11')).toBeGreaterThan(a.lastIndexOf('--dir'));
  });
});

describe('sandbox file paths', () => {
  it.each(['a.py', 'pkg/mod/a.py', '.hidden', 'a..b'])('accepts %s', (p) => {
    expect(validateRelPath(p)).toBe(p);
  });
  it.each(['', '/abs', '../x', 'a/../b', 'a//b', './a', 'a/', 'a\\b', 'a\0b'])('refuses %j', (p) => {
    expect(() => validateRelPath(p)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
  it('refuses a file that is also a directory and too many bytes', () => {
    expect(() => validateFiles({ a: '', 'a/b': '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => validateFiles({ big: 'x'.repeat(33 * 1024 * 1024) })).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
  });
  it('keeps cwd inside the temp dir', () => {
    expect(resolveCwd('/t/d', undefined)).toBe('/t/d');
    expect(resolveCwd('/t/d', 'src/app')).toBe('/t/d/src/app');
    expect(() => resolveCwd('/t/d', '../up')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
