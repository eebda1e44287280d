// proveEquivalent's paths that need no sandbox: bad requests (INVALID_ARGUMENT, nothing runs), no sandbox or no
// Python tools ('unavailable', never 'different'), cancel before start, and how a run without a report or the
// project's test run is folded into the verdict.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SandboxResult, SandboxSupport } from '../../../../main/services/codegen/sandbox';
import type { TestRun } from '../../../../main/services/codegen/tests';
import { proveEquivalent } from '../../../../main/services/perf/equivalence';
import { whyNoReport, withProjectTests } from '../../../../main/services/perf/equivalence/prove';
import type { CodeVersion } from '../../../../common/perf/types';

const py = (code: string): CodeVersion => ({ language: 'python', files: { 'm.py': code }, module: 'm.py', function: 'f' });
const inputs = { source: 'def make_input(n, seed):\n    return (n,)\n', sizes: [1, 2, 3] };
const ok = { before: py('def f(n):\n    return n\n'), after: py('def f(n):\n    return n\n'), inputs };
const noSandbox = async (): Promise<SandboxSupport> => ({
  available: false,
  method: 'none',
  platform: 'linux',
  runningAsRoot: false,
  tools: {},
  reasons: ['bubblewrap is not installed.'],
});

describe('proveEquivalent without running anything', () => {
  it.each([
    ['different languages', { ...ok, after: { ...ok.after, language: 'typescript' } }, 'same language'],
    ['different functions', { ...ok, after: { ...ok.after, function: 'g' } }, 'same module and function'],
    ['a module that is not among the files', { ...ok, before: { ...ok.before, module: 'x.py' } }, 'x.py is not one of the before files'],
    ['a reserved path', { ...ok, after: { ...ok.after, files: { ...ok.after.files, '.evolve-eq/driver.py': '' } } }, 'reserved'],
    ['a path escaping the run', { ...ok, after: { ...ok.after, files: { '../m.py': '' } } }, 'after.files.../m.py: Invalid key in record'],
    ['fewer than three sizes', { ...ok, inputs: { ...inputs, sizes: [1, 2] } }, 'inputs.sizes'],
    ['a bad function name', { ...ok, before: { ...ok.before, function: 'a.b.c' } }, 'a function name or Class.method'],
    ['an unknown field', { ...ok, timeoutMs: 5 }, 'Unrecognized key'],
    [
      'a TS version named .py',
      { ...ok, before: { ...ok.before, language: 'typescript' }, after: { ...ok.after, language: 'typescript' } },
      'a .ts/.js file',
    ],
  ])('rejects %s with INVALID_ARGUMENT before anything runs', async (_what, request, message) => {
    const run = vi.fn();
    await expect(proveEquivalent(request as never, {}, { runInSandbox: run })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(message),
    });
    expect(run).not.toHaveBeenCalled();
  });

  it("is 'unavailable' without a sandbox, and without Hypothesis in any venv — never 'different'", async () => {
    const r = await proveEquivalent(ok, {}, { support: noSandbox });
    expect(r).toMatchObject({
      status: 'unavailable',
      tool: 'hypothesis',
      examples: 0,
      message: 'No sandbox: bubblewrap is not installed.',
    });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-tools-'));
    try {
      const available = async (): Promise<SandboxSupport> => ({
        ...(await noSandbox()),
        available: true,
        method: 'bwrap-userns',
        reasons: [],
      });
      const r2 = await proveEquivalent(ok, {}, { support: available, toolsDir: empty });
      expect(r2.status).toBe('unavailable');
      expect(r2.message).toContain('No Python with Hypothesis and coverage.py');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('throws CANCELLED for an already aborted signal', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await expect(proveEquivalent(ok, { signal: ctl.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

const sandboxResult = (over: Partial<SandboxResult>): SandboxResult => ({
  exitCode: 1,
  signal: null,
  stdout: { text: '', bytes: 0, truncated: false },
  stderr: { text: '', bytes: 0, truncated: false },
  timedOut: false,
  killedBy: undefined,
  durationMs: 10,
  method: 'bwrap-userns',
  ...over,
});

describe('whyNoReport', () => {
  it('names the limit that killed the run, or the tail of what the run said', () => {
    expect(whyNoReport(sandboxResult({ killedBy: 'wall', timedOut: true }), 5000)).toContain('did not finish within 5 s');
    expect(whyNoReport(sandboxResult({ killedBy: 'memory' }), 5000)).toContain('out of memory');
    const crashed = whyNoReport(
      sandboxResult({ stderr: { text: 'Segmentation fault in /tmp/evolve-sbx-123/before/m.py', bytes: 9, truncated: false } }),
      5000,
    );
    expect(crashed).toMatch(/^The comparison stopped without a verdict \(exit 1\): Segmentation fault/);
  });
});

const testRun = (over: Partial<TestRun>): TestRun => ({
  status: 'passed',
  runner: 'pytest 9.2.0 (tools venv)',
  cases: [],
  output: '',
  durationMs: 5,
  ...over,
});

describe('withProjectTests', () => {
  const property = { status: 'equivalent' as const, examples: 10, message: 'floats equal within …' };
  it('keeps equivalent when the tests pass, and says how many ran', () => {
    const r = withProjectTests(property, testRun({ cases: [{ id: 't.py::a', origin: 'user', passed: true }] }));
    expect(r).toMatchObject({
      status: 'equivalent',
      message: 'floats equal within …; project tests passed on the new version (1, pytest 9.2.0 (tools venv))',
    });
  });
  it("makes a failing test 'different' and names it with its failure", () => {
    const r = withProjectTests(
      property,
      testRun({
        status: 'failed',
        cases: [
          { id: 't.py::a', origin: 'user', passed: true },
          { id: 't.py::b', origin: 'user', passed: false, message: 'assert 2 == 1' },
        ],
      }),
    );
    expect(r.status).toBe('different');
    expect(r.message).toContain('project test failed on the new version: t.py::b\nassert 2 == 1');
  });
  it("is 'unavailable' (not 'different') when the tests cannot run, and 'error' when they cannot load", () => {
    expect(withProjectTests(property, testRun({ status: 'unavailable', unavailableReason: 'No pytest' }))).toMatchObject({
      status: 'unavailable',
      message: expect.stringContaining('project tests could not run: No pytest'),
    });
    expect(withProjectTests(property, testRun({ status: 'error', output: 'ImportError: cannot import name count' })).status).toBe('error');
    expect(withProjectTests(property, testRun({ status: 'no-tests' }))).toMatchObject({
      status: 'equivalent',
      message: expect.stringContaining('hold no test'),
    });
  });
});
