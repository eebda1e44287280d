// An edit request on a multi-file fixture project through the real stages (prompt, py_compile/ruff, the project's
// own pytest tests in the sandbox): a SEARCH block that does not match goes back with "did you mean" and is never
// applied; the resent block applies, the user's tests for the target pass, and the diff is against the file on disk.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGeneration, type EngineModel } from '../../../../main/services/codegen/engine';
import { applyHunks } from '../../../../main/services/codegen/edits';

const CALC =
  'from shop.money import cents\n\n\ndef total(prices):\n    return sum(prices)\n\n\ndef average(prices):\n    return total(prices) / len(prices)\n';
const MONEY = 'def cents(x):\n    return round(x * 100)\n';
const TESTS =
  'from shop.calc import average, total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n\n\ndef test_average_empty():\n    assert average([]) == 0\n';

function fixedModel(answers: string[]): EngineModel {
  const queue = [...answers];
  return {
    id: 'fixed-answers',
    contextTokens: 8192,
    countTokens: (t) => Math.ceil(t.length / 4),
    complete: async () => ({ text: queue.shift() ?? '', tokens: 10 }),
  };
}

describe('edit on a fixture project (real stages, the project tests)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'evolve-edit-project-'));
  mkdirSync(path.join(root, 'shop'));
  mkdirSync(path.join(root, 'tests'));
  writeFileSync(path.join(root, 'shop', '__init__.py'), '');
  writeFileSync(path.join(root, 'shop', 'calc.py'), CALC);
  writeFileSync(path.join(root, 'shop', 'money.py'), MONEY);
  writeFileSync(path.join(root, 'tests', 'test_calc.py'), TESTS);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a non-matching SEARCH is repaired, never applied; the project tests pass after the edit', async () => {
    const block = (search: string) =>
      `shop/calc.py\n\`\`\`python\n<<<<<<< SEARCH\n${search}=======\ndef average(prices):\n    if not prices:\n        return 0\n    return total(prices) / len(prices)\n>>>>>>> REPLACE\n\`\`\`\n`;
    const wrong = block('def average(prices):\n    return sum(prices) / len(prices)\n');
    const right = block('def average(prices):\n    return total(prices) / len(prices)\n');
    const r = await runGeneration(
      {
        type: 'edit',
        language: 'python',
        prompt: 'average() of an empty list must return 0',
        projectId: 'p1',
        targetFile: 'shop/calc.py',
        maxRounds: 2,
        samples: 1,
      },
      { model: async () => fixedModel([wrong, right]), project: async (id) => ({ id, root }) },
      () => undefined,
    );
    const [first, second] = r.candidates[0]!.rounds;
    expect(first!.error).toMatch(/did not match/);
    expect(first!.feedback).toMatch(/Did you mean/);
    expect(first!.files.find((f) => f.path === 'shop/calc.py')!.content).toBe(CALC);
    expect(second!.error).toBeUndefined();
    expect(second!.tests?.cases.filter((c) => c.origin === 'user').map((c) => c.passed)).toEqual([true, true]);
    expect(r.tests?.status).toBe('passed');
    expect(r.files.map((f) => f.path)).toEqual(['shop/calc.py']);
    // The diff applies to the file on disk and gives the edited text.
    const onDisk = readFileSync(path.join(root, 'shop', 'calc.py'), 'utf8');
    const applied = applyHunks(
      onDisk,
      r.diffs[0]!,
      r.diffs[0]!.hunks.map((h) => h.id),
    );
    expect(applied).toContain('if not prices:');
  }, 180_000);
});
