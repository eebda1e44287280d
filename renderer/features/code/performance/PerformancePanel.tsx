// The Code section's Performance tab: name a function of the open project, Run the lab (profile → proposals →
// equivalence → benchmark) with live progress and Cancel, then the flame graph and hot functions of the profile and
// each suggestion with its verdict, coverage, speed-up chart and diff; "Review and apply" opens its generation in
// the existing review (per-hunk apply, checkpoint, audit). The last run per project + target survives tab switches.
import { useEffect } from 'react';
import { useStore } from '../../../app/store';
import { errorTitle } from '../../../lib/errors';
import type { OptimizeReport, Suggestion } from '../../../../common/perf/optimize';
import { HunkDiff } from '../HunkDiff';
import { editorCursor } from './editor-cursor';
import { FlameGraph } from './FlameGraph';
import { HotFunctionsTable } from './HotFunctionsTable';
import { benchPercent, coverageText, functionAt, perfKey, stageLabel, type PerfRun } from './perf-run';
import { SpeedupChart } from './SpeedupChart';
import { SqlSection } from './SqlSection';
import { VerdictBadge } from './VerdictBadge';
import './performance.css';

function fillFromCursor(): void {
  const s = useStore.getState();
  const path = s.perf.draft.file.trim() || s.code.file?.path;
  const cursor = editorCursor();
  if (!path || !cursor) return;
  const fn = functionAt(cursor.text, cursor.line, path);
  if (fn) s.setPerfDraft({ fn });
}

export function PerformancePanel() {
  const draft = useStore((s) => s.perf.draft);
  const formError = useStore((s) => s.perf.error);
  const runningKey = useStore((s) => s.perf.runningKey);
  const openPath = useStore((s) => s.code.file?.path ?? '');
  const projectId = useStore((s) => s.code.projectId);
  const target = useStore((s) => s.perfTarget());
  const run = useStore((s) => (projectId && target ? s.perf.runs[perfKey(projectId, target)] : undefined));
  const set = useStore((s) => s.setPerfDraft);

  // First visit: the function around the editor's cursor (the editor stays mounted behind this tab).
  useEffect(() => {
    if (!useStore.getState().perf.draft.fn) fillFromCursor();
  }, []);

  const busy = runningKey !== null;
  return (
    <section className="perf-panel" aria-label="Performance" data-testid="perf-panel">
      <form
        className="perf-form"
        onSubmit={(e) => {
          e.preventDefault();
          void useStore.getState().runPerf();
        }}
      >
        <label>
          File{' '}
          <input
            value={draft.file}
            placeholder={openPath || 'path/in/project.py'}
            onChange={(e) => set({ file: e.target.value })}
            data-testid="perf-file"
          />
        </label>
        <label>
          Function{' '}
          <input value={draft.fn} placeholder="name or Class.method" onChange={(e) => set({ fn: e.target.value })} data-testid="perf-fn" />
        </label>
        <button type="button" onClick={fillFromCursor} data-testid="perf-from-cursor">
          From cursor
        </button>
        <label>
          Sizes{' '}
          <input value={draft.sizes} placeholder="default" onChange={(e) => set({ sizes: e.target.value })} data-testid="perf-sizes" />
        </label>
        <label>
          Proposals{' '}
          <select value={draft.proposals} onChange={(e) => set({ proposals: Number(e.target.value) })} data-testid="perf-proposals">
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Inputs file{' '}
          <input
            value={draft.inputsFile}
            placeholder="model writes one"
            title="A project file defining make_input(n, seed) (Python) or makeInput(n, seed) (JS/TS)"
            onChange={(e) => set({ inputsFile: e.target.value })}
            data-testid="perf-inputs"
          />
        </label>
        <button type="submit" disabled={busy || !target} data-testid="perf-run">
          Run
        </button>
        <button
          type="button"
          disabled={busy || !target || !draft.inputsFile.trim()}
          title="The profile alone, without the model (needs an inputs file)"
          onClick={() => void useStore.getState().profilePerf()}
          data-testid="perf-profile-only"
        >
          Profile only
        </button>
        {busy && (
          <button type="button" onClick={() => useStore.getState().cancelPerf()} data-testid="perf-cancel">
            Cancel
          </button>
        )}
      </form>
      <p className="hint">
        {target ? `Target ${target}. ` : 'Name a function. '}A suggestion is offered only when the tests and the equivalence check pass and
        the whole 95 % interval of the speed-up is above 1.1×.
      </p>
      {formError && (
        <p className="error-text" role="alert" data-testid="perf-error">
          {errorTitle(formError)}: {formError.message}
        </p>
      )}
      {run && <RunView run={run} />}
      <SqlSection />
    </section>
  );
}

function RunView({ run }: { run: PerfRun }) {
  const openFile = useStore((s) => s.openFile);
  const setTab = useStore((s) => s.setCodeTab);
  return (
    <div className="perf-run" data-testid="perf-run-view" data-running={run.running}>
      <ol className="perf-stages" aria-label="Stages" data-testid="perf-stages">
        {run.stages.map((r, i) => (
          <li key={i} data-testid="perf-stage" data-stage={r.stage} data-state={r.state}>
            {r.state === 'running' ? '▸ ' : r.state === 'done' ? '✓ ' : '■ '}
            {stageLabel(r)}
          </li>
        ))}
      </ol>
      {run.running && (
        <p className="hint" aria-live="polite" data-testid="perf-generate">
          {run.tokens > 0 ? `${run.tokens} tokens` : ''}
          {run.lines.length > 0 ? ` · ${run.lines[run.lines.length - 1]}` : ''}
        </p>
      )}
      {run.running && run.bench && (
        <label className="perf-bench-progress">
          Benchmark n={run.bench.n} ({run.bench.done}/{run.bench.total} pairs){' '}
          <progress max={100} value={benchPercent(run.bench)} data-testid="perf-bench-progress" />
        </label>
      )}
      {run.error && (
        <p
          className={run.error.code === 'CANCELLED' ? 'hint' : 'error-text'}
          role="alert"
          data-testid="perf-run-error"
          data-code={run.error.code}
        >
          {run.error.code === 'CANCELLED' ? 'Cancelled.' : `${errorTitle(run.error)}: ${run.error.message}`}
        </p>
      )}
      {run.profile && (
        <section aria-label="Profile" data-testid="perf-profile">
          <h4>Profile</h4>
          <FlameGraph profile={run.profile.profile} />
          <HotFunctionsTable
            hot={run.profile.hot}
            onOpen={(file) => {
              setTab('editor');
              void openFile(file);
            }}
          />
        </section>
      )}
      {run.report && <ReportView report={run.report} />}
    </div>
  );
}

function ReportView({ report }: { report: OptimizeReport }) {
  return (
    <section aria-label="Suggestions" data-testid="perf-report">
      {report.profileError && <p className="warn-text">No profile: {report.profileError}</p>}
      <p data-testid="perf-offered">
        {report.offered === null ? 'Nothing offered.' : `Offered: suggestion ${report.offered + 1}.`}{' '}
        <span className="muted">
          Sizes {report.inputs.sizes.join(', ')}
          {report.inputsWrittenByModel ? ' (inputs written by the model)' : ''} · {(report.durationMs / 1000).toFixed(0)} s
        </span>
      </p>
      {report.suggestions.map((s) => (
        <SuggestionView key={s.index} s={s} />
      ))}
    </section>
  );
}

function SuggestionView({ s }: { s: Suggestion }) {
  const review = useStore((st) => st.reviewPerfSuggestion);
  const coverage = coverageText(s);
  return (
    <article className="perf-suggestion" data-testid="perf-suggestion" data-outcome={s.decision.outcome} data-cause={s.decision.cause}>
      <h4>
        Suggestion {s.index + 1}{' '}
        {s.equivalence || s.bench ? (
          <VerdictBadge {...(s.bench ? { bench: s.bench } : {})} {...(s.equivalence ? { equivalence: s.equivalence } : {})} />
        ) : (
          <span
            className={`perf-verdict ${s.decision.outcome}`}
            data-testid="perf-verdict"
            data-outcome={s.decision.outcome}
            data-cause={s.decision.cause}
          >
            {s.decision.label}
          </span>
        )}
      </h4>
      <p data-testid="perf-suggestion-reason">{s.decision.reason}</p>
      {coverage && <p data-testid="perf-coverage">Equivalence inputs reached {coverage}.</p>}
      {s.bench && <SpeedupChart bench={s.bench} />}
      {s.diffs.map((d) => d.hunks.map((h, i) => <HunkDiff key={`${d.path}:${i}`} path={d.path} hunk={h} />))}
      {s.generationId && (
        <button type="button" onClick={() => void review(s.generationId as string)} data-testid="perf-review">
          Review and apply
        </button>
      )}
    </article>
  );
}
