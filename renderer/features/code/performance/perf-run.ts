// Pure state of one performance run in the panel: the stage list folded from the `perf.optimize` events, the
// profile as soon as it arrives, the engine's summary lines, benchmark progress, then the report. Also the helpers
// the panel's form needs (sizes text, the function around the cursor). No store, no API: tested alone.
import type { PerfOptimizeEvent } from '../../../../common/contracts/perf';
import type { OptimizeReport, OptimizeStage, Suggestion } from '../../../../common/perf/optimize';
import type { ProfileResult } from '../../../../common/perf/types';
import type { UiError } from '../../../lib/errors';

export type BenchEvent = Extract<PerfOptimizeEvent, { kind: 'bench' }>;

export interface PerfStageRow {
  stage: OptimizeStage;
  proposal?: number;
  state: 'running' | 'done' | 'stopped';
}

export interface PerfRun {
  projectId: string;
  target: string;
  running: boolean;
  stages: PerfStageRow[];
  profile: ProfileResult | null;
  tokens: number;
  lines: string[];
  bench: BenchEvent | null;
  report: OptimizeReport | null;
  error: UiError | null;
}

const MAX_LINES = 100;

/** Runs are kept per project and target: coming back to a target shows its last report. */
export function perfKey(projectId: string, target: string): string {
  return `${projectId}\n${target}`;
}

export function newRun(projectId: string, target: string): PerfRun {
  return { projectId, target, running: true, stages: [], profile: null, tokens: 0, lines: [], bench: null, report: null, error: null };
}

const closeStages = (rows: PerfStageRow[], state: 'done' | 'stopped'): PerfStageRow[] =>
  rows.map((r) => (r.state === 'running' ? { ...r, state } : r));

export function foldPerfEvent(run: PerfRun, e: PerfOptimizeEvent): PerfRun {
  switch (e.kind) {
    case 'stage': {
      // One stage at a time: a new stage means the previous one finished.
      const row: PerfStageRow = { stage: e.stage, state: 'running', ...(e.proposal !== undefined ? { proposal: e.proposal } : {}) };
      // The benchmark's bar restarts with each proposal's benchmark.
      return { ...run, stages: [...closeStages(run.stages, 'done'), row], ...(e.stage === 'bench' ? { bench: null } : {}) };
    }
    case 'profile':
      return { ...run, profile: e.result };
    case 'suggestion':
      return { ...run, stages: closeStages(run.stages, 'done') };
    case 'generate':
      return { ...run, tokens: e.tokens, lines: e.line ? [...run.lines, e.line].slice(-MAX_LINES) : run.lines };
    case 'bench':
      return { ...run, bench: e };
  }
}

/** The stream ended: a report closes every stage; an error (or cancel) marks the one in progress as stopped. */
export function finishRun(run: PerfRun, result: { ok: true; value: OptimizeReport } | { ok: false; error: UiError }): PerfRun {
  if (result.ok)
    return {
      ...run,
      running: false,
      stages: closeStages(run.stages, 'done'),
      report: result.value,
      profile: result.value.profile ?? run.profile,
    };
  return { ...run, running: false, stages: closeStages(run.stages, 'stopped'), error: result.error };
}

/** A profile-only run (`perf.profile`): one stage, no suggestions. */
export function profileOnlyRun(
  projectId: string,
  target: string,
  result: { ok: true; value: ProfileResult } | { ok: false; error: UiError },
): PerfRun {
  const run = newRun(projectId, target);
  if (result.ok) return { ...run, running: false, stages: [{ stage: 'profile', state: 'done' }], profile: result.value };
  return { ...run, running: false, stages: [{ stage: 'profile', state: 'stopped' }], error: result.error };
}

/** Share of the benchmark's pairs done, 0–100. */
export function benchPercent(b: BenchEvent | null): number {
  if (!b || b.total <= 0) return 0;
  return Math.min(100, Math.round((100 * b.done) / b.total));
}

export const STAGE_LABELS: Record<OptimizeStage, string> = {
  inputs: 'Inputs',
  profile: 'Profile',
  propose: 'Propose',
  equivalence: 'Equivalence',
  bench: 'Benchmark',
};

export function stageLabel(r: PerfStageRow): string {
  return `${STAGE_LABELS[r.stage]}${r.proposal !== undefined ? ` (proposal ${r.proposal + 1})` : ''}`;
}

/** "1000, 3000, 8000" → sizes; at least three positive integers (the lab's rule), at most eight. */
export function parseSizes(text: string): { ok: true; sizes: number[] | undefined } | { ok: false; message: string } {
  const parts = text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: true, sizes: undefined };
  const sizes = parts.map(Number);
  if (sizes.length < 3 || sizes.length > 8 || sizes.some((n) => !Number.isInteger(n) || n <= 0))
    return { ok: false, message: 'Sizes: three to eight positive whole numbers, e.g. 1000, 3000, 8000.' };
  return { ok: true, sizes };
}

/** Branch coverage of the original reached by the equivalence inputs, as the panel prints it. */
export function coverageText(s: Suggestion): string | null {
  const c = s.equivalence?.coverage;
  if (!c) return null;
  return `${c.branches.percent.toFixed(0)} % of the original's branches (${c.branches.covered}/${c.branches.total})`;
}

const PY_DEF = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;
const PY_CLASS = /^(\s*)class\s+([A-Za-z_]\w*)/;
const JS_FN = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/,
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/,
];
const JS_CLASS = /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const JS_METHOD = /^\s+(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]+)?\{/;
const JS_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function']);

/**
 * The function (or Class.method) whose definition is the nearest one above the 1-based `line`, in the form the lab's
 * target takes. A heuristic over lines, not a parser: good enough to prefill a field the user can correct.
 */
export function functionAt(text: string, line: number, path: string): string | null {
  const lines = text.split('\n');
  const at = Math.max(0, Math.min(lines.length - 1, line - 1));
  if (path.endsWith('.py')) {
    for (let i = at; i >= 0; i--) {
      const m = PY_DEF.exec(lines[i] ?? '');
      if (!m) continue;
      const indent = m[1]?.length ?? 0;
      const name = m[2] ?? '';
      if (indent === 0) return name;
      // A method: the nearest class above with less indentation names it.
      for (let j = i - 1; j >= 0; j--) {
        const c = PY_CLASS.exec(lines[j] ?? '');
        if (c && (c[1]?.length ?? 0) < indent) return `${c[2]}.${name}`;
        const d = PY_DEF.exec(lines[j] ?? '');
        if (d && (d[1]?.length ?? 0) < indent) return d[2] ?? null; // a nested function: its enclosing one
      }
      return name;
    }
    return null;
  }
  for (let i = at; i >= 0; i--) {
    const l = lines[i] ?? '';
    for (const re of JS_FN) {
      const m = re.exec(l);
      if (m?.[1]) return m[1];
    }
    const m = JS_METHOD.exec(l);
    if (m?.[1] && !JS_KEYWORDS.has(m[1])) {
      for (let j = i - 1; j >= 0; j--) {
        const c = JS_CLASS.exec(lines[j] ?? '');
        if (c?.[1]) return `${c[1]}.${m[1]}`;
      }
      return m[1];
    }
  }
  return null;
}
