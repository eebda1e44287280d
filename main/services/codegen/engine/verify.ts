// The check stage of one round: static checks by language (full for Python/TS/JS, compile-only for Go/Rust/Java/C++
// when their toolchain is on PATH, else unchecked), what in them and in the test run needs a repair, and the feedback.
import type { CheckResult, CodeFile, Finding, Language } from '../../../../common/codegen/types';
import { isEvolveError } from '../../../../common/errors';
import { isCompileError, isSyntaxError } from '../score-input';
import type { NamedCheck, Stages, TestRun } from './types';

export type CheckedLevel = 'full' | 'compile-only' | 'unchecked';
export interface StaticChecks {
  checks: NamedCheck[];
  level: CheckedLevel;
  note?: string;
}

const SCRIPT = /\.(?:[cm]?[jt]sx?)$/;

/** Runs the language's static checks on the changed files (TS/JS see the support files so imports resolve). */
export async function staticChecks(
  stages: Pick<Stages, 'checkPython' | 'checkTypeScript' | 'compileCheck'>,
  language: Language,
  all: CodeFile[],
  changed: ReadonlySet<string>,
  opts: { signal?: AbortSignal; tsconfig?: string },
): Promise<StaticChecks> {
  const mine = all.filter((f) => changed.has(f.path));
  const only = (r: CheckResult): CheckResult => {
    const findings = r.findings.filter((f) => changed.has(f.file) || f.file === '');
    return { ...r, findings, ok: !findings.some((f) => f.severity === 'high') };
  };
  try {
    if (language === 'python') {
      const py = mine.filter((f) => /\.pyi?$/.test(f.path));
      if (py.length === 0) return { checks: [], level: 'unchecked', note: 'no Python file in the answer' };
      return { checks: [{ name: 'python', ...(await stages.checkPython(py, { signal: opts.signal })) }], level: 'full' };
    }
    if (language === 'typescript' || language === 'javascript') {
      const scripts = all.filter((f) => SCRIPT.test(f.path));
      if (!mine.some((f) => SCRIPT.test(f.path))) return { checks: [], level: 'unchecked', note: 'no TS/JS file in the answer' };
      const r = await stages.checkTypeScript(scripts, { signal: opts.signal, ...(opts.tsconfig ? { tsconfig: opts.tsconfig } : {}) });
      return { checks: [{ name: 'typescript', ...only(r) }], level: 'full' };
    }
    const r = await stages.compileCheck(mine, language, opts.signal);
    if (!r) return { checks: [], level: 'unchecked', note: `no ${language} toolchain on PATH: compile check skipped` };
    return { checks: [{ name: 'compile', ...r }], level: 'compile-only' };
  } catch (e) {
    // A missing tool (the Python tools venv) is reported as such, never as a failed candidate.
    if (isEvolveError(e) && e.code === 'UNAVAILABLE') return { checks: [], level: 'unchecked', note: e.message };
    throw e;
  }
}

export function compileErrors(checks: readonly NamedCheck[]): Finding[] {
  return checks.flatMap((c) => c.findings.filter(isCompileError));
}

/** The compile errors that keep the code from running (its tests are not run while there is one). */
export function syntaxErrors(checks: readonly NamedCheck[]): Finding[] {
  return checks.flatMap((c) => c.findings.filter(isSyntaxError));
}

/** Cases of the given origins that failed; a killed or uncollectable run counts as a failure of the suite. */
export function failingNonModel(tests: TestRun | null): boolean {
  if (!tests) return false;
  if (tests.status === 'unavailable' || tests.status === 'no-tests' || tests.status === 'passed') return false;
  const nonModel = tests.cases.filter((c) => c.origin !== 'model');
  if (tests.status === 'error' || tests.killedBy) return true;
  return nonModel.some((c) => !c.passed);
}

const MAX_FEEDBACK = 4000;

/** The source line a finding points at, quoted for the model (undefined when the file or line is not in `files`). */
function quotedLine(files: readonly { path: string; content: string }[], file: string, line: number): string | undefined {
  const text = files.find((f) => f.path === file)?.content.split('\n')[line - 1];
  return text === undefined || text.trim() === '' ? undefined : `    ${line} | ${text.trimEnd().slice(0, 200)}`;
}

/**
 * What goes back to the model (and into the stored round the UI shows): compile errors, each with the line of the
 * round's code it points at, as Aider quotes the offending lines, then failing tests (already trimmed by the runner).
 * Tried once on the eval's ts-hex-color (`const hex` reassigned): the greedy 1.5B resent the same code with or without
 * the quote.
 */
export function repairFeedback(
  checks: readonly NamedCheck[],
  tests: TestRun | null,
  files: readonly { path: string; content: string }[] = [],
): string {
  const parts: string[] = [];
  const errors = compileErrors(checks);
  if (errors.length > 0) {
    parts.push(
      `The code does not compile:\n${errors
        .slice(0, 10)
        .map((f) => {
          const quote = f.file && f.line ? quotedLine(files, f.file, f.line) : undefined;
          return `${f.file}:${f.line}: ${f.message}${quote ? `\n${quote}` : ''}`;
        })
        .join('\n')}`,
    );
  }
  if (tests && failingNonModel(tests)) {
    const failed = tests.cases.filter((c) => !c.passed && c.origin !== 'model');
    const head = tests.killedBy
      ? `The tests were stopped (${tests.killedBy === 'wall' ? 'they ran too long — an endless loop?' : tests.killedBy}).`
      : tests.status === 'error'
        ? 'The tests could not run against the code:'
        : `${failed.length} test(s) failed:`;
    // The run's output is these cases' messages joined (run-tests.ts): sent only when no case carries its own, else
    // each failure went back twice (and a small model's prompt is processed at ~70 tokens/s on 2 cores).
    const output = failed.some((c) => c.message) ? '' : tests.output;
    parts.push(`${head}\n${failed.map((c) => `- ${c.id}${c.message ? `: ${c.message}` : ''}`).join('\n')}\n${output}`.trim());
  }
  const text = parts.join('\n\n');
  return text.length > MAX_FEEDBACK ? `${text.slice(0, MAX_FEEDBACK)}\n…` : text;
}

/** Passed/total per origin, as the score wants it. */
export function testCounts(tests: TestRun | null): Partial<Record<'user' | 'docstring' | 'model', { passed: number; total: number }>> {
  const out: Partial<Record<'user' | 'docstring' | 'model', { passed: number; total: number }>> = {};
  if (!tests || tests.status === 'unavailable' || tests.status === 'no-tests') return out;
  for (const c of tests.cases) {
    const o = (out[c.origin] ??= { passed: 0, total: 0 });
    o.total++;
    if (c.passed) o.passed++;
  }
  return out;
}

/** One CheckResult over all checks of a round (the score's `staticCheck`). */
export function mergeChecks(checks: readonly NamedCheck[]): CheckResult {
  return {
    ok: checks.every((c) => c.ok),
    findings: checks.flatMap((c) => c.findings),
    tools: checks.flatMap((c) => c.tools),
    durationMs: checks.reduce((s, c) => s + c.durationMs, 0),
  };
}

/** One round's visible-test run and its model-test run as one result (a round reports a single TestRun). */
export function mergeTestRuns(a: TestRun, b: TestRun): TestRun {
  const rank = { error: 4, failed: 3, unavailable: 2, passed: 1, 'no-tests': 0 } as const;
  const status = rank[a.status] >= rank[b.status] ? a.status : b.status;
  const killedBy = a.killedBy ?? b.killedBy;
  const unavailableReason = a.unavailableReason ?? b.unavailableReason;
  const invalidTests = [...(a.invalidTests ?? []), ...(b.invalidTests ?? [])];
  return {
    ...a,
    status,
    runner: a.runner === b.runner ? a.runner : `${a.runner}; ${b.runner}`,
    cases: [...a.cases, ...b.cases],
    output: [a.output, b.output].filter(Boolean).join('\n'),
    durationMs: (a.durationMs ?? 0) + (b.durationMs ?? 0),
    ...(killedBy ? { killedBy } : {}),
    ...(unavailableReason ? { unavailableReason } : {}),
    ...(invalidTests.length ? { invalidTests } : {}),
  };
}
