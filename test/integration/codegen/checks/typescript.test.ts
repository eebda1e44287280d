// checkTypeScript with the real TypeScript compiler API and ESLint in-process: syntax and type errors with their
// lines, unused variables, a clean file, JS, a project's tsconfig read as data (its strictness and node_modules
// types apply), diagnostics of the project's own files left out, and bad input.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTypeScript } from '../../../../main/services/codegen/checks';
import { CheckResultSchema } from '../../../../common/codegen/types';
import { isCompileError, isSyntaxError } from '../../../../main/services/codegen/score-input';
import { CLEAN_TS } from './snippets';

let project: string;

beforeAll(async () => {
  project = await fs.mkdtemp(path.join(os.tmpdir(), 'evolve-ts-project-'));
  // A loose project: strict off, so an implicit any is fine there (and not in our default strict mode).
  await fs.writeFile(path.join(project, 'tsconfig.base.json'), '{ "compilerOptions": { "strict": false, "target": "ES2022" } }');
  await fs.writeFile(
    path.join(project, 'tsconfig.json'),
    '// comments are allowed\n{ "extends": "./tsconfig.base.json", "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "noUnusedLocals": true } }\n',
  );
  // A dependency with types in the project's node_modules, and a project file with its own type error.
  await fs.mkdir(path.join(project, 'node_modules', 'tiny-lib'), { recursive: true });
  await fs.writeFile(
    path.join(project, 'node_modules', 'tiny-lib', 'package.json'),
    '{ "name": "tiny-lib", "version": "1.0.0", "types": "index.d.ts" }',
  );
  await fs.writeFile(path.join(project, 'node_modules', 'tiny-lib', 'index.d.ts'), 'export declare function twice(n: number): number;\n');
  await fs.mkdir(path.join(project, 'src'));
  await fs.writeFile(
    path.join(project, 'src', 'existing.ts'),
    'export const broken: number = "not a number";\nexport const helper = (n: number) => n + 1;\n',
  );
});

afterAll(async () => {
  await fs.rm(project, { recursive: true, force: true });
});

describe('checkTypeScript', () => {
  it('passes a clean file with no findings', async () => {
    const r = await checkTypeScript([{ path: 'src/geo.ts', content: CLEAN_TS }]);
    expect(CheckResultSchema.parse(r)).toEqual(r);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.tools.map((t) => t.name)).toEqual(['typescript', 'eslint']);
  });

  it('reports a type error at its line and column, and fails', async () => {
    const code = 'export function len(s: string): number {\n  return s.length;\n}\nexport const n: number = len(42);\n';
    const r = await checkTypeScript([{ path: 'a.ts', content: code }]);
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([
      expect.objectContaining({ tool: 'tsc', ruleId: 'TS2345', severity: 'high', file: 'a.ts', line: 4, column: 30 }),
    ]);
  });

  it('reports a syntax error from tsc and ESLint', async () => {
    const r = await checkTypeScript([{ path: 'b.ts', content: 'export function f( {\n  return 1;\n}\n' }]);
    expect(r.ok).toBe(false);
    expect(r.findings.some((f) => f.tool === 'tsc' && f.line === 1 && f.severity === 'high')).toBe(true);
    expect(r.findings.some((f) => f.tool === 'eslint' && f.ruleId === 'parse-error')).toBe(true);
    expect(r.findings.some(isSyntaxError)).toBe(true); // its tests do not run
  });

  it("type errors the 1.5B writes (a missing return after a loop, 'possibly null') do not compile, but are no syntax errors", async () => {
    const code = [
      'export async function retry(fn: () => Promise<number>, times: number): Promise<number> {',
      '  for (let i = 0; i < times; i++) {',
      '    try { return await fn(); } catch { /* again */ }',
      '  }',
      '}',
      'export function first(xs: string[]): string {',
      '  const m = xs.join().match(/a/);',
      '  return m[0];',
      '}',
      '',
    ].join('\n');
    const r = await checkTypeScript([{ path: 'c.ts', content: code }]);
    const tsc = r.findings.filter((f) => f.tool === 'tsc').map((f) => f.ruleId);
    expect(tsc).toEqual(['TS2366', 'TS18047']);
    expect(r.findings.filter(isCompileError)).toHaveLength(2);
    expect(r.findings.some(isSyntaxError)).toBe(false); // so its tests run
  });

  it('reports an unused variable (ESLint) as low without failing the check', async () => {
    const code = 'export function f(): number {\n  const unused = 3;\n  return 1;\n}\n';
    const r = await checkTypeScript([{ path: 'c.ts', content: code }]);
    expect(r.findings).toEqual([
      expect.objectContaining({ tool: 'eslint', ruleId: '@typescript-eslint/no-unused-vars', severity: 'low', line: 2 }),
    ]);
    expect(r.ok).toBe(true);
  });

  it('checks across generated files: an import of a sibling resolves, a wrong export does not', async () => {
    const r = await checkTypeScript([
      { path: 'src/math.ts', content: 'export const add = (a: number, b: number): number => a + b;\n' },
      { path: 'src/use.ts', content: "import { add, sub } from './math';\nexport const x = add(1, 2) + sub(3, 1);\n" },
    ]);
    expect(r.findings.map((f) => `${f.file}:${f.ruleId}@${f.line}`)).toEqual(['src/use.ts:TS2305@1']);
  });

  it('parses JavaScript (syntax errors found) without type-checking it', async () => {
    const ok = await checkTypeScript([{ path: 'x.js', content: 'export function f(a) {\n  return a * 2;\n}\n' }]);
    expect(ok.findings).toEqual([]);
    const bad = await checkTypeScript([{ path: 'y.mjs', content: 'export const a = {;\n' }]);
    expect(bad.ok).toBe(false);
  });

  it('without a project, an unresolvable package import is info, not a failure', async () => {
    const r = await checkTypeScript([{ path: 'd.ts', content: "import express from 'express-not-here';\nexport const app = express;\n" }]);
    expect(r.findings.map((f) => [f.ruleId, f.severity])).toEqual([['TS2307', 'info']]);
    expect(r.ok).toBe(true);
  });

  it("uses a project's tsconfig as data: its options and node_modules types apply; its own files' errors are not ours", async () => {
    const code = "import { twice } from 'tiny-lib';\nexport function f(a) {\n  const notRead = 1;\n  return twice(a);\n}\n";
    const strict = await checkTypeScript([{ path: 'src/new.ts', content: code }]);
    // Default strict mode: implicit any (TS7006) is an error and tiny-lib cannot be resolved.
    expect(strict.findings.filter((f) => f.tool === 'tsc').map((f) => f.ruleId)).toEqual(['TS2307', 'TS7006']);
    const loose = await checkTypeScript([{ path: 'src/new.ts', content: code }], { tsconfig: path.join(project, 'tsconfig.json') });
    // The project's options: strict off (no TS7006), noUnusedLocals on (TS6133, low), tiny-lib's types resolve.
    expect(loose.findings.filter((f) => f.tool === 'tsc').map((f) => [f.ruleId, f.severity, f.line])).toEqual([['TS6133', 'low', 3]]);
    expect(loose.findings.some((f) => f.file.includes('existing'))).toBe(false);
    expect(loose.ok).toBe(true);
  });

  it("reports a project's config problem (a missing types entry) as info without failing the check", async () => {
    const cfg = path.join(project, 'tsconfig.types.json');
    await fs.writeFile(cfg, '{ "compilerOptions": { "strict": true, "types": ["no-such-types-package"] } }');
    const r = await checkTypeScript([{ path: 'src/ok.ts', content: 'export const n: number = 1;\n' }], { tsconfig: cfg });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.file])).toEqual([['TS2688', 'info', 'tsconfig.types.json']]);
    expect(r.ok).toBe(true);
  });

  it('refuses bad input: no TS/JS files, an escaping path, a missing or broken tsconfig', async () => {
    await expect(checkTypeScript([{ path: 'a.py', content: 'x = 1' }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(checkTypeScript([{ path: '../a.ts', content: '' }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(checkTypeScript([{ path: 'a.ts', content: '' }], { tsconfig: path.join(project, 'nope.json') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const broken = path.join(project, 'broken.json');
    await fs.writeFile(broken, '{ "compilerOptions": { "target": 42 ');
    await expect(checkTypeScript([{ path: 'a.ts', content: '' }], { tsconfig: broken })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
