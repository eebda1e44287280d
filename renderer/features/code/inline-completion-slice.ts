// Inline completion state for the Code editor's status bar: the last completion's latency (and whether it came from
// the cache), a request in flight, and the one problem that stops asking (no FIM model, none installed) until the
// user turns completion off and on again. Its action is the only place the page calls completion.inline.
import { extensionOf, languageOfPath } from '../../../common/workspace/language-of-path';
import type { InlineCompleteInput } from '../../../common/contracts/completion';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';

export interface InlineCompletionSlice {
  inline: {
    pending: boolean;
    /** The model is being loaded ahead of the first request. */
    warming: boolean;
    /** Completions answered so far in this page (the status bar exposes it, so a test can wait for the next one). */
    completed: number;
    last: { ms: number; cached: boolean; chars: number; model: string } | null;
    /** Shown once in the status bar; while set, no request is sent (asking again would fail the same way). */
    problem: UiError | null;
    /** The last request failed in a way the next one may not (a busy model, a worker restart): shown, asking goes on. */
    note: UiError | null;
  };
  /** The ghost text for this cursor context, or null (off, superseded, failed — a failure sets `problem` or is dropped). */
  requestInlineCompletion(req: InlineCompleteInput, signal?: AbortSignal): Promise<string | null>;
  setInlineCompletionEnabled(on: boolean): Promise<void>;
  /** Loads the model when a file opens, so the first ghost text does not wait for it; an unfixable error shows now. */
  warmInlineCompletion(projectId: string): Promise<void>;
}

/** Errors that the same request cannot recover from: stop asking until the user toggles completion. */
const BLOCKING: ReadonlySet<UiError['code']> = new Set(['INVALID_ARGUMENT', 'UNAVAILABLE', 'FORBIDDEN']);

export const inlineCompletionOn = (s: { settings: { inlineCompletion: boolean } | null }): boolean => s.settings?.inlineCompletion ?? true;

export const createInlineCompletionSlice: SliceCreator<InlineCompletionSlice> = (set, get) => {
  /** The newest request: only its end clears "waiting…" (an older one ends when the newer one replaces it). */
  let latest = 0;
  return {
    inline: { pending: false, warming: false, completed: 0, last: null, problem: null, note: null },
    async requestInlineCompletion(req, signal) {
      if (!inlineCompletionOn(get()) || get().inline.problem) return null;
      const id = ++latest;
      set({ inline: { ...get().inline, pending: true } });
      // The user typed on or moved the cursor: stop the model now rather than when the next request replaces this one.
      const onAbort = () => void getApi().completion.cancelInline({ projectId: req.projectId, path: req.path });
      signal?.addEventListener('abort', onAbort, { once: true });
      const r = await getApi().completion.inline(req);
      signal?.removeEventListener('abort', onAbort);
      if (r.ok) {
        set({
          inline: {
            ...get().inline,
            completed: get().inline.completed + 1,
            pending: id !== latest,
            problem: null,
            note: null,
            last: { ms: r.value.ms, cached: r.value.cached, chars: r.value.text.length, model: r.value.model },
          },
        });
        return r.value.text;
      }
      // Superseded by the next keystroke's request (which reports), or stopped because the cursor moved.
      if (r.error.code === 'CANCELLED') {
        if (id === latest) set({ inline: { ...get().inline, pending: false } });
        return null;
      }
      const blocking = BLOCKING.has(r.error.code);
      set({
        inline: {
          ...get().inline,
          pending: id !== latest,
          problem: blocking ? r.error : get().inline.problem,
          note: blocking ? null : r.error,
        },
      });
      return null;
    },
    async warmInlineCompletion(projectId) {
      if (!inlineCompletionOn(get()) || get().inline.problem || get().inline.warming) return;
      set({ inline: { ...get().inline, warming: true } });
      const r = await getApi().completion.warm({ projectId });
      const problem = !r.ok && BLOCKING.has(r.error.code) ? r.error : get().inline.problem;
      set({ inline: { ...get().inline, warming: false, problem } });
    },
    async setInlineCompletionEnabled(on) {
      latest++;
      set({ inline: { ...get().inline, pending: false, last: null, problem: null, note: null } });
      await get().saveSettings({ inlineCompletion: on });
    },
  };
};

/** The language id sent with a request, from the file's extension (the editor's own language choice is by extension too). */
export function completionLanguage(path: string): string {
  return languageOfPath(path) ?? (extensionOf(path) || 'text');
}
