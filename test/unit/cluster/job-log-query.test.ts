// The job-log search language: what FTS5 expression each query becomes, which queries are refused (typed), and
// which spans of a line are highlighted — matched the way the index's unicode61 tokenizer folds case and accents.
import { describe, expect, it } from 'vitest';
import { EvolveError } from '../../../common/errors';
import { highlightSpans } from '../../../main/services/cluster/job-logs/highlight';
import { logTokens, parseLogQuery } from '../../../main/services/cluster/job-logs/query';

const marked = (line: string, query: string) => highlightSpans(line, parseLogQuery(query).terms).map(([a, b]) => line.slice(a, b));

describe('job log query', () => {
  it('turns words, phrases, prefixes, exclusions and OR into a quoted FTS5 expression', () => {
    expect(parseLogQuery('cuda memory').match).toBe('"cuda" AND "memory"');
    expect(parseLogQuery('"Out of Memory" torch*').match).toBe('"out of memory" AND "torch" *');
    expect(parseLogQuery('nccl OR gloo timeout -debug').match).toBe('("nccl" OR "gloo") AND "timeout" NOT "debug"');
    // Punctuated text is a phrase of its tokens (file:line, dotted names, snake case).
    expect(parseLogQuery('train.py:42').match).toBe('"train py 42"');
    expect(parseLogQuery('CUDA_ERROR_OUT_OF_MEMORY').match).toBe('"cuda error out of memory"');
    // FTS5 operators typed by the user are just words inside quotes, never syntax.
    expect(parseLogQuery('AND NOT NEAR(x)').match).toBe('"and" AND "not" AND "near x"');
    expect(logTokens('Ünïcode Straße')).toEqual(['unicode', 'straße']);
  });

  it('refuses malformed queries with INVALID_ARGUMENT and a sentence', () => {
    const cases: [string, RegExp][] = [
      ['', /at least one word/],
      ['"unclosed', /unclosed quote/],
      ['-only', /excluded/],
      ['OR x', /OR needs/],
      ['x OR', /OR needs/],
      ['a OR OR b', /OR needs/],
      ['a OR -b', /cannot be part of an OR/],
      ['" "', /quoted phrase/],
      [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), /more than 32/],
    ];
    for (const [q, msg] of cases) {
      let err: unknown;
      try {
        parseLogQuery(q);
      } catch (e) {
        err = e;
      }
      expect(err, q).toBeInstanceOf(EvolveError);
      expect((err as EvolveError).code, q).toBe('INVALID_ARGUMENT');
      expect((err as EvolveError).message, q).toMatch(msg);
    }
  });

  it('highlights matched tokens, prefixes and adjacent phrase words as one span', () => {
    expect(marked('torch.cuda.OutOfMemoryError: CUDA out of memory', '"out of memory" torch*')).toEqual(['torch', 'out of memory']);
    expect(marked('Épuisé: GPU épuisée', 'epuise')).toEqual(['Épuisé']);
    expect(marked('loss=2.5 lossy', 'loss*')).toEqual(['loss', 'lossy']);
    expect(marked('nothing here', 'cuda')).toEqual([]);
  });
});
