// checkPython with the real py_compile step and the pinned ruff from the tools venv (setup_python_tools installs it;
// the test run's setup does that, so a missing venv fails here rather than skipping): syntax errors, undefined names,
// unused variables, a clean file, bad input, and the typed UNAVAILABLE error when the tools are missing.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPython, locatePythonTools, PYTHON_TOOLS_SETUP_COMMAND } from '../../../../main/services/codegen/checks';
import { CheckResultSchema } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { CLEAN_PY } from './snippets';

const rules = (r: { findings: { tool: string; ruleId: string; line: number }[] }) =>
  r.findings.map((f) => `${f.tool}:${f.ruleId}@${f.line}`);

describe('checkPython', () => {
  it('finds the tools with their real, pinned versions', async () => {
    const tools = await locatePythonTools();
    expect(tools.versions.ruff).toBe('0.17.5');
    expect(tools.versions.bandit).toBe('1.9.4');
    expect(tools.versions.python).toMatch(/^3\.\d+\.\d+$/);
  });

  it('passes a clean file with no findings and reports the tools that ran', async () => {
    const r = await checkPython([{ path: 'pkg/clean.py', content: CLEAN_PY }]);
    expect(CheckResultSchema.parse(r)).toEqual(r);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tools.map((t) => t.name)).toEqual(['python', 'ruff']);
  });

  it('reports a syntax error from both the compiler and ruff, with the right line, and fails', async () => {
    const r = await checkPython([{ path: 'bad.py', content: 'def ok():\n    return 1\n\ndef broken(:\n    pass\n' }]);
    expect(r.ok).toBe(false);
    const compile = r.findings.find((f) => f.tool === 'py_compile');
    expect(compile).toMatchObject({ ruleId: 'SyntaxError', severity: 'high', file: 'bad.py', line: 4 });
    expect(r.findings.some((f) => f.tool === 'ruff' && f.ruleId === 'invalid-syntax' && f.line === 4)).toBe(true);
  });

  it('reports an undefined name as high and an unused variable and import as low', async () => {
    const code = ['import os', '', '', 'def total(xs):', '    unused = 0', '    return sum(xs) + offset', ''].join('\n');
    const r = await checkPython([{ path: 'm.py', content: code }]);
    expect(rules(r)).toEqual(['ruff:F401@1', 'ruff:F841@5', 'ruff:F821@6']);
    expect(r.findings.map((f) => f.severity)).toEqual(['low', 'low', 'high']);
    expect(r.findings[1]).toMatchObject({ column: 5, message: expect.stringContaining('unused') });
    expect(r.ok).toBe(false);
  });

  it('reports bugbear findings (mutable default argument) as medium, without failing the check', async () => {
    const r = await checkPython([{ path: 'b.py', content: 'def add(item, items=[]):\n    items.append(item)\n    return items\n' }]);
    expect(rules(r)).toEqual(['ruff:B006@1']);
    expect(r.findings[0]?.severity).toBe('medium');
    expect(r.ok).toBe(true);
  });

  it('checks several files at once and maps each finding to its own file', async () => {
    const r = await checkPython([
      { path: 'a/one.py', content: CLEAN_PY },
      { path: 'a/two.py', content: 'x = (\n' },
      { path: 'README.md', content: '# not python' },
    ]);
    expect(new Set(r.findings.map((f) => f.file))).toEqual(new Set(['a/two.py']));
  });

  it('refuses bad input with INVALID_ARGUMENT before running anything', async () => {
    const bad: unknown[] = [
      [{ path: '../escape.py', content: 'x = 1\n' }],
      [{ path: '/abs.py', content: 'x = 1\n' }],
      [
        { path: 'a.py', content: '' },
        { path: './a.py', content: '' },
      ],
      [{ path: 'notes.txt', content: 'x' }],
      [{ path: 'a.py' }],
    ];
    for (const input of bad) {
      await expect(checkPython(input as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('says UNAVAILABLE with the setup command when the tools venv is missing — never a pass', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'evolve-no-tools-'));
    try {
      const err = await checkPython([{ path: 'a.py', content: 'x = (\n' }], { toolsDir: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EvolveError);
      expect(err).toMatchObject({ code: 'UNAVAILABLE' });
      expect((err as EvolveError).message).toContain(PYTHON_TOOLS_SETUP_COMMAND);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('a tool that runs past its time limit is a TIMEOUT error, and a cancelled check is CANCELLED', async () => {
    await expect(checkPython([{ path: 'a.py', content: CLEAN_PY }], { timeoutMs: 1 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const ac = new AbortController();
    const pending = checkPython([{ path: 'a.py', content: CLEAN_PY }], { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('leaves no temp dir behind', async () => {
    const before = (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith('evolve-checks-')).length;
    await checkPython([{ path: 'a.py', content: CLEAN_PY }]);
    const after = (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith('evolve-checks-')).length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
