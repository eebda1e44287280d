// Code section state, performance side: the panel's form (target, sizes, proposals, inputs file), the last run per
// project + target (kept across tab switches), Run over the `perf.optimize` stream with Cancel, and "Review and
// apply", which hands a suggestion's generation to the review slice's existing flow (no second apply path).
import { getApi } from '../../../api';
import type { SliceCreator } from '../../../app/slice';
import type { UiError } from '../../../lib/errors';
import { FrameBatcher } from '../../../lib/frame-batcher';
import type { PerfOptimizeEvent, SqlQueriesResult } from '../../../../common/contracts/perf';
import type { IndexVerification } from '../../../../common/perf/types';
import { finishRun, foldPerfEvent, newRun, parseSizes, perfKey, profileOnlyRun, type PerfRun } from './perf-run';

export interface PerfDraft {
  /** Relative path of the file holding the function ('' = the file open in the editor). */
  file: string;
  /** Function or Class.method. */
  fn: string;
  sizes: string;
  proposals: number;
  /** A project file defining make_input(n, seed) / makeInput(n, seed) ('' = the model writes one). */
  inputsFile: string;
}

/** One "Verify index" of the SQL section: running, then its verification or typed error. */
export interface SqlCheck {
  running: boolean;
  result?: IndexVerification;
  error?: UiError;
}

/** The SQL section (issue 15.5): the last "Find queries" of a project and the index verifications since. */
export interface PerfSqlState {
  /** Project the queries belong to (the panel shows them only while that project is open). */
  projectId: string | null;
  result: SqlQueriesResult | null;
  loading: boolean;
  error: UiError | null;
  /** By sqlCheckKey(sql, ddl). */
  checks: Record<string, SqlCheck>;
}

export const sqlCheckKey = (sql: string, ddl: string): string => `${ddl}\n${sql}`;

export interface PerfSlice {
  perf: {
    draft: PerfDraft;
    runs: Record<string, PerfRun>;
    /** Key of the run in progress (one at a time: the lab's benchmark wants the machine to itself). */
    runningKey: string | null;
    cancel: () => void;
    /** A form problem (bad sizes, no target, unreadable inputs file), shown above the form. */
    error: UiError | null;
    sql: PerfSqlState;
  };
  setPerfDraft(p: Partial<PerfDraft>): void;
  /** The target the form names now (file:function), or null while a part is missing. */
  perfTarget(): string | null;
  runPerf(): Promise<void>;
  /** The profile alone (`perf.profile`, no model): needs an inputs file. */
  profilePerf(): Promise<void>;
  cancelPerf(): void;
  /** Opens a suggestion's stored generation in the Code section's review (same diff, per-hunk apply, checkpoint, audit). */
  reviewPerfSuggestion(generationId: string): Promise<void>;
  /** The open project's SQL queries with plans and proposals (`perf.sqlQueries`). */
  findSqlQueries(): Promise<void>;
  /** Benchmarks one proposed index against its query (`perf.verifyIndex`, default table sizes). */
  verifySqlIndex(sql: string, ddl: string): Promise<void>;
}

export const PERF_EMPTY: PerfSlice['perf'] = {
  draft: { file: '', fn: '', sizes: '', proposals: 1, inputsFile: '' },
  runs: {},
  runningKey: null,
  cancel: () => undefined,
  error: null,
  sql: { projectId: null, result: null, loading: false, error: null, checks: {} },
};

export const createPerfSlice: SliceCreator<PerfSlice> = (set, get) => {
  const patch = (p: Partial<PerfSlice['perf']>) => set({ perf: { ...get().perf, ...p } });
  const patchRun = (key: string, f: (r: PerfRun) => PerfRun) => {
    const run = get().perf.runs[key];
    if (run) patch({ runs: { ...get().perf.runs, [key]: f(run) } });
  };

  const patchSql = (p: Partial<PerfSqlState>) => patch({ sql: { ...get().perf.sql, ...p } });

  /** The form's target, sizes and inputs source, or null after showing what is wrong. */
  const readForm = async (): Promise<{
    projectId: string;
    target: string;
    sizes: number[] | undefined;
    inputsSource: string | undefined;
  } | null> => {
    const projectId = get().code.projectId;
    const target = get().perfTarget();
    if (!projectId || get().perf.runningKey) return null;
    if (!target) {
      patch({ error: { code: 'INVALID_ARGUMENT', message: 'Open a file and name the function to optimise.' } });
      return null;
    }
    const { draft } = get().perf;
    const sizes = parseSizes(draft.sizes);
    if (!sizes.ok) {
      patch({ error: { code: 'INVALID_ARGUMENT', message: sizes.message } });
      return null;
    }
    let inputsSource: string | undefined;
    if (draft.inputsFile.trim()) {
      const r = await getApi().workspace.readFile({ projectId, path: draft.inputsFile.trim() });
      if (!r.ok) {
        patch({ error: { code: r.error.code, message: `Inputs file: ${r.error.message}` } });
        return null;
      }
      inputsSource = r.value.content;
    }
    return { projectId, target, sizes: sizes.sizes, inputsSource };
  };

  return {
    perf: PERF_EMPTY,
    setPerfDraft(p) {
      patch({ draft: { ...get().perf.draft, ...p }, error: null });
    },
    perfTarget() {
      const { file, fn } = get().perf.draft;
      const path = file.trim() || get().code.file?.path || '';
      return path && fn.trim() ? `${path}:${fn.trim()}` : null;
    },
    async runPerf() {
      const form = await readForm();
      if (!form) return;
      const { projectId, target, sizes, inputsSource } = form;
      const key = perfKey(projectId, target);
      // Progress arrives in bursts (bench repeats, engine lines): folded once per animation frame.
      const batcher = new FrameBatcher<PerfOptimizeEvent>((events) => patchRun(key, (r) => events.reduce(foldPerfEvent, r)));
      const handle = getApi().perf.optimize(
        {
          projectId,
          target,
          proposals: get().perf.draft.proposals,
          ...(sizes ? { sizes } : {}),
          ...(inputsSource !== undefined ? { inputsSource } : {}),
        },
        (e) => batcher.push(e),
      );
      patch({ runs: { ...get().perf.runs, [key]: newRun(projectId, target) }, runningKey: key, cancel: handle.cancel, error: null });
      const r = await handle.result;
      batcher.drain();
      patchRun(key, (run) => finishRun(run, r.ok ? r : { ok: false, error: { code: r.error.code, message: r.error.message } }));
      patch({ runningKey: null, cancel: () => undefined });
      // The proposals are stored generations of the project: the Generations list shows them too.
      if (r.ok && get().code.projectId === projectId) await get().loadGenerations();
    },
    async profilePerf() {
      if (!get().perf.draft.inputsFile.trim())
        return patch({ error: { code: 'INVALID_ARGUMENT', message: 'Profiling alone needs an inputs file (make_input / makeInput).' } });
      const form = await readForm();
      if (!form?.inputsSource) return;
      const { projectId, target } = form;
      const key = perfKey(projectId, target);
      patch({
        runs: { ...get().perf.runs, [key]: { ...newRun(projectId, target), stages: [{ stage: 'profile', state: 'running' }] } },
        runningKey: key,
        error: null,
      });
      const r = await getApi().perf.profile({
        projectId,
        target,
        inputsSource: form.inputsSource,
        ...(form.sizes ? { sizes: form.sizes } : {}),
      });
      patch({
        runs: {
          ...get().perf.runs,
          [key]: profileOnlyRun(projectId, target, r.ok ? r : { ok: false, error: { code: r.error.code, message: r.error.message } }),
        },
        runningKey: null,
      });
    },
    cancelPerf() {
      get().perf.cancel();
    },
    async reviewPerfSuggestion(generationId) {
      await get().loadGenerations();
      await get().reviewGeneration(generationId);
    },
    async findSqlQueries() {
      const projectId = get().code.projectId;
      if (!projectId || get().perf.sql.loading) return;
      // A new search replaces the last one, of this project or another, and the verifications made against it.
      patchSql({ projectId, result: null, loading: true, error: null, checks: {} });
      const r = await getApi().perf.sqlQueries({ projectId });
      if (get().perf.sql.projectId !== projectId) return;
      patchSql(r.ok ? { result: r.value, loading: false } : { loading: false, error: { code: r.error.code, message: r.error.message } });
    },
    async verifySqlIndex(sql, ddl) {
      const { projectId, checks } = get().perf.sql;
      const key = sqlCheckKey(sql, ddl);
      if (!projectId || checks[key]?.running) return;
      patchSql({ checks: { ...checks, [key]: { running: true } } });
      const r = await getApi().perf.verifyIndex({ projectId, sql, ddl });
      // The search was redone meanwhile: this verification belongs to a list no longer shown.
      if (get().perf.sql.projectId !== projectId || !get().perf.sql.checks[key]) return;
      const done: SqlCheck = r.ok
        ? { running: false, result: r.value }
        : { running: false, error: { code: r.error.code, message: r.error.message } };
      patchSql({ checks: { ...get().perf.sql.checks, [key]: done } });
    },
  };
};
