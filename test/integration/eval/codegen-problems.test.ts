// The codegen eval problem set is sound: it parses, ids are unique, ≥ 60 problems in both languages, every reference
// passes its examples and hidden tests for real (pytest / node --test), every hidden test fails against a wrong
// answer, and no hidden-test text or reference reaches the prompt.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../../eval/codegen/load';
import { type CodegenProblem } from '../../../eval/codegen/schema';
import { renderPrompt } from '../../../eval/codegen/prompt';
import { PROBLEM_TYPES } from '../../../eval/codegen/schema';
import { findPytestPython } from '../../../eval/codegen/verify/pytest-batch';
import { typecheckTypeScriptProblems } from '../../../eval/codegen/verify/typecheck';
import { promptDefects, verifyLanguage } from '../../../eval/codegen/verify/verify';

const REPO = path.resolve(import.meta.dirname, '../../..');

describe('codegen eval problem set', () => {
  const problems = loadProblems();

  it('has ≥ 60 problems with unique ids in both languages and every request type', () => {
    expect(problems.length).toBeGreaterThanOrEqual(60);
    expect(new Set(problems.map((p) => p.id)).size).toBe(problems.length);
    const py = problems.filter((p) => p.lang === 'python').length;
    const tsCount = problems.filter((p) => p.lang === 'typescript').length;
    expect(py).toBeGreaterThanOrEqual(30);
    expect(tsCount).toBeGreaterThanOrEqual(25);
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
    const report = verifyLanguage(problems, 'python', { python: findPytestPython(REPO) });
    console.log(
      `[eval-problems] python: ${report.problems} problems, ${report.referenceTests} hidden tests, ${report.naiveRuns} wrong-answer runs, pytest ${report.seconds.toFixed(1)} s`,
    );
    expect(report.defects).toEqual([]);
    expect(report.referenceTests).toBeGreaterThanOrEqual(report.problems * 3);
  }, 120_000);

  it('typescript: references pass examples and hidden tests; every hidden test fails for some wrong answer', () => {
    const report = verifyLanguage(problems, 'typescript');
    console.log(
      `[eval-problems] typescript: ${report.problems} problems, ${report.referenceTests} hidden tests, ${report.naiveRuns} wrong-answer runs, node --test ${report.seconds.toFixed(1)} s`,
    );
    expect(report.defects).toEqual([]);
    expect(report.referenceTests).toBeGreaterThanOrEqual(report.problems * 3);
  }, 120_000);

  it('typescript: references and tests type-check under strict', () => {
    expect(typecheckTypeScriptProblems(problems, REPO)).toEqual([]);
  }, 120_000);

  // The validator itself must be able to fail: a wrong reference, a vacuous hidden test and a leaked test line
  // are each reported, in both languages.
  it('reports a wrong reference, a hidden test no wrong answer fails, and a leak', () => {
    const py = problems.find((p) => p.id === 'py-chunk-list')!;
    const ts = problems.find((p) => p.id === 'ts-truncate-middle')!;
    const broken = (p: CodegenProblem, reference: string, extraTest: string): CodegenProblem[] => [
      { ...p, id: `${p.id}-wrong`, reference },
      { ...p, id: `${p.id}-vacuous`, hiddenTests: p.hiddenTests + extraTest },
      { ...p, id: `${p.id}-leak`, prompt: p.prompt + '\n' + p.hiddenTests },
    ];
    const pyBad = broken(py, 'def chunk(items, size):\n    return [items]\n', '\n\ndef test_always():\n    assert 1 + 1 == 2\n');
    const pyReport = verifyLanguage(pyBad, 'python', { python: findPytestPython(REPO) });
    expect(pyReport.defects.some((d) => d.startsWith('py-chunk-list-wrong: reference fails hidden test'))).toBe(true);
    expect(pyReport.defects.some((d) => d.startsWith('py-chunk-list-wrong: reference fails test_example_1'))).toBe(true);
    expect(pyReport.defects).toContain('py-chunk-list-vacuous: hidden test test_always passes for every wrong answer');
    expect(pyReport.defects.some((d) => d.startsWith('py-chunk-list-leak: hidden-test line in the prompt'))).toBe(true);

    const tsBad = broken(
      ts,
      'export function truncateMiddle(text: string): string {\n  return text;\n}\n',
      "\ntest('always', () => {});\n",
    );
    const tsReport = verifyLanguage(tsBad, 'typescript');
    expect(tsReport.defects.some((d) => d.startsWith('ts-truncate-middle-wrong: reference fails hidden test'))).toBe(true);
    expect(tsReport.defects).toContain('ts-truncate-middle-vacuous: hidden test always passes for every wrong answer');
    expect(tsReport.defects.some((d) => d.startsWith('ts-truncate-middle-leak: hidden-test line in the prompt'))).toBe(true);
    const typeErrors = typecheckTypeScriptProblems(
      [{ ...ts, reference: 'export const truncateMiddle = (n: number): string => n;\n' }],
      REPO,
    );
    expect(typeErrors.some((d) => d.startsWith('ts-truncate-middle: solution.ts:1:'))).toBe(true);
  }, 120_000);
});
