// The codegen eval problem set is sound: it parses, ids are unique, ≥ 60 problems in both languages, every reference
// passes its examples and hidden tests for real (pytest / node --test), every hidden test fails against a wrong
// answer, TypeScript type-checks, and no hidden-test text or reference reaches the prompt. Deliberately broken copies
// ride along in the same runs to prove each check can fail (one pytest, one node and one tsc run in all).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../../eval/codegen/load';
import { renderPrompt } from '../../../eval/codegen/prompt';
import { PROBLEM_TYPES, type CodegenProblem } from '../../../eval/codegen/schema';
import { findPytestPython } from '../../../eval/codegen/verify/pytest-batch';
import { typecheckTypeScriptProblems } from '../../../eval/codegen/verify/typecheck';
import { promptDefects, verifyLanguage } from '../../../eval/codegen/verify/verify';

const REPO = path.resolve(import.meta.dirname, '../../..');

/**
 * Broken copies of a good problem: a wrong reference, one that does not even parse (it must fail alone, not stop
 * the batch), a hidden test every wrong answer passes, and a prompt that leaks the hidden tests.
 */
function brokenCopies(p: CodegenProblem, wrongReference: string, vacuousTest: string): CodegenProblem[] {
  return [
    { ...p, id: `${p.id}-wrong`, reference: wrongReference },
    { ...p, id: `${p.id}-syntax`, reference: p.lang === 'python' ? 'def broken(:\n' : 'export function broken( {\n' },
    { ...p, id: `${p.id}-vacuous`, hiddenTests: p.hiddenTests + vacuousTest },
    { ...p, id: `${p.id}-leak`, prompt: p.prompt + '\n' + p.hiddenTests },
  ];
}

const isBroken = (defect: string): boolean => /^[a-z0-9-]+-(wrong|syntax|vacuous|leak|typo):/.test(defect);

describe('codegen eval problem set', () => {
  const problems = loadProblems();
  const byId = (id: string): CodegenProblem => problems.find((p) => p.id === id)!;

  it('has ≥ 60 problems with unique ids in both languages and every request type', () => {
    expect(problems.length).toBeGreaterThanOrEqual(60);
    expect(new Set(problems.map((p) => p.id)).size).toBe(problems.length);
    expect(problems.filter((p) => p.lang === 'python').length).toBeGreaterThanOrEqual(30);
    expect(problems.filter((p) => p.lang === 'typescript').length).toBeGreaterThanOrEqual(25);
    for (const lang of ['python', 'typescript'] as const) {
      const types = new Set(problems.filter((p) => p.lang === lang).map((p) => p.type));
      expect([...types].sort(), lang).toEqual([...PROBLEM_TYPES].sort());
    }
    const byDifficulty = (d: string): number => problems.filter((p) => p.difficulty === d).length;
    expect(byDifficulty('medium')).toBeGreaterThan(byDifficulty('easy'));
    expect(byDifficulty('hard')).toBeGreaterThanOrEqual(5);
  });

  it('keeps hidden tests and references out of the prompt, and keeps prompt signatures in the reference', () => {
    expect(problems.flatMap((p) => promptDefects(p))).toEqual([]);
    for (const p of problems) {
      const prompt = renderPrompt(p);
      for (const ex of p.examples) expect(prompt, p.id).toContain(ex);
      expect(prompt, p.id).not.toContain(p.hiddenTests.trim());
    }
  });

  it('python: references pass examples and hidden tests; every hidden test fails for some wrong answer', () => {
    const broken = brokenCopies(
      byId('py-chunk-list'),
      'def chunk(items, size):\n    return [items]\n',
      '\n\ndef test_always():\n    assert 1 + 1 == 2\n',
    );
    const report = verifyLanguage([...problems, ...broken], 'python', { python: findPytestPython(REPO) });
    console.log(
      `[eval-problems] python: ${report.problems} problems (4 broken on purpose), ${report.referenceTests} hidden tests, ${report.naiveRuns} wrong-answer runs, pytest ${report.seconds.toFixed(1)} s`,
    );
    expect(report.defects.filter((d) => !isBroken(d))).toEqual([]);
    expect(report.referenceTests).toBeGreaterThanOrEqual(report.problems * 3);
    const found = report.defects.filter(isBroken);
    expect(found.some((d) => d.startsWith('py-chunk-list-wrong: reference fails hidden test'))).toBe(true);
    expect(found.some((d) => d.startsWith('py-chunk-list-wrong: reference fails test_example_1'))).toBe(true);
    expect(found.some((d) => d.startsWith('py-chunk-list-syntax: reference fails hidden test test_hidden.py'))).toBe(true);
    expect(found).toContain('py-chunk-list-vacuous: hidden test test_always passes for every wrong answer');
    expect(found.some((d) => d.startsWith('py-chunk-list-leak: hidden-test line in the prompt'))).toBe(true);
  }, 120_000);

  it('typescript: references pass examples and hidden tests; every hidden test fails for some wrong answer', () => {
    const broken = brokenCopies(
      byId('ts-truncate-middle'),
      'export function truncateMiddle(text: string): string {\n  return text;\n}\n',
      "\ntest('always', () => {});\n",
    );
    const report = verifyLanguage([...problems, ...broken], 'typescript');
    console.log(
      `[eval-problems] typescript: ${report.problems} problems (4 broken on purpose), ${report.referenceTests} hidden tests, ${report.naiveRuns} wrong-answer runs, node ${report.seconds.toFixed(1)} s`,
    );
    expect(report.defects.filter((d) => !isBroken(d))).toEqual([]);
    expect(report.referenceTests).toBeGreaterThanOrEqual(report.problems * 3);
    const found = report.defects.filter(isBroken);
    expect(found.some((d) => d.startsWith('ts-truncate-middle-wrong: reference fails hidden test'))).toBe(true);
    expect(found.some((d) => d.startsWith('ts-truncate-middle-syntax: reference fails hidden test <load>'))).toBe(true);
    expect(found).toContain('ts-truncate-middle-vacuous: hidden test always passes for every wrong answer');
    expect(found.some((d) => d.startsWith('ts-truncate-middle-leak: hidden-test line in the prompt'))).toBe(true);
  }, 120_000);

  it('typescript: references and tests type-check under strict', () => {
    const typo: CodegenProblem = {
      ...byId('ts-truncate-middle'),
      id: 'ts-truncate-middle-typo',
      reference: 'export const truncateMiddle = (n: number): string => n;\n',
    };
    const diagnostics = typecheckTypeScriptProblems([...problems, typo], REPO);
    expect(diagnostics.filter((d) => !isBroken(d))).toEqual([]);
    expect(diagnostics.some((d) => d.startsWith('ts-truncate-middle-typo: solution.ts:1:'))).toBe(true);
  }, 120_000);
});
