// scanSecurity with the real engines: Bandit for Python, ESLint + eslint-plugin-security / @microsoft/eslint-plugin-sdl
// / eslint-plugin-no-unsanitized for TS/JS, secretlint everywhere — each finding on the right line with our
// severity; clean code gets none; inline "eslint-disable" in generated code cannot switch the scan off.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanSecurity } from '../../../../main/services/codegen/checks';
import { CheckResultSchema } from '../../../../common/codegen/types';
import { AWS_KEY_PY, CLEAN_PY, CLEAN_TS, HOSTILE_PY, HOSTILE_TS } from './snippets';

const at = (r: { findings: { tool: string; ruleId: string; line: number; severity: string }[] }) =>
  r.findings.map((f) => `${f.tool}:${f.ruleId}@${f.line}:${f.severity}`);

describe('scanSecurity — Python', () => {
  it('flags subprocess with shell=True and eval of input on their lines as high', async () => {
    const r = await scanSecurity([{ path: 'tool.py', content: HOSTILE_PY }], 'python');
    expect(CheckResultSchema.parse(r)).toEqual(r);
    expect(r.ok).toBe(false);
    expect(at(r)).toEqual(
      expect.arrayContaining(['bandit:B602:subprocess_popen_with_shell_equals_true@6:high', 'bandit:B307:blacklist@7:high']),
    );
    expect(r.tools.map((t) => t.name)).toEqual(['bandit', 'secretlint']);
    expect(r.tools[0]?.version).toBe('1.9.4');
  });

  it('flags a hard-coded AWS secret access key (secretlint) at its line, with the secret masked', async () => {
    const r = await scanSecurity([{ path: 'settings.py', content: AWS_KEY_PY }], 'python');
    const key = r.findings.find((f) => f.tool === 'secretlint');
    expect(key).toMatchObject({ ruleId: '@secretlint/secretlint-rule-aws/AWSSecretAccessKey', severity: 'high', line: 2 });
    expect(key?.message).not.toContain('Zq8vR2mT7kLp0Xw');
    expect(r.ok).toBe(false);
  });

  it('gives a clean file no findings', async () => {
    const r = await scanSecurity([{ path: 'clean.py', content: CLEAN_PY }], 'python');
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('uses our Bandit config: assert (B101) is not reported, a hard-coded password (B105) is', async () => {
    const r = await scanSecurity(
      [{ path: 't.py', content: 'password = "hunter2-hunter2"\n\n\ndef test_x():\n    assert 1 + 1 == 2\n' }],
      'python',
    );
    expect(r.findings.map((f) => f.ruleId)).toEqual(['B105:hardcoded_password_string']);
  });
});

describe('scanSecurity — TypeScript and JavaScript', () => {
  it('flags eval of input and innerHTML with user data on their lines', async () => {
    const r = await scanSecurity([{ path: 'src/render.ts', content: HOSTILE_TS }], 'typescript');
    expect(r.ok).toBe(false);
    expect(at(r)).toEqual([
      'eslint:no-eval@3:high',
      'eslint:security/detect-eval-with-expression@3:high',
      'eslint:@microsoft/sdl/no-inner-html@4:high',
      'eslint:no-unsanitized/property@4:high',
    ]);
    expect(r.tools.map((t) => t.name)).toEqual(['eslint', 'secretlint']);
  });

  it('flags child_process.exec of a variable in JavaScript, and inline eslint-disable does not silence the scan', async () => {
    const code =
      "/* eslint-disable */\nconst cp = require('child_process');\nexports.run = (cmd) => cp.exec(cmd); // eslint-disable-line\n";
    const r = await scanSecurity([{ path: 'run.js', content: code }], 'javascript');
    expect(at(r)).toContain('eslint:security/detect-child-process@3:high');
  });

  it('flags dangerouslySetInnerHTML in a React component (TSX)', async () => {
    const code = 'export function Card({ html }: { html: string }) {\n  return <div dangerouslySetInnerHTML={{ __html: html }} />;\n}\n';
    const r = await scanSecurity([{ path: 'Card.tsx', content: code }], 'typescript');
    expect(at(r)).toEqual(['eslint:react/no-danger@2:high']);
  });

  it("scans a generated file under node_modules/ too (ESLint's default ignore would skip it silently)", async () => {
    const r = await scanSecurity([{ path: 'node_modules/pkg/x.js', content: 'eval(location.hash);\n' }], 'javascript');
    expect(at(r)).toEqual(['eslint:no-eval@1:high', 'eslint:security/detect-eval-with-expression@1:high']);
  });

  it('gives a clean file no findings', async () => {
    const r = await scanSecurity([{ path: 'geo.ts', content: CLEAN_TS }], 'typescript');
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('scans secrets in any file, and other languages get the secrets scan only', async () => {
    const r = await scanSecurity(
      [{ path: 'main.go', content: 'package main\n\nconst token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n' }],
      'go',
    );
    expect(r.tools.map((t) => t.name)).toEqual(['secretlint']);
    expect(at(r)).toEqual(['secretlint:@secretlint/secretlint-rule-github/GITHUB_TOKEN@3:high']);
  });

  it('reports the secretlint version that is installed', async () => {
    const r = await scanSecurity([{ path: 'a.ts', content: CLEAN_TS }], 'typescript');
    const pkg = JSON.parse(readFileSync('node_modules/@secretlint/core/package.json', 'utf8')) as { version: string };
    expect(r.tools.find((t) => t.name === 'secretlint')?.version).toBe(pkg.version);
  });

  it('refuses an unknown language and empty input', async () => {
    await expect(scanSecurity([{ path: 'a.ts', content: '' }], 'cobol' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(scanSecurity([], 'python')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
