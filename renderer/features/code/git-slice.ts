// Code section state, Git side: the open project's uncommitted changes (workspace.gitStatus), the file whose diff is
// shown, a review of the diff by the codegen engine (a 'review' generation, streamed) and a commit message drafted by
// the local model (workspace.draftCommitMessage). Nothing here commits: that stays the user's action.
import type { GenerateEvent } from '../../../common/codegen/engine';
import type { CommitDraft, GitStatus } from '../../../common/contracts/workspace';
import {
  capDiff,
  dominantLanguage,
  MAX_MODEL_DIFF_CHARS,
  parseReviewFindings,
  type ReviewFinding,
} from '../../../common/workspace/git-diff';
import { getApi } from '../../api';
import type { SliceCreator } from '../../app/slice';
import type { UiError } from '../../lib/errors';
import { FrameBatcher } from '../../lib/frame-batcher';

export interface GitReview {
  running: boolean;
  /** The answer so far (tokens as they stream), then the whole answer. */
  answer: string;
  findings: ReviewFinding[] | null;
  generationId: string | null;
  /** Characters of the diff the model saw, of how many (cut at a line boundary when over the cap). */
  sentChars: number;
  totalChars: number;
  cut: boolean;
  /** The prompt's token budget as the engine reported it (project context included), once known. */
  context: { used: number; total: number } | null;
  error: UiError | null;
  cancel: () => void;
}

export interface GitSlice {
  git: {
    /** The project the status belongs to (a newer project's load drops an older answer). */
    projectId: string | null;
    status: GitStatus | null;
    loading: boolean;
    error: UiError | null;
    /** The changed file whose diff is shown. */
    selected: string | null;
    review: GitReview | null;
    draft: { running: boolean; value: CommitDraft | null; text: string; error: UiError | null };
  };
  loadGitStatus(): Promise<void>;
  selectGitFile(path: string | null): void;
  reviewGitChanges(): Promise<void>;
  cancelGitReview(): void;
  draftCommitMessage(): Promise<void>;
  setCommitText(text: string): void;
}

/** Tokens of the review answer. */
export const REVIEW_MAX_TOKENS = 384;

const NO_DRAFT: GitSlice['git']['draft'] = { running: false, value: null, text: '', error: null };
const EMPTY: GitSlice['git'] = {
  projectId: null,
  status: null,
  loading: false,
  error: null,
  selected: null,
  review: null,
  draft: NO_DRAFT,
};

/** The review request's text: the (capped) diff with where to cite lines, since a diff has two numberings. */
export function reviewPrompt(diff: string, cut: boolean, totalChars: number): string {
  return [
    'Review these uncommitted changes (git diff HEAD) before they are committed.',
    'When you cite a line, use its number in the new file (from the @@ hunk headers) and say which file.',
    cut ? `The diff was cut: you see the first ${diff.length} of ${totalChars} characters.` : '',
    '```diff',
    diff.trimEnd(),
    '```',
  ]
    .filter(Boolean)
    .join('\n');
}

export const createGitSlice: SliceCreator<GitSlice> = (set, get) => {
  const patch = (p: Partial<GitSlice['git']>) => set({ git: { ...get().git, ...p } });
  const patchReview = (p: Partial<GitReview>) => {
    const r = get().git.review;
    if (r) patch({ review: { ...r, ...p } });
  };
  const changes = () => {
    const st = get().git.status;
    return st?.repo ? st : null;
  };

  return {
    git: EMPTY,
    async loadGitStatus() {
      const projectId = get().code.projectId;
      const same = get().git.projectId === projectId;
      if (!same) {
        get().git.review?.cancel();
        set({ git: { ...EMPTY, projectId } });
      }
      if (!projectId) return;
      patch({ loading: true, error: null });
      const r = await getApi().workspace.gitStatus({ projectId });
      if (get().code.projectId !== projectId) return;
      if (!r.ok) return patch({ loading: false, status: null, error: r.error });
      const st = r.value;
      // Keep the shown file when it is still changed; else show the first one.
      const paths = st.repo ? st.files.map((f) => f.path) : [];
      const selected = get().git.selected;
      patch({ loading: false, status: st, selected: selected && paths.includes(selected) ? selected : (paths[0] ?? null) });
    },
    selectGitFile(path) {
      patch({ selected: path });
    },
    async reviewGitChanges() {
      const st = changes();
      const projectId = get().code.projectId;
      if (!st || !projectId || get().git.review?.running) return;
      if (st.files.length === 0) return patch({ error: { code: 'CONFLICT', message: 'There are no uncommitted changes to review.' } });
      if (!st.diff.trim())
        return patch({ error: { code: 'CONFLICT', message: 'Only new (untracked) files changed: there is no diff to review yet.' } });
      const capped = capDiff(st.diff, MAX_MODEL_DIFF_CHARS);
      const totalChars = st.truncated ? Math.max(capped.totalChars, st.diff.length) : capped.totalChars;
      const cut = capped.cut || st.truncated;
      const language = dominantLanguage(st.files.map((f) => f.path)) ?? 'typescript';
      const batcher = new FrameBatcher<GenerateEvent>((events) => {
        const text = events.map((e) => (e.kind === 'tokens' ? e.text : '')).join('');
        const ctx = events.find((e) => e.kind === 'context');
        if (ctx?.kind === 'context') patchReview({ context: { used: ctx.budget.used, total: ctx.budget.contextTokens } });
        if (text) patchReview({ answer: (get().git.review?.answer ?? '') + text });
      });
      const handle = getApi().codegen.generate(
        {
          type: 'review',
          language,
          prompt: reviewPrompt(capped.text, cut, totalChars),
          projectId,
          maxRounds: 0,
          samples: 1,
          // At most 10 findings of a line or two each: a small model otherwise rambles to the default 1024 tokens.
          maxAnswerTokens: REVIEW_MAX_TOKENS,
        },
        (e) => batcher.push(e),
      );
      patch({
        error: null,
        review: {
          running: true,
          answer: '',
          findings: null,
          generationId: null,
          sentChars: capped.text.length,
          totalChars,
          cut,
          context: null,
          error: null,
          cancel: handle.cancel,
        },
      });
      const r = await handle.result;
      batcher.drain();
      if (get().code.projectId !== projectId) return;
      if (!r.ok) return patchReview({ running: false, cancel: () => undefined, error: r.error.code === 'CANCELLED' ? null : r.error });
      const answer = r.value.error ? '' : r.value.code;
      patchReview({
        running: false,
        cancel: () => undefined,
        answer,
        findings: parseReviewFindings(answer),
        generationId: r.value.generationId,
        error: r.value.error ? { code: 'UNAVAILABLE', message: r.value.error } : null,
      });
    },
    cancelGitReview() {
      get().git.review?.cancel();
    },
    async draftCommitMessage() {
      const projectId = get().code.projectId;
      if (!projectId || get().git.draft.running) return;
      patch({ draft: { ...get().git.draft, running: true, error: null } });
      const r = await getApi().workspace.draftCommitMessage({ projectId });
      if (get().code.projectId !== projectId) return;
      if (!r.ok) return patch({ draft: { ...get().git.draft, running: false, error: r.error } });
      const text = r.value.body ? `${r.value.subject}\n\n${r.value.body}` : r.value.subject;
      patch({ draft: { running: false, value: r.value, text, error: null } });
    },
    setCommitText(text) {
      patch({ draft: { ...get().git.draft, text } });
    },
  };
};
