// Commit-message drafting without a model process: the prompt (files listed, diff cut to the context with a note),
// the answer parsing (fences, labels, long subjects), and the typed errors (no repo, no changes, empty answer).
// The real-model path is test/integration/workspace/commit-message-real-model.test.ts.
import { describe, expect, it } from 'vitest';
import type { GitStatus } from '../../../common/contracts/workspace';
import { isEvolveError } from '../../../common/errors';
import { commitPrompt, draftCommitMessage, parseCommitAnswer } from '../../../main/services/workspace/commit-message';
import type { EngineMessage, EngineModel } from '../../../main/services/codegen/engine/types';

const DIFF = 'diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n';
const status = (diff = DIFF): Extract<GitStatus, { repo: true }> => ({
  repo: true,
  branch: 'main',
  files: [
    { path: 'a.py', xy: '.M', kind: 'modified' },
    { path: 'notes.md', xy: '??', kind: 'untracked' },
  ],
  diff,
  truncated: false,
});

/** A model whose answer is fixed and whose tokenizer counts 1 token per 4 characters; records what it was sent. */
function fakeModel(answer: string, contextTokens = 8192): EngineModel & { sent: EngineMessage[][] } {
  const sent: EngineMessage[][] = [];
  return {
    id: 'fixed-answer',
    contextTokens,
    sent,
    async complete(messages) {
      sent.push(messages);
      return { text: answer, tokens: 10 };
    },
    countTokens: (text) => Math.ceil(text.length / 4),
  };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEvolveError(e)) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('commitPrompt', () => {
  it('lists every changed file (untracked ones marked) and fences the diff', () => {
    const p = commitPrompt(status(), 10_000);
    const user = p.messages[1]!.content;
    expect(user).toContain('modified: a.py');
    expect(user).toContain('untracked: notes.md (new file, not in the diff)');
    expect(user).toContain('```diff\n' + DIFF.trimEnd() + '\n```');
    expect(p.cut).toBe(false);
    expect(p.sentChars).toBe(DIFF.length);
  });
  it('says when the diff was cut', () => {
    const big = DIFF + `+${'y'.repeat(50)}\n`.repeat(100);
    const p = commitPrompt(status(big), 500);
    expect(p.cut).toBe(true);
    expect(p.sentChars).toBeLessThanOrEqual(500);
    expect(p.messages[1]!.content).toMatch(/cut: the first \d+ of \d+ characters/);
  });
});

describe('parseCommitAnswer', () => {
  it('takes the first line as the subject and the rest as the body', () => {
    expect(parseCommitAnswer('fix(a): bump x to 2\n\nThe old value overflowed.\n')).toEqual({
      subject: 'fix(a): bump x to 2',
      body: 'The old value overflowed.',
      conventional: true,
    });
  });
  it('drops fences, labels, quotes and a final period; flags a subject that is not conventional', () => {
    expect(parseCommitAnswer('```\nCommit message:\nSubject: "Update a.py."\nBody: changes x\n```')).toEqual({
      subject: 'Update a.py',
      body: 'changes x',
      conventional: false,
    });
  });
  it('turns the copied placeholder `type(fix): …` into `fix: …`', () => {
    expect(parseCommitAnswer('type(chore): update cart.py').subject).toBe('chore: update cart.py');
    expect(parseCommitAnswer('<type>(feat)!: drop v1 API').subject).toBe('feat!: drop v1 API');
    expect(parseCommitAnswer('type(chore): x').conventional).toBe(true);
    expect(parseCommitAnswer('<feat>(main): Add total function').subject).toBe('feat(main): Add total function');
    expect(parseCommitAnswer('fix(<cart>): round totals').subject).toBe('fix(cart): round totals');
  });
  it('keeps the subject to 72 characters at a word boundary', () => {
    const r = parseCommitAnswer(`feat: ${'word '.repeat(30)}`);
    expect(r.subject.length).toBeLessThanOrEqual(72);
    expect(r.subject.endsWith('word')).toBe(true);
  });
});

describe('draftCommitMessage', () => {
  it('returns the parsed draft with what was sent', async () => {
    const m = fakeModel('refactor: set x to 2\n\nKeeps the config in one place.');
    const d = await draftCommitMessage(status(), m, { now: () => 5 });
    expect(d).toMatchObject({
      subject: 'refactor: set x to 2',
      conventional: true,
      model: 'fixed-answer',
      cut: false,
      files: 2,
      diffChars: DIFF.length,
    });
    expect(m.sent).toHaveLength(1);
  });
  it('shrinks the diff until the prompt fits a small context, and says it was cut', async () => {
    const big = DIFF + `+${'z'.repeat(70)}\n`.repeat(400); // ~29k characters ≈ 7k fake tokens
    const m = fakeModel('chore: add z lines', 2048);
    const d = await draftCommitMessage(status(big), m);
    expect(d.cut).toBe(true);
    expect(d.sentChars).toBeLessThan(big.length);
    const sentTokens = Math.ceil(m.sent[0]!.map((x) => x.content).join('\n').length / 4);
    expect(sentTokens).toBeLessThanOrEqual(2048 - 200);
  });
  it('is a typed error without a repository, without changes, and for an empty answer', async () => {
    expect(await code(draftCommitMessage({ repo: false }, fakeModel('x')))).toBe('NOT_FOUND');
    expect(await code(draftCommitMessage({ ...status(), files: [], diff: '' }, fakeModel('x')))).toBe('CONFLICT');
    expect(await code(draftCommitMessage(status(), fakeModel('```\n```')))).toBe('UNAVAILABLE');
  });
});
