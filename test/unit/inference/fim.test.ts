// FIM token lookup by text and the capped-window FIM prompt, on a small word-level vocabulary (one token per word).
import type { Token } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import {
  buildFimPrompt,
  findFimTokens,
  fimStopTexts,
  fimSupported,
  PREFIX_WINDOW_STEP,
  type FimVocab,
} from '../../../native/inference/fim';

/** Special tokens are ids 1..n when listed; every other word gets its own id ≥ 1000, stable across calls. */
function vocab(special: string[]): FimVocab & { word(id: number): string } {
  const ids = new Map<string, number>(special.map((s, i) => [s, i + 1]));
  const words: string[] = [];
  const wordId = (w: string) => {
    let i = words.indexOf(w);
    if (i === -1) i = words.push(w) - 1;
    return 1000 + i;
  };
  return {
    tokenize(text, specialTokens) {
      if (specialTokens && ids.has(text)) return [ids.get(text) as Token];
      return text
        .split(/(?<=\s)/)
        .filter(Boolean)
        .map((w) => wordId(w) as Token); // "<|fim_prefix|>" without specials → word tokens
    },
    detokenize(tokens, specialTokens) {
      return tokens.map((t) => (t < 1000 ? (specialTokens ? special[t - 1] : '') : words[t - 1000])).join('');
    },
    word: (id) => (id < 1000 ? (special[id - 1] ?? '?') : (words[id - 1000] ?? '?')),
  };
}

const QWEN = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>', '<|endoftext|>'];

describe('findFimTokens', () => {
  it('finds Qwen-style tokens by their text', () => {
    const t = findFimTokens(vocab(QWEN));
    expect(fimSupported(t)).toBe(true);
    expect(t.text).toEqual({
      prefix: '<|fim_prefix|>',
      suffix: '<|fim_suffix|>',
      middle: '<|fim_middle|>',
      pad: '<|fim_pad|>',
      repoName: '<|repo_name|>',
      fileSep: '<|file_sep|>',
      eot: '<|endoftext|>',
    });
    expect(fimStopTexts(t)).toEqual(expect.arrayContaining(['<|fim_pad|>', '<|endoftext|>', '<|file_sep|>']));
  });

  it('finds StarCoder-style tokens and reports a vocabulary without them as unsupported', () => {
    expect(findFimTokens(vocab(['<fim_prefix>', '<fim_suffix>', '<fim_middle>'])).token).toMatchObject({ prefix: 1, suffix: 2, middle: 3 });
    const none = findFimTokens(vocab(['<start_of_turn>', '<end_of_turn>']));
    expect(fimSupported(none)).toBe(false);
    // llama.cpp's own ids (GGUF fim_* keys) fill a role the text lookup did not find.
    expect(findFimTokens(vocab(['<PRE>', '<SUF>', '<MID>']), { prefix: 1 as Token, suffix: 2 as Token, middle: 3 as Token }).text).toEqual({
      prefix: '<PRE>',
      suffix: '<SUF>',
      middle: '<MID>',
    });
    // Two of three is not enough: a prompt without <|fim_middle|> cannot be built.
    expect(fimSupported(findFimTokens(vocab(['<|fim_prefix|>', '<|fim_suffix|>'])))).toBe(false);
  });
});

describe('buildFimPrompt', () => {
  const v = vocab(QWEN);
  const fim = findFimTokens(v);
  const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i} `).join('');

  it('lays out prefix, suffix, middle (PSM) and suffix first in SPM', () => {
    const psm = buildFimPrompt(v, fim, { prefix: 'a b ', suffix: 'c ' });
    expect(psm.tokens.map((t) => v.word(t))).toEqual(['<|fim_prefix|>', 'a ', 'b ', '<|fim_suffix|>', 'c ', '<|fim_middle|>']);
    const spm = buildFimPrompt(v, fim, { prefix: 'a b ', suffix: 'c ', order: 'spm' });
    expect(spm.tokens.map((t) => v.word(t))).toEqual(['<|fim_suffix|>', 'c ', '<|fim_prefix|>', 'a ', 'b ', '<|fim_middle|>']);
  });

  it('keeps the END of the prefix and the START of the suffix, moving the prefix window in steps', () => {
    const p = buildFimPrompt(v, fim, { prefix: words(1000, 'p'), suffix: words(400, 's'), maxPrefixTokens: 300, maxSuffixTokens: 50 });
    const text = p.tokens.map((t) => v.word(t));
    expect(p.suffixTokens).toBe(50);
    expect(text).toContain('s0 ');
    expect(text).toContain('s49 ');
    expect(text).not.toContain('s50 ');
    expect(text).toContain('p999 ');
    expect(p.prefixTokens).toBeLessThanOrEqual(300);
    expect(p.prefixTokens).toBeGreaterThan(300 - PREFIX_WINDOW_STEP);
    expect(p.cut).toEqual({ prefix: 1000 - p.prefixTokens, suffix: 350, extraFiles: 0 });
    // Typing a few more words keeps the window's start (and so the KV cache) where it was.
    const next = buildFimPrompt(v, fim, {
      prefix: `${words(1000, 'p')}x y `,
      suffix: words(400, 's'),
      maxPrefixTokens: 300,
      maxSuffixTokens: 50,
    });
    expect(next.tokens.slice(0, 10)).toEqual(p.tokens.slice(0, 10));
  });

  it('puts repo-level files first with <|repo_name|> and <|file_sep|>, dropping files over the budget', () => {
    const p = buildFimPrompt(v, fim, {
      prefix: 'a ',
      suffix: 'b ',
      path: 'src/main.py',
      repoName: 'demo',
      extra: [
        { path: 'src/util.py', text: 'def u ' },
        { path: 'big.py', text: words(500, 'w') },
      ],
      maxExtraTokens: 100,
    });
    const text = p.tokens.map((t) => v.word(t)).join('');
    expect(text.startsWith('<|repo_name|>demo\n<|file_sep|>src/util.py\ndef u \n<|file_sep|>src/main.py\n<|fim_prefix|>a ')).toBe(true);
    expect(p.cut.extraFiles).toBe(1);
  });
});
