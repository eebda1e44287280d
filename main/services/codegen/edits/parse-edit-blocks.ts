// Parses Aider-style SEARCH/REPLACE blocks (path line, <<<<<<< SEARCH / ======= / >>>>>>> REPLACE) from an answer.
import { EvolveError } from '../../../../common/errors';

export interface EditBlock {
  path: string;
  /** Lines to find (LF endings, ends with '\n' unless empty). Empty means "create the file / append to it". */
  search: string;
  replace: string;
  /** 1-based line of the SEARCH marker in the answer, for messages. */
  line: number;
}

const HEAD = /^\s*<{5,9} ?SEARCH>?(?:[ \t]+(\S.*?))?\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const UPDATED = /^\s*>{5,9} ?REPLACE\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;

/** A path-looking word: no spaces, not a fence, not prose ("Here is the fix:"). Aider's strip_filename, stricter. */
export function stripFilename(raw: string): string | undefined {
  let f = raw.trim();
  if (!f || f === '...' || FENCE.test(f)) return undefined;
  f = f.replace(/:+$/, '').replace(/^#+/, '').trim();
  // The prompt's own file header ("## File `src/a.py`", maybe "… now, with your earlier edits applied"), which small
  // models copy above their answer.
  const header = /^(?:filename|file|path)(?:\s*:\s*|\s+)`([^`\s]+)`/i.exec(f);
  if (header) f = header[1]!;
  f = f
    .replace(/^`+|`+$/g, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/\\_/g, '_')
    .trim();
  f = f.replace(/^(?:file|path|filename)\s*:\s*/i, '');
  if (!f || /\s/.test(f) || /^[<=>]{5}/.test(f)) return undefined;
  // A path has a folder or an extension, or is one of the well-known bare names (Makefile, Dockerfile, LICENSE...).
  if (!/[./\\]/.test(f) && !/^(?:[A-Z][a-z]*file|LICENSE|README|NOTICE|CHANGELOG|CODEOWNERS)$/.test(f)) return undefined;
  return f.replace(/^\.\//, '');
}

/** A path given in the fence line itself: ```python src/app.py or ```py:src/app.py. */
function fenceFilename(line: string): string | undefined {
  const m = /^\s*(?:`{3,}|~{3,})[\w+#-]*(?:[: \t]+)(\S+)\s*$/.exec(line);
  return m ? stripFilename(m[1]!) : undefined;
}

/** Looks back up to 3 lines for the path, going past fence lines only (Aider's find_filename). */
function findFilename(lines: string[], head: number): string | undefined {
  for (let k = head - 1; k >= Math.max(0, head - 3); k--) {
    const line = lines[k]!;
    if (FENCE.test(line)) {
      const inFence = fenceFilename(line);
      if (inFence) return inFence;
      continue;
    }
    return stripFilename(line);
  }
  return undefined;
}

function malformed(lines: string[], at: number, what: string): EvolveError {
  const shown = lines.slice(Math.max(0, at - 4), at + 1).join('\n');
  return new EvolveError('INVALID_ARGUMENT', `Malformed SEARCH/REPLACE block at line ${at + 1}: ${what}\n${shown}\n^^^`, {
    line: at + 1,
  });
}

export interface ParseEditBlocksOptions {
  /**
   * The path for a first block that names none — set it when the request is about a single file (small models often
   * drop the path line); without it such a block is malformed, as in Aider.
   */
  defaultPath?: string;
}

/**
 * The SEARCH/REPLACE blocks of `answer`, in order. A block without a path takes the previous block's path (or
 * `defaultPath`); a malformed block (missing divider or REPLACE marker, no path at all) is an INVALID_ARGUMENT whose
 * message quotes the offending lines so it can go back to the model as is.
 */
export function parseEditBlocks(answer: string, opts: ParseEditBlocksOptions = {}): EditBlock[] {
  const lines = answer.replace(/\r\n|\r/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  let current: string | undefined = opts.defaultPath === undefined ? undefined : (stripFilename(opts.defaultPath) ?? opts.defaultPath);
  for (let i = 0; i < lines.length; i++) {
    const head = HEAD.exec(lines[i]!);
    if (!head) continue;
    const headLine = i;
    const path = (head[1] ? stripFilename(head[1]) : undefined) ?? findFilename(lines, i) ?? current;
    if (!path) throw malformed(lines, i, 'no file path: put the path alone on the line before the opening fence');
    current = path;
    const search: string[] = [];
    for (i++; i < lines.length && !DIVIDER.test(lines[i]!); i++) {
      if (HEAD.test(lines[i]!) || UPDATED.test(lines[i]!)) throw malformed(lines, i, 'expected ======= before this line');
      search.push(lines[i]!);
    }
    if (i >= lines.length) throw malformed(lines, lines.length - 1, 'expected =======');
    const replace: string[] = [];
    for (i++; i < lines.length && !UPDATED.test(lines[i]!); i++) {
      if (HEAD.test(lines[i]!)) throw malformed(lines, i, 'expected >>>>>>> REPLACE before this line');
      replace.push(lines[i]!);
    }
    if (i >= lines.length) throw malformed(lines, lines.length - 1, 'expected >>>>>>> REPLACE');
    const text = (ls: string[]): string => (ls.length ? ls.join('\n') + '\n' : '');
    blocks.push({ path, search: text(search), replace: text(replace), line: headLine + 1 });
  }
  const orphan = blocks.length === 0 ? lines.findIndex((l) => UPDATED.test(l)) : -1;
  if (orphan >= 0) throw malformed(lines, orphan, 'found >>>>>>> REPLACE without a <<<<<<< SEARCH line before it');
  return blocks;
}
