// The model-tests probe's arithmetic (model-tests-probe.ts): which model-written cases a run shows right or wrong, and
// the summary line per prompt. Kept apart from the probe so it is unit-tested without a model.
import type { TestRun } from '../../../common/codegen/engine';

/** One prompt's suite on one problem: cases written, right on the reference, and right ones failing the wrong answer. */
export interface SuiteProbe {
  id: string;
  prompt: string;
  tokens: number;
  seconds: number;
  /** Cases parsed from the answer (0: no suite). */
  cases: number;
  /** Cases that pass on the reference. */
  right: number;
  /** Of the right cases, those that fail the single-shot answer that failed hidden tests (null: no such answer). */
  catches: number | null;
  wrongCases: { id: string; message: string }[];
  /** The parsed suite's test files, to read what the model asserted (absent: no suite). */
  suite?: string;
}

/** The line of a failure that says what was asserted (pytest's `E ` lines, node's AssertionError), else its first. */
function gist(message: string | undefined): string {
  const lines = (message ?? '').split('\n').map((l) => l.trim());
  const said = lines.find((l) => l.startsWith('E ') || /AssertionError|Error:/.test(l)) ?? lines[0] ?? '';
  return said.slice(0, 160);
}

/** The model-written cases of a run: the ids that passed, and the failing ones with what they asserted. */
export function splitCases(run: TestRun): { right: Set<string>; wrong: { id: string; message: string }[] } {
  const model = run.cases.filter((c) => c.origin === 'model');
  return {
    right: new Set(model.filter((c) => c.passed).map((c) => c.id)),
    wrong: model.filter((c) => !c.passed).map((c) => ({ id: c.id, message: gist(c.message) })),
  };
}

/** Right cases on the reference that do not pass on the wrong answer: the ones that tell it apart. */
export function catches(onReference: Set<string>, onWrong: Set<string>): number {
  return [...onReference].filter((id) => !onWrong.has(id)).length;
}

/** One line per prompt: suites written, cases right, problems whose every case is right, wrong answers caught. */
export function summaryLine(prompt: string, rows: readonly SuiteProbe[]): string {
  const mine = rows.filter((r) => r.prompt === prompt);
  const sum = (f: (r: SuiteProbe) => number): number => mine.reduce((s, r) => s + f(r), 0);
  const cases = sum((r) => r.cases);
  const right = sum((r) => r.right);
  const withWrong = mine.filter((r) => r.catches !== null);
  const pct = cases > 0 ? `${Math.round((100 * right) / cases)} %` : 'n/a';
  return (
    `${prompt}: ${mine.length} problems, suites ${mine.filter((r) => r.cases > 0).length}, cases ${cases}, right ${right} (${pct}), ` +
    `every case right in ${mine.filter((r) => r.cases > 0 && r.right === r.cases).length}; ` +
    `wrong answers caught ${withWrong.filter((r) => (r.catches ?? 0) > 0).length} of ${withWrong.length}; ` +
    `tokens ${sum((r) => r.tokens)}, seconds ${sum((r) => r.seconds).toFixed(0)}`
  );
}
