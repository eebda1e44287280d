// Unit: FIM token detection from a vocabulary — by text (Qwen has no fim_* keys), by metadata ids, and not at all.
import { describe, expect, it } from 'vitest';
import { detectFimTokens } from '../../../common/inference/fim-tokens';

const filler = Array.from({ length: 50 }, (_, i) => `tok${i}`);

describe('detectFimTokens', () => {
  it('finds Qwen-style tokens by their text, with the repo-level ones', () => {
    const tokens = [...filler, '<|fim_prefix|>', '<|fim_middle|>', '<|fim_suffix|>', '<|fim_pad|>', '<|repo_name|>', '<|file_sep|>'];
    expect(detectFimTokens({ tokens })).toEqual({
      prefix: '<|fim_prefix|>',
      suffix: '<|fim_suffix|>',
      middle: '<|fim_middle|>',
      pad: '<|fim_pad|>',
      repoName: '<|repo_name|>',
      fileSep: '<|file_sep|>',
    });
  });

  it('prefers the metadata ids when the file has them', () => {
    const tokens = [...filler, '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '[P]', '[S]', '[M]'];
    const ids = { fim_pre_token_id: 53, fim_suf_token_id: 54, fim_mid_token_id: 55 };
    expect(detectFimTokens({ tokens, ids })).toEqual({ prefix: '[P]', suffix: '[S]', middle: '[M]' });
  });

  it('ignores metadata ids outside the vocabulary and falls back to text (StarCoder spelling)', () => {
    const tokens = [...filler, '<fim_prefix>', '<fim_middle>', '<fim_suffix>', '<fim_pad>'];
    const found = detectFimTokens({ tokens, ids: { fim_pre_token_id: 10_000, fim_suf_token_id: -1, fim_mid_token_id: 1.5 } });
    expect(found).toEqual({ prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', pad: '<fim_pad>' });
  });

  it('is undefined when any of prefix/suffix/middle is missing (a chat model without FIM)', () => {
    expect(detectFimTokens({ tokens: [...filler, '<|im_start|>', '<|im_end|>'] })).toBeUndefined();
    expect(detectFimTokens({ tokens: [...filler, '<|fim_prefix|>', '<|fim_suffix|>'] })).toBeUndefined();
  });

  it('does not take an HTML-looking normal word for a FIM marker', () => {
    const tokens = [...filler, '<PRE>', '<SUF>', '<MID>'];
    const normal = tokens.map(() => 1);
    expect(detectFimTokens({ tokens, tokenTypes: normal })).toBeUndefined();
    const control = tokens.map((_, i) => (i >= 50 ? 3 : 1));
    expect(detectFimTokens({ tokens, tokenTypes: control })).toEqual({ prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>' });
  });
});
