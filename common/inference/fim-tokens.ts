// Finds a model's fill-in-the-middle tokens from its vocabulary: by GGUF metadata ids when present, else by token text.
import type { FimTokens } from './models';

/**
 * Known spellings per FIM role, first match wins (the lists llama.cpp's vocab loader uses). Qwen2.5-Coder GGUFs
 * carry no `tokenizer.ggml.fim_*` keys, so the text is the only way to find theirs.
 */
export const FIM_TOKEN_CANDIDATES: Readonly<Record<keyof FimTokens, readonly string[]>> = {
  prefix: ['<|fim_prefix|>', '<fim-prefix>', '<｜fim▁begin｜>', '<fim_prefix>', '<PRE>', '▁<PRE>'],
  suffix: ['<|fim_suffix|>', '<fim-suffix>', '<｜fim▁hole｜>', '<fim_suffix>', '<SUF>', '▁<SUF>'],
  middle: ['<|fim_middle|>', '<fim-middle>', '<｜fim▁end｜>', '<fim_middle>', '<MID>', '▁<MID>'],
  pad: ['<|fim_pad|>', '<fim-pad>', '<fim_pad>'],
  repoName: ['<|repo_name|>', '<|fim_repo|>', '<fim-repo>', '<reponame>', '<REPO>'],
  fileSep: ['<|file_sep|>', '<fim-file-sep>', '<file_sep>', '<filename>'],
};

/** The GGUF keys llama.cpp writes when a converter knew the FIM tokens (newer and older names). */
const METADATA_ID_KEYS: Readonly<Record<keyof FimTokens, readonly string[]>> = {
  prefix: ['fim_pre_token_id', 'prefix_token_id'],
  suffix: ['fim_suf_token_id', 'suffix_token_id'],
  middle: ['fim_mid_token_id', 'middle_token_id'],
  pad: ['fim_pad_token_id'],
  repoName: ['fim_rep_token_id'],
  fileSep: ['fim_sep_token_id'],
};

/** llama.cpp token types: 1 = normal text. A FIM marker spelled like HTML ("<PRE>") must not be a normal word. */
const NORMAL_TOKEN = 1;
const AMBIGUOUS = new Set(['<PRE>', '<SUF>', '<MID>', '▁<PRE>', '▁<SUF>', '▁<MID>', '<REPO>', '<filename>']);

export interface Vocabulary {
  tokens: readonly string[];
  /** tokenizer.ggml.token_type, when the file has it. */
  tokenTypes?: readonly number[];
  /** The `tokenizer.ggml` metadata object (for the fim_*_token_id keys). */
  ids?: Readonly<Record<string, unknown>>;
}

/**
 * The FIM tokens of a vocabulary, or undefined when it lacks any of prefix/suffix/middle (the three a FIM prompt
 * needs). Optional roles (pad, repo name, file separator) are included when found.
 */
export function detectFimTokens(vocab: Vocabulary): FimTokens | undefined {
  let index: Map<string, number> | undefined;
  const idOf = (text: string): number | undefined => {
    // Built lazily: a vocabulary without metadata ids is the common case, and 150k entries cost a few ms.
    index ??= new Map(vocab.tokens.map((t, i) => [t, i]));
    return index.get(text);
  };
  const find = (role: keyof FimTokens): string | undefined => {
    for (const key of METADATA_ID_KEYS[role]) {
      const id = vocab.ids?.[key];
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < vocab.tokens.length) return vocab.tokens[id];
    }
    for (const text of FIM_TOKEN_CANDIDATES[role]) {
      const id = idOf(text);
      if (id === undefined) continue;
      if (AMBIGUOUS.has(text) && vocab.tokenTypes?.[id] === NORMAL_TOKEN) continue;
      return text;
    }
    return undefined;
  };
  const prefix = find('prefix');
  const suffix = find('suffix');
  const middle = find('middle');
  if (prefix === undefined || suffix === undefined || middle === undefined) return undefined;
  const pad = find('pad');
  const repoName = find('repoName');
  const fileSep = find('fileSep');
  return {
    prefix,
    suffix,
    middle,
    ...(pad !== undefined ? { pad } : {}),
    ...(repoName !== undefined ? { repoName } : {}),
    ...(fileSep !== undefined ? { fileSep } : {}),
  };
}
