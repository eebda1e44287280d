// Query expansion for prose questions: the local coding model names the identifiers and words the answering code
// likely uses, and BM25 searches them along with the question. A question in plain English ("repeat failed requests
// with growing waits") shares few words with the code that does it (retry, backoff, Retry-After); MiniLM bridges some
// of that gap, BM25 none (bench:index: BM25 alone found 29 % of the identifier-free questions' files). Queries that
// already name code (camelCase, snake_case, dotted or digit-bearing names) are searched as typed.
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { CompleteOptions, Completion, EngineMessage } from '../codegen/engine/types';

/** Terms to add to a query's BM25 search ([] when the query is not prose or expansion is unavailable). */
export type QueryExpander = (query: string, signal?: AbortSignal) => Promise<string[]>;

/** The part of a model the expander needs (the codegen engine's local-model port has it). */
export interface ExpansionModel {
  complete(messages: EngineMessage[], opts: CompleteOptions): Promise<Completion>;
}

const CODE_TOKEN = /[a-z][A-Z]|[A-Za-z]_[A-Za-z]|\w\.\w|[A-Za-z]\d|\w-\w+-\w|[`()[\]{}<>=]/;

/** True when no word of the query looks like code: the only queries worth a model call. */
export function isProseQuery(query: string): boolean {
  return !query.split(/\s+/).some((w) => CODE_TOKEN.test(w));
}

export const EXPANSION_MAX_TERMS = 12;
const MAX_TOKENS = 48;
const TERM = /[A-Za-z_$][\w$]*(?:[.-][A-Za-z_$][\w$]*)*/g;
const NOISE = new Set(['and', 'the', 'for', 'with', 'function', 'functions', 'file', 'files', 'code', 'names', 'none']);

// Two worked examples (on topics unlike any code base's usual questions) teach the answer's shape: names as code
// spells them and the words programmers use, not the question's own words (which BM25 already has).
const EXAMPLES: [string, string][] = [
  [
    'Where are uploaded pictures shrunk before they are stored?',
    'resizeImage, thumbnail, sharp, scaleDown, maxWidth, ImageProcessor, saveUpload, jpeg, aspectRatio',
  ],
  [
    'How is a spreadsheet export split into columns when a cell itself contains a comma?',
    'parseCsv, csvParser, delimiter, quoteChar, escape, splitLine, readRow, tokenizeField, RFC4180',
  ],
];

export function expansionMessages(query: string): EngineMessage[] {
  return [
    {
      role: 'system',
      content:
        'You help search a code base. Given a question, answer with one comma-separated line of at most 10 names ' +
        'that the code answering it most likely contains: function, class, file and variable names spelled as in ' +
        'code (camelCase or snake_case), library names, and the technical words programmers use for it. Do not ' +
        "repeat the question's words. No explanations.",
    },
    ...EXAMPLES.flatMap(([q, a]): EngineMessage[] => [
      { role: 'user', content: q },
      { role: 'assistant', content: a },
    ]),
    { role: 'user', content: query },
  ];
}

/** The distinct terms of the model's answer that are not already in the query, at most EXPANSION_MAX_TERMS. */
export function parseExpansion(answer: string, query: string): string[] {
  const have = new Set(query.toLowerCase().match(TERM) ?? []);
  const out: string[] = [];
  for (const t of answer.split('\n')[0]?.match(TERM) ?? []) {
    const low = t.toLowerCase();
    if (t.length < 3 || NOISE.has(low) || have.has(low)) continue;
    have.add(low);
    out.push(t);
    if (out.length >= EXPANSION_MAX_TERMS) break;
  }
  return out;
}

export interface ModelExpanderOptions {
  /** The model to ask (loaded on first use); reject to search without expansion. */
  model: (signal?: AbortSignal) => Promise<ExpansionModel>;
  /** A slow answer is dropped: the search goes on unexpanded rather than making the user wait. */
  timeoutMs?: number;
  /** Runs the model call at the machine's interactive priority (the work scheduler). */
  interactive?: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
  log?: (level: 'warn', msg: string) => void;
}

/** A QueryExpander over the local model; any failure (no model, timeout, cancel) means no expansion, logged. */
export function modelQueryExpander(o: ModelExpanderOptions): QueryExpander {
  const timeoutMs = o.timeoutMs ?? 8000;
  return async (query, signal) => {
    if (!isProseQuery(query)) return [];
    const timeout = AbortSignal.timeout(timeoutMs);
    const s = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const run = async (): Promise<string[]> => {
      const model = await o.model(s);
      if (s.aborted) throw new EvolveError('CANCELLED', 'Query expansion cancelled');
      const answer = await model.complete(expansionMessages(query), { maxTokens: MAX_TOKENS, temperature: 0, signal: s });
      return parseExpansion(answer.text, query);
    };
    try {
      return await (o.interactive ? o.interactive('search: query expansion', run) : run());
    } catch (e) {
      if (signal?.aborted) throw e;
      o.log?.('warn', `query expansion skipped: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : toErrorInfo(e).message}`);
      return [];
    }
  };
}
