// Tokenizer for the embedding model: @huggingface/tokenizers reads the model's tokenizer.json (no hand-written
// WordPiece); truncation to the model's limit is done here because that library has none.
import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { EvolveError } from '../../common/errors';

/** A WordPiece word is at most 100 characters (longer becomes [UNK]), so at most 100 pieces. */
const MAX_PIECES_PER_WORD = 100;
const FIRST_SLICE_CHARS = 4_096;

export class EmbeddingTokenizer {
  private constructor(
    private readonly tok: Tokenizer,
    readonly maxTokens: number,
  ) {}

  static fromFile(tokenizerJsonPath: string, maxTokens: number): EmbeddingTokenizer {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(tokenizerJsonPath, 'utf8'));
    } catch (e) {
      throw new EvolveError('UNAVAILABLE', `cannot read ${tokenizerJsonPath}: ${(e as Error).message}`);
    }
    const tok = new Tokenizer(json as object, {});
    const probe = tok.encode('a').ids;
    // The truncation below keeps the first and last id: it relies on a [CLS] text [SEP] template.
    if (probe.length !== 3) throw new EvolveError('CORRUPT', `${tokenizerJsonPath}: expected a [CLS] … [SEP] tokenizer`);
    return new EmbeddingTokenizer(tok, maxTokens);
  }

  /**
   * Ids as the model sees them: [CLS] pieces [SEP], the pieces cut so the whole is at most maxTokens — what
   * Rust `tokenizers` does with truncation(max_length) for one sequence. Long texts are tokenized in growing
   * prefixes: a prefix whose pieces reach past the limit by more than one word's worth gives the same first pieces
   * as the whole text, since a cut only changes the last word.
   */
  encode(text: string): { ids: number[]; truncated: boolean } {
    let end = Math.min(text.length, FIRST_SLICE_CHARS);
    for (;;) {
      const ids = this.tok.encode(end === text.length ? text : text.slice(0, end)).ids;
      const enough = ids.length - 2 >= this.maxTokens - 2 + MAX_PIECES_PER_WORD;
      if (end === text.length || enough) {
        if (ids.length <= this.maxTokens) return { ids, truncated: false };
        const last = ids[ids.length - 1] as number;
        return { ids: [...ids.slice(0, this.maxTokens - 1), last], truncated: true };
      }
      end = Math.min(text.length, end * 4);
    }
  }
}
