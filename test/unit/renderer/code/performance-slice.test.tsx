// The Performance panel's store side and markup with a scripted API (no host): a run streams its events into the
// run of that project + target, the report stays after a tab switch, form problems never reach the API, an inputs
// file is read through the workspace, cancel ends as CANCELLED, and "Review and apply" opens the generation in the
// existing review (codegen.get → the Review tab), not a second apply path.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { PerfOptimizeEvent } from '../../../../common/contracts/perf';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { PerformancePanel } from '../../../../renderer/features/code/performance/PerformancePanel';
import { perfKey } from '../../../../renderer/features/code/performance/perf-run';
import { PROFILE, REPORT } from './performance-samples';

interface Script {
  optimizeCalls: unknown[];
  events: PerfOptimizeEvent[];
  /** Resolves the run: a report, or (null) it waits for cancel. */
  report: typeof REPORT | null;
  reads: unknown[];
  gets: string[];
  profileCalls: unknown[];
}
let script: Script;
const PRISTINE = {
  perf: useStore.getInitialState().perf,
  code: useStore.getInitialState().code,
  review: useStore.getInitialState().review,
};

function install(): void {
  const api = {
    perf: {
      optimize: (input: unknown, onEvent: (e: PerfOptimizeEvent) => void) => {
        script.optimizeCalls.push(input);
        for (const e of script.events) onEvent(e);
        let cancel: () => void = () => undefined;
        const result = script.report
          ? Promise.resolve({ ok: true, value: script.report })
          : new Promise((resolve) => (cancel = () => resolve({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled' } })));
        return { result, cancel: () => cancel() };
      },
      profile: async (input: unknown) => {
        script.profileCalls.push(input);
        return { ok: true, value: PROFILE };
      },
    },
    workspace: {
      readFile: async (input: { path: string }) => {
        script.reads.push(input);
        return input.path === 'inputs.py'
          ? { ok: true, value: { path: 'inputs.py', content: 'def make_input(n, seed):\n    return ([],)\n' } }
          : { ok: false, error: { code: 'NOT_FOUND', message: `${input.path} does not exist` } };
      },
    },
    codegen: {
      list: async () => ({ ok: true, value: [] }),
      get: async ({ generationId }: { generationId: string }) => {
        script.gets.push(generationId);
        return { ok: true, value: { id: generationId, diff: [] } };
      },
    },
  };
  setApi(api as unknown as EvolveApi);
}

beforeEach(() => {
  script = {
    optimizeCalls: [],
    events: [
      { kind: 'stage', stage: 'profile' },
      { kind: 'profile', result: PROFILE },
      { kind: 'stage', stage: 'propose', proposal: 0 },
      { kind: 'generate', tokens: 12, line: 'tests: passed 5/5' },
      { kind: 'stage', stage: 'bench', proposal: 0 },
      { kind: 'bench', n: 8000, repeat: 7, repeats: 7, done: 21, total: 21 },
    ],
    report: REPORT,
    reads: [],
    gets: [],
    profileCalls: [],
  };
  install();
  const file = {
    path: 'module.py',
    disk: { path: 'module.py', content: '', hash: 'x'.repeat(64), eol: 'lf', bom: false, size: 0 },
    revision: 1,
  };
  useStore.setState({
    code: { ...PRISTINE.code, projectId: 'p1', file: file as never },
    perf: PRISTINE.perf,
    review: PRISTINE.review,
  });
});

function render(): string {
  Object.assign(useStore.getInitialState(), { perf: useStore.getState().perf, code: useStore.getState().code });
  return renderToString(<PerformancePanel />);
}

describe('performance slice', () => {
  it('runs the open file’s function with the form’s sizes and inputs file, and keeps the report per target', async () => {
    const s = useStore.getState();
    s.setPerfDraft({ fn: 'dedupe_emails', sizes: '1000, 3000, 8000', inputsFile: 'inputs.py', proposals: 2 });
    expect(useStore.getState().perfTarget()).toBe('module.py:dedupe_emails');
    await useStore.getState().runPerf();
    expect(script.optimizeCalls).toEqual([
      {
        projectId: 'p1',
        target: 'module.py:dedupe_emails',
        proposals: 2,
        sizes: [1000, 3000, 8000],
        inputsSource: 'def make_input(n, seed):\n    return ([],)\n',
      },
    ]);
    const run = useStore.getState().perf.runs[perfKey('p1', 'module.py:dedupe_emails')]!;
    expect(run.running).toBe(false);
    expect(run.report).toEqual(REPORT);
    expect(run.stages.map((r) => r.stage)).toEqual(['profile', 'propose', 'bench']);
    expect(useStore.getState().perf.runningKey).toBeNull();

    // Another tab and back: the run is in the store, not in the panel.
    useStore.getState().setCodeTab('git');
    useStore.getState().setCodeTab('performance');
    const html = render();
    expect(html).toMatch(/data-testid="perf-suggestion" data-outcome="proven"/);
    expect(html).toMatch(/data-testid="perf-suggestion" data-outcome="rejected" data-cause="behaviour"/);
    expect(html).toContain('the original returns');
    expect(html).toContain('100 % of the original&#x27;s branches (4/4)');
    expect(html).toContain('data-testid="perf-speedup"');
    expect(html).toContain('data-testid="perf-hot"');
    expect(html).toContain('Offered: suggestion 1.');
    expect((html.match(/data-testid="perf-review"/g) ?? []).length).toBe(2);

    // A different function of the same file has no run yet.
    useStore.getState().setPerfDraft({ fn: 'other' });
    expect(render()).not.toContain('perf-run-view');
  });

  it('refuses bad sizes, a missing function or an unreadable inputs file without calling the lab', async () => {
    useStore.getState().setPerfDraft({ fn: '' });
    await useStore.getState().runPerf();
    expect(useStore.getState().perf.error?.message).toMatch(/name the function/);
    useStore.getState().setPerfDraft({ fn: 'f', sizes: '10, 20' });
    await useStore.getState().runPerf();
    expect(useStore.getState().perf.error?.message).toMatch(/three to eight/);
    useStore.getState().setPerfDraft({ sizes: '', inputsFile: 'gone.py' });
    await useStore.getState().runPerf();
    expect(useStore.getState().perf.error).toEqual({ code: 'NOT_FOUND', message: 'Inputs file: gone.py does not exist' });
    expect(script.optimizeCalls).toEqual([]);
    expect(render()).toContain('data-testid="perf-error"');
  });

  it('cancel ends the run as CANCELLED and keeps the profile that arrived', async () => {
    script.report = null;
    script.events = script.events.slice(0, 3);
    useStore.getState().setPerfDraft({ fn: 'dedupe_emails' });
    const running = useStore.getState().runPerf();
    await Promise.resolve();
    const key = perfKey('p1', 'module.py:dedupe_emails');
    expect(useStore.getState().perf.runningKey).toBe(key);
    // One run at a time.
    await useStore.getState().runPerf();
    expect(script.optimizeCalls).toHaveLength(1);
    useStore.getState().cancelPerf();
    await running;
    const run = useStore.getState().perf.runs[key]!;
    expect(run.error?.code).toBe('CANCELLED');
    expect(run.stages.at(-1)?.state).toBe('stopped');
    expect(useStore.getState().perf.runningKey).toBeNull();
    expect(render()).toMatch(/data-code="CANCELLED"[^>]*>Cancelled\./);
  });

  it('profiles alone with the inputs file, without the model', async () => {
    useStore.getState().setPerfDraft({ fn: 'dedupe_emails' });
    await useStore.getState().profilePerf();
    expect(useStore.getState().perf.error?.message).toMatch(/needs an inputs file/);
    useStore.getState().setPerfDraft({ inputsFile: 'inputs.py', sizes: '10 20 30' });
    await useStore.getState().profilePerf();
    expect(script.profileCalls).toEqual([
      {
        projectId: 'p1',
        target: 'module.py:dedupe_emails',
        inputsSource: 'def make_input(n, seed):\n    return ([],)\n',
        sizes: [10, 20, 30],
      },
    ]);
    expect(script.optimizeCalls).toEqual([]);
    const run = useStore.getState().perf.runs[perfKey('p1', 'module.py:dedupe_emails')]!;
    expect(run).toMatchObject({ running: false, profile: PROFILE, report: null, stages: [{ stage: 'profile', state: 'done' }] });
    expect(render()).toContain('data-testid="perf-hot"');
  });

  it('"Review and apply" opens the suggestion’s generation in the review tab', async () => {
    await useStore.getState().reviewPerfSuggestion('gen-proven');
    expect(script.gets).toEqual(['gen-proven']);
    expect(useStore.getState().review.current?.id).toBe('gen-proven');
    expect(useStore.getState().review.tab).toBe('review');
  });
});
