// Cyclomatic complexity on the tree-sitter syntax tree, per function, for Python, TypeScript and JavaScript.
import { describe, expect, it } from 'vitest';
import { measureComplexity } from '../../../main/services/codegen/complexity';
import { scoreCandidate } from '../../../main/services/codegen/score';

const PY = `
def grade(score, bonus=False):
    """Letter grade."""
    # if while for — a comment is not a branch
    if score > 90 and not bonus:
        return "A"
    elif score > 80 or bonus:
        return "B"
    for _ in range(3):
        try:
            pass
        except ValueError:
            pass
    return "C" if score > 50 else "F"

def evens(xs):
    return [x for x in xs if x % 2 == 0]

def plain():
    return "if and or"
`;

const TS = `
/** Sign of n. */
export function sign(n: number): number {
  switch (n) {
    case 0:
      return 0;
    default:
      return n > 0 ? 1 : -1;
  }
}
export const pick = (a?: string, b?: string) => a ?? b ?? (a && b) ?? '';
class Box {
  open(x: number) {
    while (x > 0) x--;
    const inner = () => (x < 0 || x > 9 ? 1 : 0);
    return inner();
  }
}
`;

describe('measureComplexity', () => {
  it('counts Python branches, boolean operators, handlers, conditional expressions and comprehension clauses', async () => {
    const m = await measureComplexity(PY, 'python');
    // grade: 1 + if + and + elif + or + for + except + conditional = 8; evens: 1 + for_in + if_clause = 3; plain: 1.
    expect(m?.functions.map((f) => [f.name, f.line, f.complexity])).toEqual([
      ['grade', 2, 8],
      ['evens', 16, 3],
      ['plain', 19, 1],
    ]);
    expect(m?.max).toBe(8);
    expect(m?.mean).toBe(4);
  });

  it('counts TypeScript case arms, ternaries and short-circuit operators; a nested arrow is its own unit', async () => {
    const m = await measureComplexity(TS, 'typescript');
    expect(m?.functions.map((f) => [f.name, f.complexity])).toEqual([
      ['sign', 3], // case 0 + ternary (default is not a decision)
      ['<arrow_function>', 5], // ?? ?? && ??
      ['open', 2], // while
      ['<arrow_function>', 3], // || + ternary
    ]);
  });

  it('module-level code counts as one unit; unsupported languages are undefined (the score estimates instead)', async () => {
    expect((await measureComplexity('x = 1 if y else 2\n', 'python'))?.functions).toEqual([{ name: '<module>', line: 1, complexity: 2 }]);
    expect(await measureComplexity('fn main() {}', 'rust')).toBeUndefined();
  });

  it('the score uses the measured complexity when given', async () => {
    const code = 'def f(x):\n    return x\n';
    const simple = scoreCandidate({ language: 'python', code, compiles: true, complexity: { mean: 1, max: 1, functions: 1 } });
    const tangled = scoreCandidate({ language: 'python', code, compiles: true, complexity: { mean: 25, max: 40, functions: 1 } });
    expect(tangled.breakdown.find((b) => b.signal === 'complexity')).toMatchObject({
      value: 0.25,
      detail: expect.stringContaining('syntax tree'),
    });
    expect(tangled.score).toBeLessThan(simple.score);
  });
});
