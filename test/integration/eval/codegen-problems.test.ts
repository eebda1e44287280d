// The codegen eval problem set is sound: it parses, ids are unique, ≥ 60 problems in both languages, every reference
// passes its examples and hidden tests for real (pytest / node --test), every hidden test fails against a wrong
// answer, and no hidden-test text or reference reaches the prompt.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../../eval/codegen/load';
import { renderPrompt } from '../../../eval/codegen/prompt';
import { PROBLEM_TYPES } from '../../../eval/codegen/schema';
import { findPytestPython } from '../../../eval/codegen/verify/pytest-batch';
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
});
