// Applies SEARCH/REPLACE blocks to in-memory files (pure): exact → whitespace-flexible → a "did you mean" failure.
import type { EditBlock } from './parse-edit-blocks';
import { closestLines, locate, replaceWithDots } from './match';
import { fromModelText, toModelText } from './text';

/** Path → file text (as read from disk: BOM and line endings are kept in the result). */
export type FileMap = Readonly<Record<string, string>>;

export interface AppliedBlock {
  index: number;
  path: string;
  /** elided: SEARCH/REPLACE skipped unchanged code with `...` lines (each piece matched exactly once). */
  how: 'exact' | 'whitespace' | 'elided' | 'created' | 'appended';
}

export interface FailedBlock {
  index: number;
  path: string;
  reason: 'no-match' | 'ambiguous' | 'missing-file';
  /** The closest lines of the file, when something is close enough to be worth showing the model. */
  didYouMean?: string;
  /** The REPLACE text is already in the file (the block was applied before, or is not needed). */
  alreadyApplied?: boolean;
  /** Matching lines (1-based) when the SEARCH text is ambiguous. */
  matchLines?: number[];
}

export interface EditBlocksResult {
  /** New text of every file a block changed or created (other files are not listed). */
  files: Record<string, string>;
  applied: AppliedBlock[];
  failed: FailedBlock[];
  /** A message for the model when any block failed (undefined when all applied). */
  feedback?: string;
}

const linesOf = (t: string): string[] => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
const textOf = (ls: readonly string[], endsWithNewline: boolean): string =>
  ls.length === 0 ? '' : ls.join('\n') + (endsWithNewline ? '\n' : '');

/** The key of `files` a block's path names: exact, else './'-less, else the one file whose path ends with it. */
export function resolveBlockPath(files: FileMap, path: string): string | undefined {
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (p in files) return p;
  const hits = Object.keys(files).filter((k) => k.endsWith(`/${p}`));
  return hits.length === 1 ? hits[0] : undefined;
}

function feedbackFor(blocks: readonly EditBlock[], failed: readonly FailedBlock[], appliedCount: number): string {
  const n = failed.length;
  let msg = `# ${n} SEARCH/REPLACE block${n === 1 ? '' : 's'} failed to match!\n`;
  for (const f of failed) {
    const b = blocks[f.index]!;
    const why =
      f.reason === 'missing-file'
        ? `The file ${f.path} does not exist; to create it, use an empty SEARCH section.`
        : f.reason === 'ambiguous'
          ? `This SEARCH block matches ${f.matchLines?.length ?? 'several'} places in ${f.path} (lines ${f.matchLines?.join(', ')}); add more lines around the change so it matches exactly one.`
          : `This SEARCH block failed to exactly match lines in ${f.path}.`;
    msg += `\n## ${why}\n<<<<<<< SEARCH\n${b.search}=======\n${b.replace}>>>>>>> REPLACE\n`;
    if (f.didYouMean) msg += `\nDid you mean to match some of these actual lines from ${f.path}?\n\n\`\`\`\n${f.didYouMean}\n\`\`\`\n`;
    if (f.alreadyApplied) {
      msg += `\nAre you sure you need this SEARCH/REPLACE block? The REPLACE lines are already in ${f.path}! If you meant to change them, they belong in SEARCH and the new lines in REPLACE.\n`;
    }
  }
  msg +=
    '\nThe SEARCH section must exactly match an existing block of lines including all white space, comments, indentation, docstrings, etc.\n';
  if (appliedCount) {
    msg += `\n# The other ${appliedCount} SEARCH/REPLACE block${appliedCount === 1 ? ' was' : 's were'} applied successfully. Don't re-send them. Just reply with fixed versions of the block${n === 1 ? '' : 's'} above that failed to match.\n`;
  }
  return msg;
}

/**
 * Applies `blocks` in order to `files` (later blocks see earlier results). Matching runs on the model's view of a
 * file (no BOM, LF); the result keeps the file's BOM and dominant line ending. A block whose SEARCH is empty creates
 * the file (or appends to it); one that matches more than once is refused as ambiguous rather than guessed.
 */
export function applyEditBlocks(files: FileMap, blocks: readonly EditBlock[]): EditBlocksResult {
  const work = new Map<string, { original: string | undefined; text: string }>();
  const applied: AppliedBlock[] = [];
  const failed: FailedBlock[] = [];
  blocks.forEach((b, index) => {
    const key = resolveBlockPath(files, b.path) ?? (work.has(b.path) ? b.path : undefined);
    const path = key ?? b.path.replace(/\\/g, '/').replace(/^\.\//, '');
    const entry =
      work.get(path) ?? (key !== undefined && key in files ? { original: files[key]!, text: toModelText(files[key]!) } : undefined);
    if (!b.search.trim()) {
      const base = entry?.text ?? '';
      const sep = base && !base.endsWith('\n') ? '\n' : '';
      work.set(path, { original: entry?.original, text: base + sep + b.replace });
      applied.push({ index, path, how: entry ? 'appended' : 'created' });
      return;
    }
    if (!entry) {
      failed.push({ index, path, reason: 'missing-file' });
      return;
    }
    const whole = linesOf(entry.text);
    const endsWithNewline = entry.text === '' || entry.text.endsWith('\n');
    let part = linesOf(b.search);
    const replace = linesOf(b.replace);
    let m = locate(whole, part, replace);
    // Models sometimes start SEARCH with a spurious blank line (Aider issue #25).
    if (m.kind === 'none' && part.length > 2 && !part[0]!.trim()) {
      part = part.slice(1);
      m = locate(whole, part, replace);
    }
    if (m.kind === 'match') {
      const next = [...whole.slice(0, m.start), ...m.replace, ...whole.slice(m.end)];
      work.set(path, { original: entry.original, text: textOf(next, endsWithNewline) });
      applied.push({ index, path, how: m.how });
      return;
    }
    if (m.kind === 'none') {
      const dotted = replaceWithDots(entry.text, b.search, b.replace);
      if (dotted !== undefined) {
        work.set(path, { original: entry.original, text: dotted });
        applied.push({ index, path, how: 'elided' });
        return;
      }
    }
    const alreadyApplied = b.replace.trim() !== '' && entry.text.includes(b.replace);
    if (m.kind === 'ambiguous') {
      failed.push({
        index,
        path,
        reason: 'ambiguous',
        matchLines: m.starts.map((s) => s + 1),
        ...(alreadyApplied ? { alreadyApplied } : {}),
      });
      return;
    }
    const didYouMean = closestLines(whole, part);
    failed.push({ index, path, reason: 'no-match', ...(didYouMean ? { didYouMean } : {}), ...(alreadyApplied ? { alreadyApplied } : {}) });
  });
  const out: Record<string, string> = {};
  for (const [path, { original, text }] of work) out[path] = original === undefined ? text : fromModelText(text, original);
  return { files: out, applied, failed, ...(failed.length ? { feedback: feedbackFor(blocks, failed, applied.length) } : {}) };
}
