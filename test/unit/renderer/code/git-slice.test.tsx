// The Git panel's store side and markup with a scripted API (no host): the first changed file is shown, the review
// request is a one-round 'review' generation of the (capped) diff in the change's language whose streamed answer
// becomes findings, the commit draft lands in the text box, and each typed error is shown as such.
import { renderToString } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../../common/codegen/engine';
import type { EvolveApi } from '../../../../common/contracts';
import type { CommitDraft, GitStatus } from '../../../../common/contracts/workspace';
import type { ErrorInfo } from '../../../../common/errors';
import { MAX_MODEL_DIFF_CHARS } from '../../../../common/workspace/git-diff';
import { setApi } from '../../../../renderer/api';
import { useStore } from '../../../../renderer/app/store';
import { GitPanel } from '../../../../renderer/features/code/GitPanel';

const DIFF =
  'diff --git a/cart.py b/cart.py\n--- a/cart.py\n+++ b/cart.py\n@@ -1,2 +1,2 @@\n def total(p):\n-    return sum(p)\n+    return sum(p) * 0.9\n';
const STATUS: GitStatus = {
  repo: true,
  branch: 'main',
  files: [
    { path: 'cart.py', xy: '.M', kind: 'modified' },
    { path: 'notes.md', xy: '??', kind: 'untracked' },
  ],
  diff: DIFF,
  truncated: false,
};
const DRAFT: CommitDraft = {
  subject: 'Apply a discount in total',
  body: 'Prices are now 10% off.',
  conventional: false,
  model: 'qwen',
  ms: 1200,
  diffChars: DIFF.length,
  sentChars: DIFF.length,
  cut: false,
  files: 2,
};

type Res<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
interface Script {
  status: Res<GitStatus>;
  draft: Res<CommitDraft>;
  answer: string;
  generateCalls: unknown[];
}
let script: Script;
const PRISTINE = { git: useStore.getInitialState().git, code: useStore.getInitialState().code };

function install(): void {
  const api = {
    workspace: {
      gitStatus: async () => script.status,
      draftCommitMessage: async () => script.draft,
    },
    codegen: {
      generate: (input: unknown, onEvent: (e: unknown) => void) => {
        script.generateCalls.push(input);
        onEvent({ kind: 'context', budget: { contextTokens: 4096, reservedForAnswer: 384, used: 812, parts: [] } });
        for (const word of script.answer.split(/(?<= )/)) onEvent({ kind: 'tokens', candidate: 0, round: 0, text: word });
        const value = { generationId: 'g-review', code: script.answer } as unknown as GenerateResult;
        return { result: Promise.resolve({ ok: true, value }), cancel: () => undefined };
      },
    },
  };
  setApi(api as unknown as EvolveApi);
}

beforeEach(() => {
  script = { status: { ok: true, value: STATUS }, draft: { ok: true, value: DRAFT }, answer: '', generateCalls: [] };
  install();
  useStore.setState({ code: { ...PRISTINE.code, projectId: 'p1' }, git: PRISTINE.git });
});

/** Server rendering reads the initial state, so the markup tests copy the live state there. */
function render(): string {
  Object.assign(useStore.getInitialState(), { git: useStore.getState().git, code: useStore.getState().code });
  return renderToString(<GitPanel />);
}

describe('git slice', () => {
  it('loads the status and shows the first changed file', async () => {
    await useStore.getState().loadGitStatus();
    expect(useStore.getState().git.selected).toBe('cart.py');
    const html = render();
    expect(html).toMatch(/data-testid="git-file" data-path="cart.py" data-kind="modified"/);
    expect(html).toMatch(/data-path="notes.md" data-kind="untracked"/);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*data-testid="git-review-run"/);
  });

  it('reviews the diff as a one-round review generation and lists the findings', async () => {
    script.answer = '- line 2: the 0.9 discount is hard-coded — make it a parameter\n- Missing a test for total';
    await useStore.getState().loadGitStatus();
    await useStore.getState().reviewGitChanges();
    expect(script.generateCalls).toHaveLength(1);
    expect(script.generateCalls[0]).toMatchObject({
      type: 'review',
      language: 'python',
      projectId: 'p1',
      maxRounds: 0,
      samples: 1,
      maxAnswerTokens: 384,
    });
    expect((script.generateCalls[0] as { prompt: string }).prompt).toContain('+    return sum(p) * 0.9');
    const review = useStore.getState().git.review!;
    expect(review).toMatchObject({ running: false, cut: false, generationId: 'g-review', answer: script.answer });
    expect(review.findings).toEqual([
      { line: 2, text: 'the 0.9 discount is hard-coded — make it a parameter' },
      { line: null, text: 'Missing a test for total' },
    ]);
    expect(review.context).toEqual({ used: 812, total: 4096 });
    const html = render();
    expect(html.match(/data-testid="git-finding"/g)).toHaveLength(2);
    expect(html).toContain('context 812/4096 tokens');
  });

  it('shows an answer without usable findings as written (a small model looping on locations)', async () => {
    script.answer = Array.from({ length: 12 }, (_, i) => `- cart.py: ${i + 1}`).join('\n');
    await useStore.getState().loadGitStatus();
    await useStore.getState().reviewGitChanges();
    expect(useStore.getState().git.review?.findings).toEqual([]);
    const html = render();
    expect(html).toContain('data-testid="git-no-findings"');
    expect(html).toContain('No usable findings in the answer');
    expect(html).toContain('- cart.py: 12');
  });

  it('cuts a diff over the cap at a line boundary and tells the model and the user', async () => {
    const added = `+${'x'.repeat(99)}\n`.repeat(200);
    const big = `diff --git a/cart.py b/cart.py\n--- a/cart.py\n+++ b/cart.py\n@@ -1,1 +1,201 @@\n def total(p):\n${added}`;
    script.status = { ok: true, value: { ...STATUS, diff: big } };
    script.answer = 'Looks fine.';
    await useStore.getState().loadGitStatus();
    await useStore.getState().reviewGitChanges();
    const prompt = (script.generateCalls[0] as { prompt: string }).prompt;
    expect(prompt.length).toBeLessThan(MAX_MODEL_DIFF_CHARS + 500);
    expect(prompt).toMatch(/The diff was cut: you see the first \d+ of 20\d{3} characters/);
    expect(useStore.getState().git.review).toMatchObject({ cut: true, totalChars: big.length });
    expect(render()).toMatch(/the model saw the first \d+ of 20\d{3} diff characters \(cut\)/);
  });

  it('puts the commit draft in the text box, flags a non-conventional subject, and commits nothing', async () => {
    await useStore.getState().loadGitStatus();
    await useStore.getState().draftCommitMessage();
    expect(useStore.getState().git.draft.text).toBe('Apply a discount in total\n\nPrices are now 10% off.');
    const html = render();
    expect(html).toContain('data-testid="git-commit-text"');
    expect(html).toContain('data-testid="git-commit-not-conventional"');
    expect(html).toContain('Nothing was committed');
  });

  it('shows typed errors: untrusted, not a repository, nothing changed, draft refused', async () => {
    script.status = { ok: false, error: { code: 'FORBIDDEN', message: 'Project p1 is not trusted yet' } };
    await useStore.getState().loadGitStatus();
    expect(render()).toMatch(/data-testid="git-error">Not allowed<!-- -->: <!-- -->Trust this project first/);

    script.status = { ok: true, value: { repo: false } };
    await useStore.getState().loadGitStatus();
    expect(render()).toContain('data-testid="git-not-repo"');

    script.status = { ok: true, value: { ...STATUS, files: [], diff: '' } };
    await useStore.getState().loadGitStatus();
    const clean = render();
    expect(clean).toContain('data-testid="git-clean"');
    expect(clean).toMatch(/<button[^>]*disabled=""[^>]*data-testid="git-review-run"/);
    expect(clean).toMatch(/<button[^>]*disabled=""[^>]*data-testid="git-draft-run"/);

    script.status = { ok: true, value: STATUS };
    script.draft = { ok: false, error: { code: 'UNAVAILABLE', message: 'No coding model is installed' } };
    await useStore.getState().loadGitStatus();
    await useStore.getState().draftCommitMessage();
    expect(render()).toMatch(/data-testid="git-draft-error">Unavailable<!-- -->: <!-- -->No coding model is installed/);
  });

  it('shows a diff git cut mid-hunk as raw text instead of failing', async () => {
    // git-status caps the diff at 1 MiB, which can end inside a hunk: the hunk header then promises more lines.
    const cutMidHunk = `${DIFF.split('\n').slice(0, 5).join('\n')}\n`;
    script.status = { ok: true, value: { ...STATUS, diff: cutMidHunk, truncated: true } };
    await useStore.getState().loadGitStatus();
    const html = render();
    expect(html).toContain('data-testid="git-truncated"');
    expect(html).toContain('data-testid="git-raw-patch"');
    expect(html).toContain('@@ -1,2 +1,2 @@');
  });

  it('refuses to review when only untracked files changed (no diff yet)', async () => {
    script.status = { ok: true, value: { ...STATUS, files: [{ path: 'notes.md', xy: '??', kind: 'untracked' }], diff: '' } };
    await useStore.getState().loadGitStatus();
    await useStore.getState().reviewGitChanges();
    expect(script.generateCalls).toHaveLength(0);
    expect(useStore.getState().git.error?.message).toMatch(/no diff to review/);
  });
});
