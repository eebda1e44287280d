// The inline completion slice and status with a scripted API (no host): a success sets the latency, a superseded
// request is dropped quietly, an unfixable error (no FIM tokens) is shown once and stops the requests until the user
// toggles completion, a transient one is shown while asking goes on, and an aborted request is cancelled on the host.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EvolveApi } from '../../../../common/contracts';
import type { InlineCompletion } from '../../../../common/contracts/completion';
import { DEFAULT_SETTINGS } from '../../../../common/contracts/settings';
import type { ErrorInfo } from '../../../../common/errors';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { InlineCompletionStatus } from '../../../../renderer/features/code/InlineCompletionStatus';

type Res<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
let answers: Res<InlineCompletion>[];
let calls: unknown[];
let cancels: unknown[];
let saved: unknown[];
let warmAnswer: Res<{ model: string }>;
const PRISTINE = useStore.getInitialState().inline;
const REQ = { projectId: 'p1', path: 'calc.py', prefix: 'def f(x):\n    ', suffix: '\n', language: 'python' };
const ok = (text: string, ms = 120, cached = false): Res<InlineCompletion> => ({ ok: true, value: { text, ms, cached, model: 'qwen' } });

beforeEach(() => {
  answers = [];
  calls = [];
  cancels = [];
  saved = [];
  warmAnswer = { ok: true, value: { model: 'qwen' } };
  setApi({
    completion: {
      inline: async (input: unknown) => {
        calls.push(input);
        return answers.shift() ?? { ok: false, error: { code: 'INTERNAL', message: 'no scripted answer' } };
      },
      warm: async () => warmAnswer,
      cancelInline: async (input: unknown) => {
        cancels.push(input);
        return { ok: true, value: { cancelled: true } };
      },
    },
    settings: {
      update: async (patch: Record<string, unknown>) => {
        saved.push(patch);
        return { ok: true, value: { ...DEFAULT_SETTINGS, ...patch } };
      },
    },
  } as unknown as EvolveApi);
  useStore.setState({ inline: PRISTINE, settings: { ...DEFAULT_SETTINGS } });
});

function status(): string {
  Object.assign(useStore.getInitialState(), { inline: useStore.getState().inline, settings: useStore.getState().settings });
  return renderToString(<InlineCompletionStatus />);
}

describe('inline completion slice', () => {
  it('returns the text and shows the latency (and "cached")', async () => {
    answers.push(ok('return x * 2', 812));
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBe('return x * 2');
    expect(useStore.getState().inline).toMatchObject({ pending: false, completed: 1, last: { ms: 812, cached: false } });
    expect(status()).toContain('812 ms');
    answers.push(ok('return x * 2', 3, true));
    await useStore.getState().requestInlineCompletion(REQ);
    expect(status()).toContain('3 ms (cached)');
  });

  it('drops a superseded request quietly', async () => {
    answers.push({ ok: false, error: { code: 'CANCELLED', message: 'A newer completion request replaced this one' } });
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBeNull();
    expect(useStore.getState().inline).toMatchObject({ pending: false, problem: null, note: null });
  });

  it('shows a no-FIM model once and stops asking until completion is switched off and on', async () => {
    answers.push({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'the default model gemma has no FIM tokens' } });
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBeNull();
    expect(status()).toContain('has no FIM tokens');
    expect(status()).toContain('data-state="problem"');
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBeNull();
    expect(calls).toHaveLength(1);
    await useStore.getState().setInlineCompletionEnabled(false);
    expect(saved).toEqual([{ inlineCompletion: false }]);
    expect(status()).toContain('data-state="off"');
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBeNull();
    expect(calls).toHaveLength(1);
    await useStore.getState().setInlineCompletionEnabled(true);
    answers.push(ok('return x'));
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBe('return x');
    expect(calls).toHaveLength(2);
  });

  it('warms the model when a file opens; a model without FIM tokens is shown right away', async () => {
    await useStore.getState().warmInlineCompletion('p1');
    expect(useStore.getState().inline).toMatchObject({ warming: false, problem: null });
    warmAnswer = { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'the default model gemma has no FIM tokens' } };
    await useStore.getState().warmInlineCompletion('p1');
    expect(status()).toContain('has no FIM tokens');
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('shows a transient error and keeps asking', async () => {
    answers.push({ ok: false, error: { code: 'RESOURCE_EXHAUSTED', message: 'All completion sequences are busy' } });
    await useStore.getState().requestInlineCompletion(REQ);
    expect(status()).toContain('All completion sequences are busy');
    answers.push(ok('return 1'));
    expect(await useStore.getState().requestInlineCompletion(REQ)).toBe('return 1');
    expect(useStore.getState().inline.note).toBeNull();
  });

  it('cancels the request on the host when the editor aborts it (the user typed on)', async () => {
    const ctrl = new AbortController();
    answers.push({ ok: false, error: { code: 'CANCELLED', message: 'Cancelled' } });
    const p = useStore.getState().requestInlineCompletion(REQ, ctrl.signal);
    ctrl.abort();
    expect(await p).toBeNull();
    expect(cancels).toEqual([{ projectId: 'p1', path: 'calc.py' }]);
    expect(useStore.getState().inline.pending).toBe(false);
  });
});
