// Per-hunk review of a generation's diff: the decisions, the hunk cursor, the accepted selection sent to
// workspace.applyGeneration, and each hunk's two sides for the editor's diff view. Pure, so it is unit-tested.
import type { DiffHunk, FileDiff } from '../../../common/codegen/types';

export type HunkDecision = 'accepted' | 'rejected';
/** Keyed by hunkKey(path, id): hunk ids are only unique within one file. */
export type HunkDecisions = Readonly<Record<string, HunkDecision>>;

export interface HunkRef {
  path: string;
  hunk: DiffHunk;
  key: string;
}

export const hunkKey = (path: string, hunkId: string): string => `${path}\u0000${hunkId}`;

/** Every hunk of every file in diff order (the order j/k walks). */
export function flattenHunks(diffs: readonly FileDiff[]): HunkRef[] {
  return diffs.flatMap((d) => d.hunks.map((hunk) => ({ path: d.path, hunk, key: hunkKey(d.path, hunk.id) })));
}

/** The applyGeneration `accept` list: files with at least one accepted hunk, hunks in diff order. */
export function acceptedSelection(diffs: readonly FileDiff[], decisions: HunkDecisions): { path: string; hunkIds: string[] }[] {
  return diffs
    .map((d) => ({ path: d.path, hunkIds: d.hunks.filter((h) => decisions[hunkKey(d.path, h.id)] === 'accepted').map((h) => h.id) }))
    .filter((f) => f.hunkIds.length > 0);
}

export interface ReviewCounts {
  total: number;
  accepted: number;
  rejected: number;
  pending: number;
}

export function reviewCounts(diffs: readonly FileDiff[], decisions: HunkDecisions): ReviewCounts {
  const all = flattenHunks(diffs);
  const accepted = all.filter((h) => decisions[h.key] === 'accepted').length;
  const rejected = all.filter((h) => decisions[h.key] === 'rejected').length;
  return { total: all.length, accepted, rejected, pending: all.length - accepted - rejected };
}

/** Next/previous hunk index, clamped (no wrap: the last hunk stays put so a held key does not jump to the top). */
export function stepHunk(index: number, total: number, delta: 1 | -1): number {
  if (total <= 0) return 0;
  return Math.min(total - 1, Math.max(0, index + delta));
}

/** After deciding the current hunk, the cursor goes to the next undecided one (or stays when none is left). */
export function nextUndecided(all: readonly HunkRef[], decisions: HunkDecisions, from: number): number {
  for (let i = 1; i <= all.length; i += 1) {
    const j = (from + i) % all.length;
    const ref = all[j];
    if (ref && !decisions[ref.key]) return j;
  }
  return from;
}

/**
 * The hunk's old and new text (context lines on both sides). A '\ No newline at end of file' marker drops the line
 * break after the line before it, on the side that line belongs to.
 */
export function hunkSides(hunk: DiffHunk): { original: string; modified: string } {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  let oldNoEol = false;
  let newNoEol = false;
  let last: ' ' | '-' | '+' = ' ';
  for (const line of hunk.lines) {
    const tag = line[0];
    const text = line.slice(1);
    if (tag === '\\') {
      if (last !== '+') oldNoEol = true;
      if (last !== '-') newNoEol = true;
      continue;
    }
    if (tag === ' ' || tag === '-') oldLines.push(text);
    if (tag === ' ' || tag === '+') newLines.push(text);
    last = tag as ' ' | '-' | '+';
  }
  const join = (lines: string[], noEol: boolean) => (lines.length === 0 ? '' : lines.join('\n') + (noEol ? '' : '\n'));
  return { original: join(oldLines, oldNoEol), modified: join(newLines, newNoEol) };
}

/** "@@ -a,b +c,d @@" for the hunk's header line. */
export function hunkHeader(hunk: DiffHunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`;
}
