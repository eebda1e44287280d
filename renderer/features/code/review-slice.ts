// Code section state, generation side: the project's generations, the one under review with a decision per hunk
// and a hunk cursor, Apply (accepted hunks → workspace.applyGeneration, with the gate's override and conflicts shown),
// Reject with a reason, and the ask panel's live run (codegen.generate stream).
import type { GenerateEvent, GenerateRequestSchema, GenerateResult } from '../../../common/codegen/engine';
import { DEFAULT_SETTINGS } from '../../../common/contracts/settings';
import type { ApplyGenerationResult } from '../../../common/contracts/workspace';
import type { Language } from '../../../common/codegen/types';
import type { CodegenGeneration, CodegenGenerationDetail, GenerationType } from '../../../common/store/codegen-requests';
import type { z } from 'zod';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';
import { FrameBatcher } from '../../lib/frame-batcher';
import { acceptedSelection, flattenHunks, nextUndecided, stepHunk, type HunkDecision, type HunkDecisions } from './hunks';

export type AskRequest = z.input<typeof GenerateRequestSchema>;
/** The Code section's main pane: the editor, a generation's review, the Git panel or the Performance panel. */
export type CodeTab = 'editor' | 'review' | 'git' | 'performance';
export interface AskDraft {
  prompt: string;
  type: GenerationType;
  language: Language;
  /** Relative path of the file the request is about ('' = none). */
  targetFile: string;
  /** Lines of the target chosen in the editor ("Use selection"): the request is about just that range. */
  selection: AskSelection | null;
}

/** An editor selection as the ask panel sends it (lines of the saved file; the text is shown, the engine reads the file). */
export interface AskSelection {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}

/** What the ask panel shows while a generation runs: the latest phase, tokens so far, checks/tests as they land. */
export interface AskProgress {
  phase: string;
  tokens: number;
  lines: string[];
}

const MAX_PROGRESS_LINES = 200;

export interface ReviewSlice {
  review: {
    generations: CodegenGeneration[];
    current: CodegenGenerationDetail | null;
    decisions: HunkDecisions;
    /** Index into flattenHunks(current.diff). */
    cursor: number;
    applying: boolean;
    /** The gate refused (FORBIDDEN: high-severity findings): Apply again needs a reason. */
    overrideNeeded: string | null;
    applied: ApplyGenerationResult | null;
    error: UiError | null;
    ask: { running: boolean; progress: AskProgress | null; result: GenerateResult | null; cancel: () => void };
    /** Which pane the Code section shows: opening a generation brings the review forward. */
    tab: CodeTab;
    /** The ask panel's fields (kept here so Ctrl/Cmd+Enter can run from anywhere in the section). */
    draft: AskDraft;
  };
  resetReview(): void;
  setCodeTab(tab: CodeTab): void;
  loadGenerations(): Promise<void>;
  reviewGeneration(generationId: string): Promise<void>;
  decideHunk(key: string, decision: HunkDecision | null): void;
  /** a / r on the hunk under the cursor, then the cursor moves to the next undecided hunk. */
  decideCurrentHunk(decision: HunkDecision): void;
  moveHunk(delta: 1 | -1): void;
  setHunkCursor(index: number): void;
  applyReview(overrideReason?: string): Promise<void>;
  dismissOverride(): void;
  rejectGeneration(reason: string): Promise<void>;
  setAskDraft(p: Partial<AskDraft>): void;
  /** Runs the draft against the open project (Ctrl/Cmd+Enter). */
  runAsk(): Promise<void>;
  ask(request: AskRequest): Promise<void>;
  cancelAsk(): void;
}

const EMPTY: ReviewSlice['review'] = {
  generations: [],
  current: null,
  decisions: {},
  cursor: 0,
  applying: false,
  overrideNeeded: null,
  applied: null,
  error: null,
  ask: { running: false, progress: null, result: null, cancel: () => undefined },
  draft: { prompt: '', type: 'function', language: 'python', targetFile: '', selection: null },
  tab: 'editor',
};

function describe(e: GenerateEvent): string | null {
  const at = 'candidate' in e ? `#${e.candidate + 1}` : '';
  switch (e.kind) {
    case 'context':
      return `context: ${e.budget.used}/${e.budget.contextTokens} tokens`;
    case 'round':
      return `${at} round ${e.round + 1}: ${e.phase}`;
    case 'check':
      return `${at} ${e.result.name}: ${e.result.ok ? 'ok' : `${e.result.findings.length} finding(s)`}`;
    case 'tests':
      return `${at} tests: ${e.result.status} (${e.result.cases.filter((c) => c.passed).length}/${e.result.cases.length})`;
    case 'scan':
      return `scan: ${e.result.ok ? 'no high findings' : `${e.result.findings.filter((f) => f.severity === 'high').length} high finding(s)`}`;
    case 'score':
      return `${at} score ${e.score.score}/100`;
    case 'selected':
      return `selected ${at}: ${e.reason}`;
    default:
      return null;
  }
}

function fold(prev: AskProgress, e: GenerateEvent): AskProgress {
  const line = describe(e);
  return {
    phase: e.kind === 'round' ? `round ${e.round + 1}: ${e.phase}` : prev.phase,
    tokens: prev.tokens + (e.kind === 'tokens' ? 1 : 0),
    lines: line ? [...prev.lines, line].slice(-MAX_PROGRESS_LINES) : prev.lines,
  };
}

export const createReviewSlice: SliceCreator<ReviewSlice> = (set, get) => {
  const patch = (p: Partial<ReviewSlice['review']>) => set({ review: { ...get().review, ...p } });
  const hunks = () => flattenHunks(get().review.current?.diff ?? []);
  const patchAsk = (p: Partial<ReviewSlice['review']['ask']>) => patch({ ask: { ...get().review.ask, ...p } });

  return {
    review: EMPTY,
    resetReview() {
      get().review.ask.cancel();
      set({ review: EMPTY });
    },
    setCodeTab(tab) {
      patch({ tab: tab === 'review' && !get().review.current ? 'editor' : tab });
    },
    async loadGenerations() {
      const projectId = get().code.projectId;
      if (!projectId) return;
      const r = await getApi().codegen.list({ projectId, limit: 50 });
      if (get().code.projectId !== projectId) return;
      patch(r.ok ? { generations: r.value } : { error: r.error });
    },
    async reviewGeneration(generationId) {
      const r = await getApi().codegen.get({ generationId });
      if (!r.ok) return patch({ error: r.error });
      patch({ current: r.value, decisions: {}, cursor: 0, applied: null, overrideNeeded: null, error: null, tab: 'review' });
    },
    decideHunk(key, decision) {
      const decisions = { ...get().review.decisions };
      if (decision) decisions[key] = decision;
      else delete decisions[key];
      patch({ decisions, applied: null });
    },
    decideCurrentHunk(decision) {
      const all = hunks();
      const at = all[get().review.cursor];
      if (!at) return;
      get().decideHunk(at.key, decision);
      patch({ cursor: nextUndecided(all, get().review.decisions, get().review.cursor) });
    },
    moveHunk(delta) {
      patch({ cursor: stepHunk(get().review.cursor, hunks().length, delta) });
    },
    setHunkCursor(index) {
      patch({ cursor: Math.max(0, Math.min(hunks().length - 1, index)) });
    },
    async applyReview(overrideReason) {
      const { current, decisions, applying } = get().review;
      if (!current || applying) return;
      const accept = acceptedSelection(current.diff ?? [], decisions);
      if (accept.length === 0) return patch({ error: { code: 'INVALID_ARGUMENT', message: 'Accept at least one hunk first.' } });
      patch({ applying: true, error: null });
      const r = await getApi().workspace.applyGeneration({
        generationId: current.id,
        accept,
        ...(overrideReason ? { override: { reason: overrideReason } } : {}),
      });
      if (!r.ok) {
        // The security gate refuses high-severity findings with FORBIDDEN: ask for a reason and offer to override.
        if (r.error.code === 'FORBIDDEN' && !overrideReason) return patch({ applying: false, overrideNeeded: r.error.message });
        return patch({ applying: false, error: r.error });
      }
      patch({ applying: false, applied: r.value, overrideNeeded: null });
      await Promise.all([get().refreshWorkspace(), get().loadGenerations()]);
    },
    dismissOverride() {
      patch({ overrideNeeded: null });
    },
    async rejectGeneration(reason) {
      const current = get().review.current;
      if (!current) return;
      const r = await getApi().workspace.rejectGeneration({ generationId: current.id, reason });
      if (!r.ok) return patch({ error: r.error });
      patch({ current: { ...current, ...r.value }, error: null });
      await get().loadGenerations();
    },
    setAskDraft(p) {
      patch({ draft: { ...get().review.draft, ...p } });
    },
    async runAsk() {
      const { prompt, type, language, targetFile, selection } = get().review.draft;
      const projectId = get().code.projectId;
      if (!prompt.trim()) return patch({ error: { code: 'INVALID_ARGUMENT', message: 'Write a request first.' } });
      // A selection only counts for the file it was made in (the target may have been changed since).
      const range =
        selection && selection.path === targetFile ? { selection: { startLine: selection.startLine, endLine: selection.endLine } } : {};
      // Candidates and repair rounds are settings (the panel's fields save them), so they survive a restart.
      const { samples, maxRounds } = get().settings?.codegen ?? DEFAULT_SETTINGS.codegen;
      await get().ask({
        prompt,
        type,
        language,
        samples,
        maxRounds,
        ...(projectId ? { projectId } : {}),
        ...(targetFile ? { targetFile } : {}),
        ...range,
      });
    },
    async ask(request) {
      if (get().review.ask.running) return;
      const start: AskProgress = { phase: 'starting', tokens: 0, lines: [] };
      // Tokens arrive hundreds per second: events are folded into the progress once per animation frame.
      const batcher = new FrameBatcher<GenerateEvent>((events) =>
        patchAsk({ progress: events.reduce(fold, get().review.ask.progress ?? start) }),
      );
      const handle = getApi().codegen.generate(request, (e) => batcher.push(e));
      patchAsk({ running: true, progress: start, result: null, cancel: handle.cancel });
      const r = await handle.result;
      batcher.drain();
      patchAsk({ running: false, cancel: () => undefined, result: r.ok ? r.value : null });
      if (!r.ok) return patch({ error: r.error.code === 'CANCELLED' ? null : r.error });
      await get().loadGenerations();
      if (r.value.generationId) await get().reviewGeneration(r.value.generationId);
    },
    cancelAsk() {
      get().review.ask.cancel();
    },
  };
};
