// eval:codegen --context: option parsing (path resolution, the --ci refusal), the -ctx default file name, resume
// refused across a context change, what the engine's budget split says retrieval put in, and the summary's figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BudgetSplit } from '../../../common/codegen/engine';
import { retrievedInPrompt } from '../../../eval/codegen/run/context-prompt';
import { defaultOutFile, parseEvalArgs } from '../../../eval/codegen/run/options';
import { openResults, saveResults, type ProblemRecord, type RunSettings } from '../../../eval/codegen/run/results';
import { formatSummary, summarize } from '../../../eval/codegen/run/summary';
import { passingRecord } from '../../support/eval/codegen-record';

const BASE: RunSettings = { model: 'm', samples: 1, maxRounds: 0, seed: 1 };
const CTX = { dir: '/src/app', files: 12, vectors: true };

describe('--context option', () => {
  it('resolves DIR against the working directory and is absent by default', () => {
    expect(parseEvalArgs([]).context).toBeUndefined();
    expect(parseEvalArgs(['--context', 'some/dir']).context).toBe(path.resolve('some/dir'));
    expect(parseEvalArgs(['--context', '/abs/dir/']).context).toBe('/abs/dir');
  });

  it('is refused with --ci (the CI slice is fixed), in either order', () => {
    for (const argv of [
      ['--ci', '--context', '.'],
      ['--context', '.', '--ci'],
    ]) {
      expect(() => parseEvalArgs(argv)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
      expect(() => parseEvalArgs(argv)).toThrow('--ci runs a fixed slice; --context is not part of it');
    }
  });

  it('needs a value', () => {
    expect(() => parseEvalArgs(['--context'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('gives the default results file a -ctx suffix, so the two figures never share a file', () => {
    const o = { model: 'qwen2.5-coder-1.5b-instruct-q4_k_m', samples: 3, maxRounds: 3 };
    expect(path.basename(defaultOutFile('/r', o))).toBe('codegen-qwen2.5-coder-1.5b-instruct-q4_k_m-k3-n3.json');
    expect(path.basename(defaultOutFile('/r', { ...o, context: CTX }))).toBe('codegen-qwen2.5-coder-1.5b-instruct-q4_k_m-k3-n3-ctx.json');
  });
});

describe('resume across a context change', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'evolve-eval-ctx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fileWith = (name: string, settings: RunSettings): string => {
    const f = path.join(dir, name);
    saveResults(f, { version: 1, settings, startedAt: new Date().toISOString(), problems: {} });
    return f;
  };

  it('a file made with --context is not resumed without it, nor the reverse, nor with another folder or vectors', () => {
    const withCtx = fileWith('with.json', { ...BASE, context: CTX });
    const without = fileWith('without.json', BASE);
    const refused = (f: string, s: RunSettings, what: RegExp) =>
      expect(() => openResults(f, s, true)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(what) }),
      );
    refused(withCtx, BASE, /context \/src\/app \(vectors on\) → none/);
    refused(without, { ...BASE, context: CTX }, /context none → \/src\/app \(vectors on\)/);
    refused(withCtx, { ...BASE, context: { ...CTX, dir: '/src/other' } }, /context/);
    refused(withCtx, { ...BASE, context: { ...CTX, vectors: false } }, /vectors off/);
  });

  it('resumes with the same folder and vectors even when its file count moved (the folder was edited)', () => {
    const f = fileWith('same.json', { ...BASE, context: CTX });
    expect(openResults(f, { ...BASE, context: { ...CTX, files: 13 } }, true).settings.context).toEqual(CTX);
    const plain = fileWith('plain.json', BASE);
    expect(openResults(plain, BASE, true).settings.context).toBeUndefined();
  });
});

describe('retrieved tokens', () => {
  const budget = (retrieved: number, repoMap: number, chunks: string[]): BudgetSplit => ({
    contextTokens: 8192,
    reservedForAnswer: 1024,
    used: 900,
    parts: [
      { name: 'instructions', tokens: 200, items: ['function'], dropped: 0 },
      { name: 'retrieved', tokens: retrieved, items: chunks, dropped: 1 },
      { name: 'repoMap', tokens: repoMap, items: ['3 of 3 lines'], dropped: 0 },
    ],
  });

  it('reads the retrieved and repo-map parts of the budget split, 0 when absent', () => {
    expect(retrievedInPrompt(budget(400, 50, ['a.ts:1-9', 'b.py:3-7']))).toEqual({ tokens: 400, repoMapTokens: 50, chunks: 2 });
    expect(retrievedInPrompt({ contextTokens: 8192, reservedForAnswer: 1024, used: 10, parts: [] })).toEqual({
      tokens: 0,
      repoMapTokens: 0,
      chunks: 0,
    });
  });

  const rec = (id: string, retrieved?: ProblemRecord['retrieved']): ProblemRecord => passingRecord(id, retrieved ? { retrieved } : {});

  it('the summary prints the mean retrieved tokens and names the context in its header', () => {
    const s = summarize([
      rec('py-a', { tokens: 300, repoMapTokens: 40, chunks: 3 }),
      rec('py-b', { tokens: 100, repoMapTokens: 0, chunks: 1 }),
    ]);
    expect(s.retrieved).toEqual({ problems: 2, meanTokens: 200, meanRepoMapTokens: 20, meanChunks: 2 });
    const text = formatSummary(s, { ...BASE, context: CTX });
    expect(text).toContain('context: /src/app (12 files indexed, vectors on)');
    expect(text).toContain('retrieved into the prompt: mean 200 tokens (2.0 chunks) + repo map 20 tokens, over 2 problems');
  });

  it('without --context the header says so and there is no retrieval line', () => {
    const s = summarize([rec('py-a')]);
    expect(s.retrieved).toBeUndefined();
    const text = formatSummary(s, BASE);
    expect(text).toContain('context: none');
    expect(text).not.toContain('retrieved into the prompt');
  });
});
