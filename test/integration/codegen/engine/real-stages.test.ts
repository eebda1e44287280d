// runGeneration over the real stages (assemblePrompt, py_compile/ruff, pytest in the sandbox, Bandit/secretlint scan,
// tree-sitter complexity) and the real encrypted store, with fixed model answers so each path is certain: a hanging
// candidate is a stored failed round (killed by the wall clock) that gets repaired; the score breakdown returned and
// stored matches the checks, tests and scan that ran; Go and C++ get a real compile check in the sandbox.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../../common/codegen/types';
import { CodegenStore } from '../../../../main/services/codegen/codegen-store';
import { compileCheck, runGeneration, type EngineModel, type GenerateEvent } from '../../../../main/services/codegen/engine';
import { isCompileError } from '../../../../main/services/codegen/score-input';
import { makeStore, newKey, tempDir, type TestStore } from '../../store/helpers';
import { onPath } from '../../../../main/services/codegen/engine/compile-check';

const PROMPT = 'def double(n: int) -> int:\n    """Return n times two.\n\n    >>> double(4)\n    8\n    """\n';
const fence = (code: string) => `\`\`\`python\n${code}\`\`\``;

function fixedModel(answers: string[]): EngineModel {
  const queue = [...answers];
  return {
    id: 'fixed-answers',
    contextTokens: 4096,
    countTokens: (t) => Math.ceil(t.length / 4),
    complete: async () => {
      const text = queue.shift();
      if (text === undefined) throw new Error('no more answers');
      return { text, tokens: Math.ceil(text.length / 4) };
    },
  };
}

describe('runGeneration on the real stages and store', () => {
  const tmp = tempDir('evolve-engine-');
  let s: TestStore;
  let store: CodegenStore;

  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'engine.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    store = new CodegenStore(s.client);
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('a hanging candidate is a stored failed round (killed by the wall clock) and the repair passes', async () => {
    const hang = 'def double(n: int) -> int:\n    """Return n times two."""\n    while True:\n        pass\n';
    const good = 'def double(n: int) -> int:\n    """Return n times two."""\n    return n * 2\n';
    const events: GenerateEvent[] = [];
    const r = await runGeneration(
      { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 2, samples: 1 },
      { model: async () => fixedModel([fence(hang), fence(good)]), store },
      (e) => events.push(e),
    );
    const [first, second] = r.candidates[0]!.rounds;
    expect(first!.tests?.status).toBe('failed');
    expect(first!.tests?.killedBy).toBe('wall');
    expect(first!.feedback).toMatch(/ran too long/);
    expect(second!.tests?.status).toBe('passed');
    expect(r.error).toBeUndefined();
    const stored = await store.get(r.generationId!);
    expect(stored.status).toBe('done');
    expect(stored.rounds.map((x) => x.round)).toEqual([0, 1]);
    expect(stored.rounds[0]!.testOutput.length).toBeGreaterThan(0);
    expect(stored.code).toContain('return n * 2');
  }, 120_000);

  it('the score breakdown (returned and stored) matches the checks, tests and scan that ran', async () => {
    // Unused import (ruff F401), eval on input (Bandit B307), and a docstring example that passes.
    const code = 'import os\n\n\ndef double(n: int) -> int:\n    """Return n times two."""\n    return eval(str(n)) * 2\n';
    const r = await runGeneration(
      { type: 'function', language: 'python', prompt: PROMPT, maxRounds: 0, samples: 1 },
      { model: async () => fixedModel([fence(code)]), store },
      () => undefined,
    );
    const final = r.candidates[r.selected]!.final;
    const checkFindings: Finding[] = final.checks.flatMap((c) => c.findings);
    const by = (fs: Finding[]) =>
      `${['high', 'medium', 'low', 'info'].map((sev) => `${fs.filter((f) => f.severity === sev).length} ${sev}`).join(', ')}`;
    const item = (signal: string) => r.score.breakdown.find((b) => b.signal === signal)!;

    expect(final.checks.map((c) => c.name)).toEqual(['python']);
    expect(checkFindings.some((f) => f.ruleId === 'F401')).toBe(true);
    expect(item('compiles')).toMatchObject({ measured: true, value: checkFindings.some(isCompileError) ? 0 : 1 });
    expect(item('lint')).toMatchObject({ measured: true, detail: by(checkFindings.filter((f) => !isCompileError(f))) });
    expect(r.scan.findings.some((f) => f.ruleId.startsWith('B307') && f.line === 6)).toBe(true);
    expect(item('security')).toMatchObject({ measured: true, detail: by(r.scan.findings) });
    const cases = r.tests!.cases;
    expect(cases.length).toBeGreaterThan(0);
    expect(item('tests')).toMatchObject({
      measured: true,
      detail: `docstring ${cases.filter((c) => c.passed).length}/${cases.length}`,
    });
    expect(item('complexity').detail).toContain('syntax tree');
    expect(item('coverage').measured).toBe(false);
    const stored = await store.get(r.generationId!);
    expect(stored.score).toBe(r.score.score);
    expect(stored.breakdown).toEqual(r.score.breakdown);
    expect(stored.findings).toEqual([...checkFindings, ...r.scan.findings]);
  }, 120_000);

  it('a test request: the answer is a test file beside the target, run on the real code, and repaired when it fails there', async () => {
    // The prompt shows the signature of the code under test: it must not be demanded from the answer (a test file).
    const calc = 'def double(n: int) -> int:\n    """Return n times two."""\n    return n * 2\n';
    const wrong = 'from calc import double\n\n\ndef test_double():\n    assert double(2) == 5\n';
    const right =
      'from calc import double\n\n\ndef test_double():\n    assert double(2) == 4\n\n\ndef test_zero():\n    assert double(0) == 0\n';
    const r = await runGeneration(
      {
        type: 'test',
        language: 'python',
        prompt: `Write pytest tests for double in calc.py:\n\n${PROMPT}`,
        maxRounds: 2,
        samples: 1,
        files: [{ path: 'calc.py', content: calc }],
        targetFile: 'calc.py',
      },
      { model: async () => fixedModel([fence(wrong), fence(right)]), store },
      () => undefined,
    );
    const [first, second] = r.candidates[0]!.rounds;
    expect(first!.error).toBeUndefined();
    expect(first!.tests?.cases).toEqual([expect.objectContaining({ origin: 'user', passed: false })]);
    expect(first!.feedback).toMatch(/1 test\(s\) failed/);
    expect(second!.tests?.status).toBe('passed');
    expect(second!.tests?.cases.map((c) => c.passed)).toEqual([true, true]);
    // The tests go next to the code under test, which stays as it was.
    expect(r.files.find((f) => f.path === 'test_calc.py')?.content).toBe(right);
    expect(r.files.filter((f) => f.path === 'calc.py' && f.content !== calc)).toEqual([]);
  }, 120_000);

  it('a TS test request that calls test() and assert without importing them gets the node:test imports and runs', async () => {
    const answer =
      "import { double } from './calc.js';\n\ntest('two', () => {\n  assert.strictEqual(double(2), 4);\n});\n\ntest('zero', () => {\n  assert.strictEqual(double(0), 0);\n});\n";
    const r = await runGeneration(
      {
        type: 'test',
        language: 'typescript',
        prompt: 'Write node:test tests for double in calc.ts',
        maxRounds: 0,
        samples: 1,
        files: [{ path: 'calc.ts', content: 'export function double(n: number): number {\n  return n * 2;\n}\n' }],
        targetFile: 'calc.ts',
      },
      { model: async () => fixedModel([`\`\`\`typescript\n${answer}\`\`\``]), store },
      () => undefined,
    );
    const round = r.candidates[0]!.rounds[0]!;
    expect(round.tests?.status).toBe('passed');
    expect(round.tests?.cases.map((c) => c.passed)).toEqual([true, true]);
    expect(r.files.find((f) => f.path === 'calc.test.ts')?.content).toBe(
      `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n${answer}`,
    );
  }, 120_000);

  it('a test request whose answer holds no test is sent back, not passed', async () => {
    const none = 'from calc import double\n\nprint(double(2))\n';
    const some = 'from calc import double\n\n\ndef test_two():\n    assert double(2) == 4\n';
    const r = await runGeneration(
      {
        type: 'test',
        language: 'python',
        prompt: 'Write pytest tests for double in calc.py',
        maxRounds: 1,
        samples: 1,
        files: [{ path: 'calc.py', content: 'def double(n):\n    return n * 2\n' }],
        targetFile: 'calc.py',
      },
      { model: async () => fixedModel([fence(none), fence(some)]), store },
      () => undefined,
    );
    const [first, second] = r.candidates[0]!.rounds;
    expect(first!.tests?.status).toBe('no-tests');
    expect(first!.feedback).toMatch(/defines no test/);
    expect(second!.tests?.status).toBe('passed');
  }, 120_000);

  it.skipIf(!onPath('go'))(
    'Go: a syntax error is found by gofmt -e in the sandbox with its line',
    async () => {
      const bad = await compileCheck([{ path: 'main.go', content: 'package main\n\nfunc Add(a, b int) int { return a + }\n' }], 'go');
      expect(bad?.ok).toBe(false);
      expect(bad?.findings[0]).toMatchObject({ ruleId: 'compile-error', file: 'main.go', line: 3 });
      const good = await compileCheck(
        [{ path: 'main.go', content: 'package main\n\nfunc Add(a, b int) int { return a + b }\n\nfunc main() {}\n' }],
        'go',
      );
      expect(good).toMatchObject({ ok: true, findings: [] });
    },
    120_000,
  );

  it.skipIf(!onPath('g++'))(
    'C++: g++ -fsyntax-only in the sandbox reports the line',
    async () => {
      const bad = await compileCheck([{ path: 'main.cpp', content: 'int add(int a, int b) {\n  return a + ;\n}\n' }], 'cpp');
      expect(bad?.ok).toBe(false);
      expect(bad?.findings.find((f) => f.severity === 'high')).toMatchObject({ file: 'main.cpp', line: 2 });
      const good = await compileCheck([{ path: 'main.cpp', content: 'int add(int a, int b) { return a + b; }\n' }], 'cpp');
      expect(good?.ok).toBe(true);
    },
    120_000,
  );
});
