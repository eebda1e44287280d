// How each engine's own severity becomes ours (info < low < medium < high). `high` means "does not compile" for
// the static checks and "blocks apply unless overridden" for the security scan, so it is given sparingly.
import type { Finding } from '../../../../common/codegen/types';

export type Severity = Finding['severity'];
const ORDER: Severity[] = ['info', 'low', 'medium', 'high'];

/** One step down (used when an engine says it is unsure, e.g. Bandit confidence LOW). */
export const lower = (s: Severity): Severity => ORDER[Math.max(0, ORDER.indexOf(s) - 1)]!;

/**
 * ruff: a syntax error (`invalid-syntax`, or a null code) and the pyflakes/pylint rules that are certain runtime
 * errors (undefined names, PLE*, E9) are high; bugbear (B) and async misuse (ASYNC) are likely bugs, medium;
 * everything else (unused imports/variables, E4/E7 statement style) is low.
 */
export function ruffSeverity(code: string | null): Severity {
  if (code === null || code === 'invalid-syntax' || code === 'E999' || code.startsWith('E9') || code.startsWith('PLE')) return 'high';
  if (code === 'F821' || code === 'F822' || code === 'F823' || code === 'F706' || code === 'F704') return 'high';
  if (code.startsWith('B') || code.startsWith('ASYNC')) return 'medium';
  return 'low';
}

/**
 * Bandit tests whose own severity we raise: running a string as code (eval B307, exec B102) is high here, as
 * ESLint's no-eval is for JS — Bandit rates them MEDIUM because it cannot tell a constant from input.
 */
const BANDIT_RAISED: Record<string, Severity> = { B307: 'high', B102: 'high' };

/** Bandit: its issue severity as is (HIGH/MEDIUM/LOW) unless raised above, one step lower when its confidence is LOW. */
export function banditSeverity(severity: string, confidence: string, testId = ''): Severity {
  const own: Severity = severity === 'HIGH' ? 'high' : severity === 'MEDIUM' ? 'medium' : severity === 'LOW' ? 'low' : 'info';
  const base = BANDIT_RAISED[testId] ?? own;
  return confidence === 'LOW' ? lower(base) : base;
}

/**
 * tsc: an error is high (the code does not compile) except "declared but never read" (TS6133/6192/6196/6198, only
 * errors when the tsconfig asks), which is low; warnings medium; suggestions and messages info.
 */
export function tscSeverity(category: 'error' | 'warning' | 'suggestion' | 'message', code: number): Severity {
  if ([6133, 6138, 6192, 6196, 6198, 6199, 6205].includes(code)) return 'low';
  return category === 'error' ? 'high' : category === 'warning' ? 'medium' : 'info';
}

/** ESLint correctness rules: a parse error is high; rule errors medium; warnings low; unused code low. */
export function eslintLintSeverity(ruleId: string | null, eslintSeverity: number): Severity {
  if (ruleId === null) return 'high';
  if (ruleId.endsWith('no-unused-vars')) return 'low';
  return eslintSeverity >= 2 ? 'medium' : 'low';
}

/**
 * ESLint security rules, per rule (the plugins' own levels are all "error"/"warn" and say nothing about impact):
 * code execution and DOM injection are high; unsafe patterns that need a specific input to hurt are medium;
 * rules with many false positives on ordinary code (object-injection, non-literal fs paths/regexps) are low.
 * Unlisted rules are medium.
 */
const SECURITY_RULES: Record<string, Severity> = {
  'no-eval': 'high',
  'no-implied-eval': 'high',
  'no-new-func': 'high',
  'security/detect-eval-with-expression': 'high',
  'security/detect-child-process': 'high',
  'security/detect-disable-mustache-escape': 'high',
  'security/detect-bidi-characters': 'high',
  'security/detect-non-literal-require': 'medium',
  'security/detect-unsafe-regex': 'medium',
  'security/detect-pseudoRandomBytes': 'medium',
  'security/detect-buffer-noassert': 'medium',
  'security/detect-new-buffer': 'medium',
  'security/detect-no-csrf-before-method-override': 'medium',
  'security/detect-possible-timing-attacks': 'low',
  'security/detect-non-literal-fs-filename': 'low',
  'security/detect-non-literal-regexp': 'low',
  'security/detect-object-injection': 'low',
  'no-unsanitized/method': 'high',
  'no-unsanitized/property': 'high',
  '@microsoft/sdl/no-inner-html': 'high',
  '@microsoft/sdl/no-html-method': 'high',
  '@microsoft/sdl/no-document-write': 'high',
  '@microsoft/sdl/no-electron-node-integration': 'high',
  '@microsoft/sdl/no-msapp-exec-unsafe': 'high',
  '@microsoft/sdl/no-winjs-html-unsafe': 'high',
  '@microsoft/sdl/no-angular-bypass-sanitizer': 'high',
  '@microsoft/sdl/no-angularjs-bypass-sce': 'high',
  '@microsoft/sdl/no-insecure-url': 'medium',
  '@microsoft/sdl/no-postmessage-star-origin': 'medium',
  '@microsoft/sdl/no-unsafe-alloc': 'medium',
  '@microsoft/sdl/no-insecure-random': 'medium',
  '@microsoft/sdl/no-document-domain': 'medium',
  '@microsoft/sdl/no-cookies': 'low',
  'react/no-danger': 'high',
  'react/jsx-no-target-blank': 'medium',
  'react/iframe-missing-sandbox': 'medium',
  'n/no-deprecated-api': 'low',
};

export function eslintSecuritySeverity(ruleId: string | null): Severity {
  if (ruleId === null) return 'info'; // a parse error: the static check reports it; the scan just could not look
  return SECURITY_RULES[ruleId] ?? 'medium';
}

/** secretlint: every "error" is a live credential in the code, so high; warning medium; info low. */
export function secretlintSeverity(severity: string): Severity {
  return severity === 'error' ? 'high' : severity === 'warning' ? 'medium' : 'low';
}

/** Stable order for results: by file, line, column, tool, rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.tool.localeCompare(b.tool) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
