// The codegen sandbox on this machine: pytest and node --test runs with captured output, files and cwd, the clean
// environment, limits (cpu, cancel, stderr cap), temp dir removal, and bad input refused before anything is written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInSandbox, sandboxSupport, type SandboxSupport } from '../../../main/services/codegen/sandbox';
import { markerProcesses } from './sandbox/hostile-programs';

const PY = '/usr/bin/python3';
const support = await sandboxSupport();
const isRoot = process.getuid?.() === 0;

/** A Python that has pytest (pyenv, a venv...), found through PATH as a developer's shell would. */
function pythonWithPytest(): { exe: string; prefix: string } | undefined {
  const r = spawnSync('python3', ['-c', 'import sys, pytest; print(sys.executable); print(sys.prefix)'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return undefined;
  const [exe, prefix] = r.stdout.trim().split('\n');
  return exe && prefix ? { exe, prefix } : undefined;
}

async function sandboxDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((n) => n.startsWith('evolve-sbx-') && !n.startsWith('evolve-sbx-hostile'));
}

describe('sandboxSupport', () => {
  it('reports the isolation of this machine with the tools it uses, or why there is none', () => {
    if (support.available) {
      expect(support.method).toBe(isRoot ? 'bwrap-root-setpriv' : 'bwrap-userns');
      expect(support.tools.bwrap).toMatch(/\/bwrap$/);
      expect(support.reasons).toEqual([]);
    } else {
      expect(support.method).toBe('none');
      expect(support.reasons.length).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!support.available)('runInSandbox', () => {
  const py = pythonWithPytest();

  it.skipIf(!py)('runs pytest on written files with the output captured', async () => {
    if (!py) return;
    const r = await runInSandbox({
      files: {
        'solution.py': 'def add(a, b):\n    return a + b\n',
        'tests/test_add.py':
          'from solution import add\n\ndef test_ok():\n    assert add(2, 3) == 5\n\ndef test_wrong():\n    assert add(2, 2) == 5\n',
      },
      argv: [py.exe, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'],
      env: { PYTHONPATH: '.', PYTHONDONTWRITEBYTECODE: '1' },
      readOnlyPaths: [py.prefix],
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.text).toContain('1 failed, 1 passed');
    expect(r.stdout.text).toContain('assert 4 == 5');
    expect(r.killedBy).toBeUndefined();
  });

  it('runs node --test with the output captured', async () => {
    const r = await runInSandbox({
      files: {
        'is-even.mjs': 'export const isEven = (n) => n % 2 === 0;\n',
        'is-even.test.mjs':
          "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { isEven } from './is-even.mjs';\n" +
          "test('even', () => assert.equal(isEven(4), true));\ntest('odd', () => assert.equal(isEven(3), false));\n",
      },
      argv: [process.execPath, '--test', 'is-even.test.mjs'],
    });
    expect(r.stderr.text).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.text).toMatch(/# pass 2/);
    expect(r.stdout.text).toMatch(/# fail 0/);
  });

  it('lets node use WebAssembly under the memory limit (fetch and vite need it)', async () => {
    const code = 'const m = new WebAssembly.Memory({ initial: 1 }); console.log("wasm", m.buffer.byteLength);';
    const r = await runInSandbox({ argv: [process.execPath, '-e', code], limits: { memoryBytes: 2 * 1024 ** 3 } });
    expect(r.stderr.text).toBe('');
    expect(r.stdout.text.trim()).toBe('wasm 65536');
    // The caller can still choose its own NODE_OPTIONS: without the flag V8's reservation is refused.
    const bare = await runInSandbox({
      argv: [process.execPath, '-e', code],
      env: { NODE_OPTIONS: '' },
      limits: { memoryBytes: 2 * 1024 ** 3 },
    });
    expect(bare.exitCode).not.toBe(0);
    expect(bare.killedBy).toBe('memory');
  });

  it('writes nested files, runs in the given cwd with HOME and TMPDIR set to the temp dir, then removes it', async () => {
    const before = await sandboxDirs();
    const r = await runInSandbox({
      files: {
        'pkg/data.txt': 'hello',
        'pkg/show.py':
          'import os\nprint(open("data.txt").read())\nprint(os.getcwd())\nprint(os.environ["HOME"], os.environ["TMPDIR"], os.environ["EXTRA"])\nos.makedirs("locked/inner")\nos.chmod("locked", 0)\n',
      },
      argv: [PY, 'show.py'],
      cwd: 'pkg',
      env: { EXTRA: 'given' },
    });
    expect(r.exitCode, r.stderr.text).toBe(0);
    const [data, cwd, envLine] = r.stdout.text.trim().split('\n');
    expect(data).toBe('hello');
    const tempDir = cwd?.replace(/\/pkg$/, '') ?? '';
    expect(cwd).toBe(`${tempDir}/pkg`);
    expect(envLine).toBe(`${tempDir} ${tempDir} given`);
    // Removed even though the program locked a directory with mode 000.
    expect(existsSync(tempDir)).toBe(false);
    expect(await sandboxDirs()).toEqual(before);
  });

  it('takes every process of a run down when the app itself is killed', async () => {
    const marker = `evolvesbxdie${process.pid}${Date.now()}`;
    let leftDir: string | undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sandbox/run-and-hang.ts'), marker], {
      stdio: 'ignore',
    });
    try {
      let seen: number[] = [];
      for (let i = 0; i < 100 && seen.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await markerProcesses(`sleep_${marker}`); // the sandboxed python, not the child node (its argv has the marker)
      }
      expect(seen.length, 'the sandboxed sleeper never started').toBeGreaterThan(0);
      // Its temp dir outlives the killed app (sweepStaleSandboxDirs' job at the next start); this test removes it.
      leftDir = await readlink(`/proc/${seen[0]}/cwd`).catch(() => undefined);
      child.kill('SIGKILL');
      let left = seen;
      for (let i = 0; i < 50 && left.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = await markerProcesses(`sleep_${marker}`);
      }
      expect(left).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      for (const pid of await markerProcesses(`sleep_${marker}`)) process.kill(pid, 'SIGKILL');
      if (leftDir && path.basename(leftDir).startsWith('evolve-sbx-')) await rm(leftDir, { recursive: true, force: true });
    }
  });

  it('feeds stdin and keeps parallel runs apart', async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        runInSandbox({
          files: { 'echo.py': 'import sys, os\nprint(sys.stdin.read().upper(), os.listdir("."))\n' },
          argv: [PY, 'echo.py'],
          stdin: `run ${n}`,
        }),
      ),
    );
    runs.forEach((r, i) => expect(r.stdout.text.trim()).toBe(`RUN ${i + 1} ['echo.py']`));
  });

  it('stops a busy loop at the CPU limit and reports it', async () => {
    const r = await runInSandbox({
      files: { 'spin.py': 'while True:\n    pass\n' },
      argv: [PY, 'spin.py'],
      limits: { cpuSeconds: 1, wallMs: 30_000 },
    });
    expect(r.killedBy).toBe('cpu');
    expect(r.signal).toBe('SIGXCPU');
    expect(r.timedOut).toBe(false);
  });

  it('is cancelled by its AbortSignal, and refuses to start when already aborted', async () => {
    const ac = new AbortController();
    const running = runInSandbox({ files: { 's.py': 'import time\ntime.sleep(600)\n' }, argv: [PY, 's.py'], signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const r = await running;
    expect(r.killedBy).toBe('cancel');
    expect(r.signal).toBe('SIGKILL');
    await expect(runInSandbox({ argv: [PY, '-c', 'print(1)'], signal: ac.signal })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('caps stderr like stdout', async () => {
    const r = await runInSandbox({
      argv: [PY, '-c', 'import sys\nwhile True: sys.stderr.write("e" * 4096)'],
      limits: { maxOutputBytes: 8192 },
    });
    expect(r.stderr.truncated).toBe(true);
    expect(r.stderr.text.length).toBe(8192);
    expect(r.stderr.bytes).toBeGreaterThan(8192);
    expect(r.killedBy).toBe('output');
  });

  it('reports a command that does not exist as a failed run, not a crash', async () => {
    const r = await runInSandbox({ argv: ['no-such-command-evolve'] });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.text).toMatch(/no-such-command-evolve/);
  });

  it('does not see a directory of the host unless it is passed read-only', async () => {
    const r = await runInSandbox({
      argv: [PY, '-c', 'import os; print(os.path.exists("/work"), os.path.exists(os.path.expanduser("~/.ssh")))'],
    });
    expect(r.stdout.text.trim()).toBe('False False');
  });
});

describe('runInSandbox refuses bad input before writing anything', () => {
  const cases: Array<[string, Parameters<typeof runInSandbox>[0]]> = [
    ['a parent-directory path', { files: { '../escape.py': '' }, argv: ['true'] }],
    ['an absolute path', { files: { '/etc/evil': '' }, argv: ['true'] }],
    ['a path with ..', { files: { 'a/../../b': '' }, argv: ['true'] }],
    ['an empty path', { files: { '': '' }, argv: ['true'] }],
    ['a backslash path', { files: { 'a\\b': '' }, argv: ['true'] }],
    ['a file/directory collision', { files: { a: '', 'a/b': '' }, argv: ['true'] }],
    ['an empty argv', { argv: [] }],
    ['a reserved env name', { argv: ['true'], env: { HOME: '/root' } }],
    ['an invalid env name', { argv: ['true'], env: { 'A=B': 'x' } }],
    ['a cwd outside the temp dir', { argv: ['true'], cwd: '../..' }],
    ['a missing read-only path', { argv: ['true'], readOnlyPaths: ['/no/such/evolve/path'] }],
    ['the root as read-only path', { argv: ['true'], readOnlyPaths: ['/'] }],
    ['a non-normalized read-only path', { argv: ['true'], readOnlyPaths: ['/usr/../root'] }],
    ['a wall limit of 0', { argv: ['true'], limits: { wallMs: 0 } }],
    ['an unknown key', { argv: ['true'], network: true } as unknown as Parameters<typeof runInSandbox>[0]],
  ];
  it.each(cases)('%s', async (_name, spec) => {
    const before = await sandboxDirs();
    await expect(runInSandbox(spec)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await sandboxDirs()).toEqual(before);
  });
});

describe('runInSandbox without isolation', () => {
  const none: SandboxSupport = {
    available: false,
    method: 'none',
    platform: process.platform,
    runningAsRoot: isRoot,
    tools: {},
    reasons: ['bubblewrap (bwrap) is not installed.'],
  };

  it('refuses with UNAVAILABLE and the reasons', async () => {
    const err = await runInSandbox({ argv: ['true'] }, { support: none }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', details: { reasons: none.reasons } });
    expect(String((err as Error).message)).toContain('bubblewrap');
  });

  it('runs with allowUnsandboxed, still in a temp dir with the clean environment, and says so', async () => {
    process.env.EVOLVE_SBX_UNSANDBOXED_SECRET = 'leak-me-not';
    try {
      const r = await runInSandbox({ argv: [PY, '-c', 'import os; print(sorted(os.environ))'], allowUnsandboxed: true }, { support: none });
      expect(r.method).toBe('unsandboxed');
      expect(r.exitCode).toBe(0);
      expect(r.stdout.text).not.toContain('EVOLVE_SBX_UNSANDBOXED_SECRET');
    } finally {
      delete process.env.EVOLVE_SBX_UNSANDBOXED_SECRET;
    }
  });
});
