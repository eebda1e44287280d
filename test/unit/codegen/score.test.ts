// Quality score: measured signals only, documented weights, monotonic in failures and findings, compile gate.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../common/codegen/types';
import {
  cyclomaticComplexity,
  hasEntryDocs,
  NOT_COMPILING_CAP,
  SCORE_WEIGHTS,
  scoreCandidate,
  type ScoreInput,
} from '../../../main/services/codegen/score';

const PY = `def add(a, b):\n    """Return a + b."""\n    return a + b\n`;
const finding = (severity: Finding['severity'], tool = 'bandit'): Finding => ({
  tool,
  ruleId: 'R1',
  severity,
  file: 'a.py',
  line: 1,
  message: 'm',
});
const base: ScoreInput = {
  language: 'python',
  code: PY,
  compiles: true,
  lint: [],
  security: [],
  tests: { user: { passed: 2, total: 2 }, docstring: { passed: 1, total: 1 }, model: { passed: 3, total: 3 } },
};

describe('scoreCandidate', () => {
  it('weights sum to 100 and a clean, tested, documented candidate scores 100 with every measured signal listed', () => {
    expect(Object.values(SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    const r = scoreCandidate({ ...base, coverage: 1 });
    expect(r.score).toBe(100);
    expect(r.breakdown.map((b) => b.signal)).toEqual(['compiles', 'tests', 'security', 'lint', 'complexity', 'docs', 'coverage']);
    expect(r.breakdown.every((b) => b.measured && b.points === b.weight)).toBe(true);
  });

  it('unmeasured signals give no points and do not dilute the score; the breakdown says they did not run', () => {
    const r = scoreCandidate({ language: 'python', code: PY, compiles: true });
    const byName = Object.fromEntries(r.breakdown.map((b) => [b.signal, b]));
    expect(byName.tests).toMatchObject({ measured: false, points: 0, detail: 'no tests ran' });
    expect(byName.lint?.measured).toBe(false);
    expect(byName.coverage?.measured).toBe(false);
    expect(r.score).toBe(100); // compiles + complexity + docs, all full
  });

  it('adding a failing test never raises the score, whatever the origin and starting point', () => {
    const starts: ScoreInput[] = [base, { ...base, tests: undefined }, { ...base, tests: { model: { passed: 0, total: 1 } } }];
    for (const s of starts) {
      for (const origin of ['user', 'docstring', 'model'] as const) {
        const before = scoreCandidate(s).score;
        const c = s.tests?.[origin] ?? { passed: 0, total: 0 };
        const after = scoreCandidate({ ...s, tests: { ...s.tests, [origin]: { passed: c.passed, total: c.total + 1 } } }).score;
        expect(after, `${origin}`).toBeLessThanOrEqual(before);
      }
    }
    // A failing user test costs more than a failing model-written one.
    const user = scoreCandidate({ ...base, tests: { ...base.tests, user: { passed: 1, total: 2 } } }).score;
    const model = scoreCandidate({ ...base, tests: { ...base.tests, model: { passed: 2, total: 3 } } }).score;
    expect(user).toBeLessThan(model);
  });

  it('adding a finding never raises the score; a high security finding zeroes the security signal', () => {
    let s: ScoreInput = base;
    let prev = scoreCandidate(s).score;
    for (const sev of ['info', 'low', 'medium', 'high', 'high'] as const) {
      s = { ...s, security: [...(s.security ?? []), finding(sev)], lint: [...(s.lint ?? []), finding(sev, 'ruff')] };
      const now = scoreCandidate(s).score;
      expect(now).toBeLessThanOrEqual(prev);
      prev = now;
    }
    const high = scoreCandidate({ ...base, security: [finding('high')] });
    expect(high.breakdown.find((b) => b.signal === 'security')).toMatchObject({
      value: 0,
      points: 0,
      detail: '1 high, 0 medium, 0 low, 0 info',
    });
    expect(high.score).toBe(84); // 80 of the 95 measured points (coverage not measured)
  });

  it('a candidate that does not compile scores below any that compiles', () => {
    const best = scoreCandidate({ ...base, compiles: false, coverage: 1 }).score;
    const worst = scoreCandidate({
      ...base,
      code: 'def f(x):\n' + '    if x and x or x:\n        pass\n'.repeat(40),
      security: [finding('high'), finding('high')],
      lint: Array.from({ length: 20 }, () => finding('high', 'ruff')),
      tests: { user: { passed: 0, total: 5 } },
      coverage: 0,
    }).score;
    expect(best).toBeLessThanOrEqual(NOT_COMPILING_CAP);
    expect(worst).toBeGreaterThan(NOT_COMPILING_CAP);
  });

  it('bad input is a typed error', () => {
    expect(() => scoreCandidate({ ...base, tests: { user: { passed: 3, total: 2 } } })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => scoreCandidate({ ...base, language: 'cobol' as never })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => scoreCandidate({ ...base, coverage: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('complexity and docs', () => {
  it('counts decision points, not keywords in strings or comments', () => {
    expect(cyclomaticComplexity(PY, 'python')).toMatchObject({ functions: 1, total: 1 });
    const branchy = `def f(x):\n    # if while for\n    s = "if and or"\n    if x > 0 and x < 9:\n        return 1\n    for i in range(x):\n        pass\n    return 0\n`;
    expect(cyclomaticComplexity(branchy, 'python')).toMatchObject({ functions: 1, total: 4 });
    const ts = `/** doc */\nexport function f(a: number): number {\n  // if\n  const s = 'for while';\n  return a > 0 && a < 3 ? 1 : a === 5 || a === 6 ? 2 : 0;\n}\n`;
    expect(cyclomaticComplexity(ts, 'typescript')).toMatchObject({ functions: 1, total: 5 });
  });

  it('finds the docstring or JSDoc of the public entry', () => {
    expect(hasEntryDocs(PY, 'python')).toBe(true);
    expect(hasEntryDocs('def _helper():\n    pass\n\ndef run(x):\n    return x\n', 'python')).toBe(false);
    expect(hasEntryDocs('x = 1\n', 'python')).toBeUndefined();
    expect(hasEntryDocs('/** Adds. */\nexport function add(a: number, b: number) { return a + b; }\n', 'typescript')).toBe(true);
    expect(hasEntryDocs('// not jsdoc\nexport function add(a, b) { return a + b; }\n', 'javascript')).toBe(false);
  });
});
