// Diffs file texts into FileDiffs (jsdiff structuredPatch) with hunk ids that are stable for the same change.
import { structuredPatch } from 'diff';
import type { DiffHunk, FileDiff } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { sha256Hex, toModelText } from './text';

export const DIFF_CONTEXT_LINES = 3;

/** Same path, same place, same lines → same id, so a UI selection survives a re-diff of the same change. */
function hunkId(path: string, oldStart: number, lines: readonly string[]): string {
  return sha256Hex(`${path}\0${oldStart}\0${lines.join('\n')}`).slice(0, 16);
}

/**
 * The diff of one file. `before` undefined means the file is new (the diff has no oldHash). The diff is computed on
 * the text without BOM and with LF endings, so a file whose only difference is CRLF vs LF has no hunks; applyHunks
 * puts the original's endings and BOM back.
 */
export function diffFile(path: string, before: string | undefined, after: string): FileDiff {
  if (!path) throw new EvolveError('INVALID_ARGUMENT', 'A diff needs a file path');
  const patch = structuredPatch(path, path, toModelText(before ?? ''), toModelText(after), '', '', { context: DIFF_CONTEXT_LINES });
  const hunks: DiffHunk[] = patch.hunks.map((h) => ({
    id: hunkId(path, h.oldStart, h.lines),
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: [...h.lines],
  }));
  return before === undefined ? { path, hunks } : { path, oldHash: sha256Hex(before), hunks };
}

/**
 * Diffs of every file that differs between two file maps (a multi-file edit). Files only in `after` are new; files
 * missing from `after` are left alone (deletion is not an edit this engine makes).
 */
export function diffFiles(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): FileDiff[] {
  const out: FileDiff[] = [];
  for (const path of Object.keys(after).sort()) {
    const d = diffFile(path, before[path], after[path]!);
    if (d.hunks.length || before[path] === undefined) out.push(d);
  }
  return out;
}
