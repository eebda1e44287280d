// The score from real engines (py_compile + ruff, Bandit, tsc + ESLint, tree-sitter): the breakdown matches the
// checks that ran (a Bandit high finding zeroes security; a syntax error fails compiles and is not counted as lint).
import { describe, expect, it } from 'vitest';
import { checkPython, checkTypeScript, scanSecurity } from '../../../main/services/codegen/checks';
import { measureComplexity } from '../../../main/services/codegen/complexity';
import { scoreCandidate } from '../../../main/services/codegen/score';
import { scoreInputFromChecks } from '../../../main/services/codegen/score-input';

const SAFE_PY = `import subprocess\n\n\ndef run(args: list[str]) -> str:\n    """Run a command without a shell."""\n    return subprocess.run(args, capture_output=True, text=True, check=True).stdout\n`;
const SHELL_PY = `import subprocess\n\n\ndef run(cmd: str) -> str:\n    """Run a command line."""\n    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout\n`;
const BROKEN_PY = `def run(cmd)\n    return cmd\n`;

async function scorePython(code: string) {
  const files = [{ path: 'main.py', content: code }];
  const [staticCheck, security, complexity] = await Promise.all([
    checkPython(files),
    scanSecurity(files, 'python'),
    measureComplexity(code, 'python'),
  ]);
  return {
    staticCheck,
    security,
    result: scoreCandidate(scoreInputFromChecks({ language: 'python', code, staticCheck, security, complexity })),
  };
}

describe('score from real checks', () => {
  it('shell=True: the security signal shows Bandit high finding at its line; the safe version scores higher', async () => {
    const risky = await scorePython(SHELL_PY);
    const high = risky.security.findings.filter((f) => f.severity === 'high');
    expect(high.map((f) => [f.tool, f.line])).toContainEqual(['bandit', 6]);
    const sec = risky.result.breakdown.find((b) => b.signal === 'security');
    expect(sec).toMatchObject({ measured: true, value: 0, detail: expect.stringMatching(new RegExp(`^${high.length} high`)) });
    const safe = await scorePython(SAFE_PY);
    expect(safe.result.score).toBeGreaterThan(risky.result.score);
    expect(safe.result.breakdown.find((b) => b.signal === 'docs')?.value).toBe(1);
    expect(safe.result.breakdown.find((b) => b.signal === 'complexity')?.detail).toContain('syntax tree');
  }, 120_000);

  it('a syntax error: compiles is 0, the error is not double-counted as lint, and the score is under every compiling one', async () => {
    const broken = await scorePython(BROKEN_PY);
    expect(broken.staticCheck.findings.some((f) => f.tool === 'py_compile')).toBe(true);
    expect(broken.result.breakdown.find((b) => b.signal === 'compiles')).toMatchObject({ value: 0, points: 0 });
    expect(broken.result.score).toBeLessThan(30);
    const lint = broken.result.breakdown.find((b) => b.signal === 'lint');
    const ruffNonSyntax = broken.staticCheck.findings.filter((f) => f.tool === 'ruff' && f.ruleId !== 'invalid-syntax');
    expect(lint?.detail).toBe(
      `0 high, ${ruffNonSyntax.filter((f) => f.severity === 'medium').length} medium, ${ruffNonSyntax.filter((f) => f.severity === 'low').length} low, ${ruffNonSyntax.filter((f) => f.severity === 'info').length} info`,
    );
  }, 120_000);

  it('TypeScript: a type error fails compiles; the fixed version compiles', async () => {
    const bad = `/** Doubles. */\nexport function double(n: number): number {\n  return n * "2";\n}\n`;
    const good = bad.replace('"2"', '2');
    const score = async (code: string) => {
      const files = [{ path: 'main.ts', content: code }];
      const staticCheck = await checkTypeScript(files);
      return scoreCandidate(
        scoreInputFromChecks({ language: 'typescript', code, staticCheck, security: await scanSecurity(files, 'typescript') }),
      );
    };
    const b = await score(bad);
    const g = await score(good);
    expect(b.breakdown.find((x) => x.signal === 'compiles')?.value).toBe(0);
    expect(g.breakdown.find((x) => x.signal === 'compiles')?.value).toBe(1);
    expect(g.score).toBeGreaterThan(29);
    expect(b.score).toBeLessThanOrEqual(29);
  }, 120_000);
});
