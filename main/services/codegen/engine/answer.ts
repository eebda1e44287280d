// Turns one model answer into the candidate's files: code requests go through extractCode + keepSignature into the
// entry file; edit requests apply SEARCH/REPLACE blocks or whole files to the working copy. Anything unusable becomes
// an error with feedback for the model (a repair round), never a silently wrong file.
import type { CodeFile, Language } from '../../../../common/codegen/types';
import { isEvolveError } from '../../../../common/errors';
import type { GenerationType } from '../../../../common/store/codegen-requests';
import {
  addMissingExports,
  addMissingTestImports,
  applyEditBlocks,
  applyWholeFiles,
  extractCode,
  keepSignature,
  parseEditBlocks,
  parseWholeFiles,
  type WholeFile,
} from '../edits';
import type { TestEntry } from './types';

/** Requests whose answer is prose (a review, an explanation): no code is extracted, checked or tested. */
export const PROSE_TYPES: ReadonlySet<GenerationType> = new Set(['review', 'find-bugs', 'explain']);

export interface AnswerContext {
  type: GenerationType;
  language: Language;
  /** The user's request (a signature + docstring is kept exactly). */
  prompt: string;
  entry: TestEntry;
  /** Edits: the files as they stand before this round (already holds the blocks earlier rounds applied). */
  working: Record<string, string>;
  editFormat?: 'search-replace' | 'whole-file';
}

export type AnswerFiles =
  | {
      ok: true;
      /** The main code shown to the user (the entry file, or the first changed file of an edit). */
      code: string;
      /** Files the answer produced or changed, by path. */
      changed: Record<string, string>;
    }
  | {
      ok: false;
      error: string;
      feedback: string;
      /** Edits: blocks that did apply are kept, so the model resends only the failed ones. */
      changed?: Record<string, string>;
    };

const fence = (lang: Language) => (lang === 'cpp' ? 'cpp' : lang);

function codeAnswer(answer: string, ctx: AnswerContext): AnswerFiles {
  let code: string;
  try {
    code = extractCode(answer, ctx.language).code;
  } catch (e) {
    if (!isEvolveError(e) || e.code !== 'INVALID_ARGUMENT') throw e;
    return {
      ok: false,
      error: `The answer has no ${ctx.language} code: ${e.message}`,
      feedback: `Your answer contained no ${ctx.language} code. Reply with the complete code in one \`\`\`${fence(ctx.language)} block and nothing else.`,
    };
  }
  // A test request's answer is a test file: a signature in its prompt (the code under test, pasted or shown) belongs to
  // the code it imports, never to the answer, which must not redefine it. The runner's imports it lacks are added.
  if (ctx.type === 'test') {
    const tests = addMissingTestImports(code, ctx.language).code;
    return { ok: true, code: tests, changed: { [ctx.entry.file]: tests } };
  }
  const sig = keepSignature(ctx.prompt, code, ctx.language);
  if (sig.status === 'missing' || sig.status === 'mismatch') {
    const what = sig.status === 'missing' ? `does not define \`${sig.name}\`` : `changed the parameters of \`${sig.name}\``;
    return {
      ok: false,
      error: `The code ${what}; the request's signature must be kept`,
      feedback: `Your code ${what}. Keep exactly this signature and implement it:\n\n${sig.expected ?? ''}`,
    };
  }
  // The tests import the entry's names; one the model declared but did not export would fail them all unseen.
  const { code: exported } = addMissingExports(sig.code, ctx.entry.exports, ctx.language);
  return { ok: true, code: exported, changed: { [ctx.entry.file]: exported } };
}

function editAnswer(answer: string, ctx: AnswerContext): AnswerFiles {
  const paths = Object.keys(ctx.working);
  // A model may answer in the other format than asked: SEARCH/REPLACE markers are never taken as a file's text.
  const hasBlocks = /^\s*<{5,9} SEARCH\b/m.test(answer);
  if (ctx.editFormat === 'whole-file' && !hasBlocks) {
    let wholes: WholeFile[] = parseWholeFiles(answer).filter((w) => !w.path.includes('..') && !w.path.startsWith('/'));
    // A small model often drops the path line when there is one file to change.
    if (wholes.length === 0 && paths.length === 1) {
      try {
        wholes = [{ path: paths[0]!, content: `${extractCode(answer, ctx.language).code.replace(/\n*$/, '')}\n` }];
      } catch {
        wholes = [];
      }
    }
    if (wholes.length === 0) {
      return {
        ok: false,
        error: 'The answer has no file to apply',
        feedback:
          'Your answer contained no file. Reply with the complete new text of each file you change: its path on one line, then the whole file in a fenced block.',
      };
    }
    const r = applyWholeFiles(ctx.working, wholes);
    if (r.feedback)
      return { ok: false, error: `Whole-file answer refused: ${r.failed.map((f) => f.path).join(', ')}`, feedback: r.feedback };
    return { ok: true, code: Object.values(r.files)[0] ?? '', changed: r.files };
  }
  const blocks = parseEditBlocks(answer, paths.length === 1 ? { defaultPath: paths[0]! } : {});
  if (blocks.length === 0) {
    return {
      ok: false,
      error: 'The answer has no SEARCH/REPLACE blocks',
      feedback:
        'Your answer contained no SEARCH/REPLACE blocks. For each change reply with the file path on one line, then a fenced block with <<<<<<< SEARCH, the exact existing lines, =======, the new lines, >>>>>>> REPLACE.',
    };
  }
  const r = applyEditBlocks(ctx.working, blocks);
  if (r.failed.length > 0) {
    return {
      ok: false,
      error: `${r.failed.length} of ${blocks.length} SEARCH/REPLACE block(s) did not match (${r.failed.map((f) => `${f.path}: ${f.reason}`).join('; ')})`,
      feedback: r.feedback ?? 'Some SEARCH/REPLACE blocks did not match.',
      changed: r.files,
    };
  }
  return { ok: true, code: Object.values(r.files)[0] ?? '', changed: r.files };
}

/** The candidate files of one answer (see the file header). */
export function filesFromAnswer(answer: string, ctx: AnswerContext): AnswerFiles {
  if (PROSE_TYPES.has(ctx.type)) {
    if (!answer.trim())
      return { ok: false, error: 'The model answered with nothing', feedback: 'Your answer was empty. Answer the request.' };
    return { ok: true, code: answer.trim(), changed: {} };
  }
  return ctx.type === 'edit' ? editAnswer(answer, ctx) : codeAnswer(answer, ctx);
}

/** Merges changed files over the base files (support files or the project's targets), as one list. */
export function mergeFiles(base: readonly CodeFile[], changed: Record<string, string>): CodeFile[] {
  const out = base.filter((f) => !(f.path in changed)).map((f) => ({ ...f }));
  for (const [p, content] of Object.entries(changed)) out.push({ path: p, content });
  return out;
}
