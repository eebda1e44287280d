// runTests for Python against the real sandbox (bubblewrap) and real pytest (the tools venv, or a project's venv):
// passing, failing with trimmed output, a hang killed at the wall, a syntax error, and a missing runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests, testEnvironment, OUTPUT_CAP_BYTES } from '../../../../main/services/codegen/tests';

const candidate = (code: string) => [{ path: 'solution.py', content: code }];
const suite = (origin: 'user' | 'docstring' | 'model', name: string, content: string) => ({ origin, files: [{ path: name, content }] });

const GOOD = 'def add(a, b):\n    return a + b\n';
const TESTS = [
  'from solution import add',
  '',
  'def test_small():',
  '    assert add(1, 2) == 3',
  '',
  'def test_negative():',
  '    assert add(-1, -2) == -3',
  '',
].join('\n');

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('runTests (python, real sandbox + pytest)', () => {
  it('passes a correct candidate and names each case with its origin', async () => {
    const run = await runTests({
      language: 'python',
      files: candidate(GOOD),
      suites: [
        suite('user', 'test_user.py', TESTS),
        suite('model', 'test_model.py', 'from solution import add\n\ndef test_zero():\n    assert add(0, 0) == 0\n'),
      ],
    });
    expect(run.status).toBe('passed');
    expect(run.runner).toMatch(/^pytest \d+\.\d+\.\d+ \(tools venv/);
    expect(run.cases).toEqual(
      expect.arrayContaining([
        { id: 'test_user.py::test_small', origin: 'user', passed: true },
        { id: 'test_user.py::test_negative', origin: 'user', passed: true },
        { id: 'test_model.py::test_zero', origin: 'model', passed: true },
      ]),
    );
    expect(run.cases).toHaveLength(3);
    expect(run.output).toBe('');
  });

  it('fails a wrong candidate with the assertion and the candidate frame, not pytest internals', async () => {
    const wrong = 'def add(a, b):\n    if a < 0:\n        raise ValueError("negative " + str(a))\n    return a + b + 1\n';
    const run = await runTests({ language: 'python', files: candidate(wrong), suites: [suite('user', 'test_user.py', TESTS)] });
    expect(run.status).toBe('failed');
    const byId = Object.fromEntries(run.cases.map((c) => [c.id, c]));
    expect(byId['test_user.py::test_small']?.passed).toBe(false);
    expect(byId['test_user.py::test_small']?.message).toContain('assert 4 == 3');
    const neg = byId['test_user.py::test_negative']?.message ?? '';
    expect(neg).toContain('solution.py:3: in add');
    expect(neg).toContain('ValueError: negative -1');
    expect(run.output).toContain('FAILED test_user.py::test_small');
    expect(run.output).not.toMatch(/evolve-sbx-|site-packages|_pytest|\.evolve-run/);
    expect(Buffer.byteLength(run.output)).toBeLessThanOrEqual(OUTPUT_CAP_BYTES + 64);
  });

  it('kills a hanging test at the wall and reports which one hung, keeping the results before it', async () => {
    const hang = 'import time\n\ndef add(a, b):\n    while a > 100:\n        time.sleep(0.05)\n    return a + b\n';
    const tests = `${TESTS}\ndef test_big():\n    assert add(1000, 1) == 1001\n`;
    const run = await runTests({
      language: 'python',
      files: candidate(hang),
      suites: [suite('docstring', 'test_doc.py', tests)],
      limits: { wallMs: 4000 },
    });
    expect(run.status).toBe('failed');
    expect(run.killedBy).toBe('wall');
    expect(run.cases.find((c) => c.id === 'test_doc.py::test_small')?.passed).toBe(true);
    const hung = run.cases.find((c) => c.id === 'test_doc.py::test_big');
    expect(hung).toMatchObject({ passed: false, origin: 'docstring' });
    expect(hung?.message).toContain('did not finish');
    expect(run.output).toContain('FAILED test_doc.py::test_big');
  });

  it('reports a syntax error in the candidate as an error run with the line, not a crash', async () => {
    const run = await runTests({
      language: 'python',
      files: candidate('def add(a, b)\n    return a + b\n'),
      suites: [suite('user', 'test_user.py', TESTS)],
    });
    expect(run.status).toBe('error');
    expect(run.cases).toEqual([expect.objectContaining({ id: 'test_user.py', origin: 'user', passed: false })]);
    expect(run.output).toContain('SyntaxError');
    expect(run.output).toContain('solution.py');
    expect(run.output).not.toContain('evolve-sbx-');
  });

  it('says unavailable (not failed) when no venv has pytest, and why', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-tools-'));
    scratch.push(empty);
    const run = await runTests(
      { language: 'python', files: candidate(GOOD), suites: [suite('user', 'test_user.py', TESTS)] },
      { toolsDir: empty },
    );
    expect(run.status).toBe('unavailable');
    expect(run.cases).toEqual([]);
    expect(run.unavailableReason).toContain('No pytest');
    expect(run.unavailableReason).toContain('setup_python_tools');
    const env = await testEnvironment('python', undefined, { toolsDir: empty });
    expect(env).toMatchObject({ available: false, runner: 'pytest' });
  });

  it("uses a project's own venv (mounted read-only) when it has pytest", async () => {
    // The repository's .venv has pytest (scripts/python/setup-python.sh): it stands in for a user's project venv.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-proj-'));
    scratch.push(project);
    fs.symlinkSync(path.resolve('.venv'), path.join(project, '.venv'));
    const env = await testEnvironment('python', project);
    expect(env).toMatchObject({ available: true, runner: expect.stringContaining('(project .venv)') });
    const run = await runTests({
      language: 'python',
      files: candidate(GOOD),
      suites: [suite('user', 'test_user.py', TESTS)],
      projectRoot: project,
    });
    expect(run).toMatchObject({ status: 'passed', runner: expect.stringContaining('project .venv') });
  });

  it('reports no-tests for suites without tests, and rejects colliding files before writing anything', async () => {
    const none = await runTests({ language: 'python', files: candidate(GOOD), suites: [] });
    expect(none.status).toBe('no-tests');
    const empty = await runTests({
      language: 'python',
      files: candidate(GOOD),
      suites: [suite('model', 'test_m.py', 'import solution\n')],
    });
    expect(empty.status).toBe('no-tests');
    await expect(
      runTests({ language: 'python', files: candidate(GOOD), suites: [suite('user', 'solution.py', 'x = 1\n')] }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('is CANCELLED when the signal aborts a running test, promptly', async () => {
    const ac = new AbortController();
    const hang = 'import time\n\ndef add(a, b):\n    time.sleep(60)\n';
    const started = Date.now();
    setTimeout(() => ac.abort(), 1500);
    await expect(
      runTests({ language: 'python', files: candidate(hang), suites: [suite('user', 'test_user.py', TESTS)], signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
