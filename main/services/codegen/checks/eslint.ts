// ESLint in-process with OUR flat configs only (overrideConfigFile: true — no eslint.config.* of the project, or of
// any folder above the virtual root, is ever looked up or loaded): one config for correctness, one for security.
import path from 'node:path';
import os from 'node:os';
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import { ESLint, type Linter } from 'eslint';
import noUnsanitized from 'eslint-plugin-no-unsanitized';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import type { CodeFile, Finding } from '../../../../common/codegen/types';
import { eslintLintSeverity, eslintSecuritySeverity } from './severity';

export const JS_TS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
const FILES = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** Files are linted as text under this root; it need not exist (lintText never reads the disk for the code). */
const VIRTUAL_ROOT = path.join(os.tmpdir(), 'evolve-eslint-virtual');

/** Exported for the test that puts a hostile eslint.config.js right there and proves it is never loaded. */
export const eslintVirtualRoot = (): string => VIRTUAL_ROOT;

/** Every file is parsed by typescript-eslint's parser (a superset of JS, with JSX), with browser + Node globals. */
const base: Linter.Config[] = [
  // ESLint ignores node_modules/ by default; a generated file there must still be linted, never silently skipped.
  { ignores: ['!**/node_modules/'] },
  {
    files: FILES,
    languageOptions: {
      parser: tseslint.parser as Linter.Parser,
      parserOptions: { ecmaFeatures: { jsx: true }, sourceType: 'module' },
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
  },
];

/**
 * Correctness: eslint:recommended + typescript-eslint's recommended (syntax-only, no type information) — undefined
 * names are left to tsc for .ts (no-undef off there, as typescript-eslint advises).
 */
const LINT_CONFIG: Linter.Config[] = [
  ...base,
  { files: FILES, ...js.configs.recommended },
  ...(tseslint.configs.recommended as Linter.Config[]).map((c) => ({ ...c, files: FILES })),
  { files: ['**/*.{ts,tsx,mts,cts}'], rules: { 'no-undef': 'off' } },
];

/**
 * Security: eslint-plugin-security's recommended set, @microsoft/eslint-plugin-sdl's "required" set (common, Node,
 * React, Electron, Angular rules and the core no-eval family; its "recommended" also registers an older copy of
 * eslint-plugin-security, which clashes), and eslint-plugin-no-unsanitized's recommended set.
 */
const SECURITY_CONFIG: Linter.Config[] = [
  ...base,
  security.configs.recommended,
  ...sdl.configs.required,
  noUnsanitized.configs.recommended,
];

let lintEngine: ESLint | undefined;
let securityEngine: ESLint | undefined;

function engine(kind: 'lint' | 'security'): ESLint {
  if (kind === 'lint') return (lintEngine ??= new ESLint({ cwd: VIRTUAL_ROOT, overrideConfigFile: true, overrideConfig: LINT_CONFIG }));
  return (securityEngine ??= new ESLint({ cwd: VIRTUAL_ROOT, overrideConfigFile: true, overrideConfig: SECURITY_CONFIG }));
}

export const eslintVersion = (): string => ESLint.version;

export async function runEslint(files: CodeFile[], kind: 'lint' | 'security'): Promise<Finding[]> {
  const eng = engine(kind);
  const findings: Finding[] = [];
  for (const f of files) {
    const [res] = await eng.lintText(f.content, { filePath: path.join(VIRTUAL_ROOT, f.path) });
    for (const m of res?.messages ?? []) {
      findings.push({
        tool: 'eslint',
        ruleId: m.ruleId ?? 'parse-error',
        severity: kind === 'lint' ? eslintLintSeverity(m.ruleId, m.severity) : eslintSecuritySeverity(m.ruleId),
        file: f.path,
        line: m.line ?? 0,
        column: m.column,
        message: m.message,
      });
    }
  }
  // The scan reports a file it could not parse once, as info: the static check owns the syntax error.
  return kind === 'security' ? dedupeParseErrors(findings) : findings;
}

function dedupeParseErrors(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.ruleId !== 'parse-error') return true;
    if (seen.has(f.file)) return false;
    seen.add(f.file);
    return true;
  });
}
