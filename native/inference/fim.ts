// Fill-in-the-middle: finds a model's FIM tokens by their text in the vocabulary (Qwen GGUFs have no
// tokenizer.ggml.fim_* keys) and builds the capped-window FIM prompt (repo-level files, prefix, suffix).
import type { Token } from 'node-llama-cpp';
import { FIM_DEFAULT_MAX_PREFIX_TOKENS, FIM_DEFAULT_MAX_SUFFIX_TOKENS } from '../../common/inference/engine';

export type FimRole = 'prefix' | 'suffix' | 'middle' | 'pad' | 'repoName' | 'fileSep' | 'eot';

/** Known spellings per role: Qwen/StarCoder2 (<|…|>), StarCoder (<fim_…>), Gemma-2 code, DeepSeek-Coder. */
const CANDIDATES: Record<FimRole, readonly string[]> = {
  prefix: ['<|fim_prefix|>', '<fim_prefix>', '<fim-prefix>', '<｜fim▁begin｜>'],
  suffix: ['<|fim_suffix|>', '<fim_suffix>', '<fim-suffix>', '<｜fim▁hole｜>'],
  middle: ['<|fim_middle|>', '<fim_middle>', '<fim-middle>', '<｜fim▁end｜>'],
  pad: ['<|fim_pad|>', '<fim_pad>', '<fim-pad>'],
  repoName: ['<|repo_name|>', '<reponame>'],
  fileSep: ['<|file_sep|>', '<file_sep>', '<|file_separator|>'],
  eot: ['<|endoftext|>', '<|end_of_text|>', '<|eot_id|>'],
};

/** What fim.ts needs from a model: tokenizing with special tokens on, and back. */
export interface FimVocab {
  tokenize(text: string, specialTokens: boolean): readonly Token[];
  detokenize(tokens: readonly Token[], specialTokens: boolean): string;
}

export interface FimTokens {
  token: Partial<Record<FimRole, Token>>;
  text: Partial<Record<FimRole, string>>;
}

/**
 * A role's token exists when its text is ONE special token that renders back to the same text — and is not just
 * an ordinary word that happens to be one token (tokenized as plain text it must come out differently).
 * `native` are the ids llama.cpp itself resolved (GGUF fim_* keys or its own detection), used when the text
 * lookup finds nothing for a role.
 */
export function findFimTokens(vocab: FimVocab, native: Partial<Record<FimRole, Token | null>> = {}): FimTokens {
  const out: FimTokens = { token: {}, text: {} };
  for (const role of Object.keys(CANDIDATES) as FimRole[]) {
    for (const text of CANDIDATES[role]) {
      const toks = vocab.tokenize(text, true);
      const only = toks[0];
      if (toks.length !== 1 || only === undefined || vocab.detokenize([only], true) !== text) continue;
      const plain = vocab.tokenize(text, false);
      if (plain.length === 1 && plain[0] === only) continue;
      out.token[role] = only;
      out.text[role] = text;
      break;
    }
    const n = native[role];
    if (out.token[role] === undefined && n !== undefined && n !== null && n >= 0) {
      out.token[role] = n;
      out.text[role] = vocab.detokenize([n], true);
    }
  }
  return out;
}

/** FIM needs the three structural tokens; the rest (pad, repo, file separators) are optional extras. */
export function fimSupported(t: FimTokens): boolean {
  return t.token.prefix !== undefined && t.token.suffix !== undefined && t.token.middle !== undefined;
}

export interface FimInput {
  prefix: string;
  suffix: string;
  path?: string;
  extra?: readonly { path: string; text: string }[];
  repoName?: string;
  maxPrefixTokens?: number;
  maxSuffixTokens?: number;
  maxExtraTokens?: number;
  /** 'psm' (prefix, suffix, middle — what Qwen trained on) or 'spm' (suffix first, so it stays cached while typing). */
  order?: 'psm' | 'spm';
}

export interface FimPrompt {
  tokens: Token[];
  prefixTokens: number;
  suffixTokens: number;
  /** Tokens cut off the start of the prefix / end of the suffix / whole extra files dropped. */
  cut: { prefix: number; suffix: number; extraFiles: number };
}

/**
 * The prefix window moves in steps of this many tokens, not one token per keystroke: the start of the window
 * is the start of the KV cache, so a window sliding on every keystroke would re-evaluate everything.
 */
export const PREFIX_WINDOW_STEP = 128;
const DEFAULT_MAX_EXTRA_TOKENS = 1024;

/**
 * Builds the FIM prompt. The prefix keeps its END (the text right before the cursor), the suffix its START;
 * repo-level files come first (Qwen: <|repo_name|>name\n<|file_sep|>path\ntext…) so they stay cached too.
 */
export function buildFimPrompt(vocab: FimVocab, fim: FimTokens, input: FimInput): FimPrompt {
  const { prefix: P, suffix: S, middle: M } = fim.token;
  if (P === undefined || S === undefined || M === undefined) throw new Error('buildFimPrompt: model has no FIM tokens');
  const text = (s: string): Token[] => [...vocab.tokenize(s, false)];
  const maxPrefix = input.maxPrefixTokens ?? FIM_DEFAULT_MAX_PREFIX_TOKENS;
  const maxSuffix = input.maxSuffixTokens ?? FIM_DEFAULT_MAX_SUFFIX_TOKENS;

  const prefixAll = input.prefix ? text(input.prefix) : [];
  let prefixStart = 0;
  if (prefixAll.length > maxPrefix) {
    const over = prefixAll.length - maxPrefix;
    prefixStart = Math.min(Math.ceil(over / PREFIX_WINDOW_STEP) * PREFIX_WINDOW_STEP, prefixAll.length);
  }
  const prefixToks = prefixAll.slice(prefixStart);
  const suffixAll = input.suffix ? text(input.suffix) : [];
  const suffixToks = suffixAll.slice(0, maxSuffix);

  const head: Token[] = [];
  let droppedFiles = 0;
  const sep = fim.token.fileSep;
  if (sep !== undefined && (input.extra?.length || input.path)) {
    if (fim.token.repoName !== undefined && input.repoName) head.push(fim.token.repoName, ...text(`${input.repoName}\n`));
    let budget = input.maxExtraTokens ?? DEFAULT_MAX_EXTRA_TOKENS;
    for (const f of input.extra ?? []) {
      const toks = [sep, ...text(`${f.path}\n${f.text}\n`)];
      if (toks.length > budget) {
        droppedFiles++;
        continue;
      }
      budget -= toks.length;
      head.push(...toks);
    }
    if (input.path) head.push(sep, ...text(`${input.path}\n`));
  } else droppedFiles = input.extra?.length ?? 0;

  const body = input.order === 'spm' ? [S, ...suffixToks, P, ...prefixToks, M] : [P, ...prefixToks, S, ...suffixToks, M];
  return {
    tokens: [...head, ...body],
    prefixTokens: prefixToks.length,
    suffixTokens: suffixToks.length,
    cut: { prefix: prefixStart, suffix: suffixAll.length - suffixToks.length, extraFiles: droppedFiles },
  };
}

/** Token texts that end a FIM middle besides the model's EOS (Qwen emits <|fim_pad|>, <|endoftext|> or a new file). */
export function fimStopTexts(fim: FimTokens): string[] {
  const roles: FimRole[] = ['pad', 'eot', 'fileSep', 'repoName', 'prefix', 'suffix', 'middle'];
  return roles.flatMap((r) => (fim.text[r] ? [fim.text[r]] : []));
}
