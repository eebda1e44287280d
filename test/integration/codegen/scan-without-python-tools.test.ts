// A packaged install without the Python tools: the security scan still runs secretlint, reports the missing Bandit
// scan as a visible finding (never a silent pass) and does not throw, so the codegen round goes on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPython, scanSecurity } from '../../../main/services/codegen/checks';
import { AWS_KEY_PY } from './checks/snippets';
import { scoreCandidate } from '../../../main/services/codegen/score';
import { scoreInputFromChecks } from '../../../main/services/codegen/score-input';

const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-no-pytools-'));
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

describe('security scan without the Python tools', () => {
  it('reports Bandit as not run (medium), still runs secretlint, and scores below a scanned clean file', async () => {
    const files = [{ path: 'app.py', content: AWS_KEY_PY }];
    const r = await scanSecurity(files, 'python', { toolsDir: empty });
    const notRun = r.findings.find((f) => f.tool === 'bandit');
    expect(notRun).toMatchObject({ ruleId: 'not-run', severity: 'medium', file: 'app.py' });
    expect(notRun?.message).toMatch(/Not security-scanned/);
    expect(r.tools.map((t) => t.name)).toEqual(['secretlint']);
    expect(r.findings.some((f) => f.tool === 'secretlint')).toBe(true);

    const clean = [{ path: 'app.py', content: 'def one() -> int:\n    """One."""\n    return 1\n' }];
    const unscanned = await scanSecurity(clean, 'python', { toolsDir: empty });
    const scanned = await scanSecurity(clean, 'python');
    const staticCheck = await checkPython(clean);
    const score = (security: typeof scanned) =>
      scoreCandidate(scoreInputFromChecks({ language: 'python', code: clean[0]!.content, staticCheck, security })).score;
    expect(score(unscanned)).toBeLessThan(score(scanned));
  }, 120_000);
});
