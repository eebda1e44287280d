// Applies only the accepted hunks of a FileDiff to the original text, keeping every untouched byte as it was.
import { FileDiffSchema, type FileDiff } from '../../../../common/codegen/types';
import { EvolveError } from '../../../../common/errors';
import { dominantEol, joinLines, sha256Hex, splitLines, type Eol, type SplitText } from './text';

const NO_NEWLINE = '\\';

/**
 * `original` with the hunks whose ids are in `acceptedIds` applied. Untouched lines keep their own endings (mixed
 * CRLF/LF stays mixed), the BOM stays, added lines take the file's dominant ending. `original` undefined means the
 * file is new. Throws CONFLICT when `original` is not the text the diff was made against (hash or lines differ),
 * INVALID_ARGUMENT for an unknown hunk id or a malformed diff.
 */
export function applyHunks(original: string | undefined, diff: FileDiff, acceptedIds: Iterable<string>): string {
  const d = FileDiffSchema.parse(diff);
  const accepted = new Set(acceptedIds);
  for (const id of accepted) {
    if (!d.hunks.some((h) => h.id === id)) throw new EvolveError('INVALID_ARGUMENT', `${d.path}: no hunk with id ${id}`);
  }
  if (d.oldHash !== undefined && (original === undefined || sha256Hex(original) !== d.oldHash)) {
    throw new EvolveError('CONFLICT', `${d.path} changed since the diff was made`, { path: d.path });
  }
  if (d.oldHash === undefined && original !== undefined && original !== '') {
    throw new EvolveError('CONFLICT', `${d.path} exists now but the diff creates it`, { path: d.path });
  }
  const src: SplitText = splitLines(original ?? '');
  const eol = dominantEol(src.eols);
  const out: SplitText = { bom: src.bom, lines: [], eols: [] };
  let next = 0; // index of the next original line not yet copied
  const hunks = [...d.hunks].sort((a, b) => a.oldStart - b.oldStart);
  for (const h of hunks) {
    const at = Math.max(0, h.oldStart - 1);
    if (at < next) throw new EvolveError('INVALID_ARGUMENT', `${d.path}: hunks overlap`);
    if (!accepted.has(h.id)) continue;
    for (; next < at; next++) push(out, src.lines[next]!, src.eols[next]!);
    let oldSeen = 0;
    let newSeen = 0;
    for (let li = 0; li < h.lines.length; li++) {
      const raw = h.lines[li]!;
      const kind = raw[0];
      const text = raw.slice(1);
      if (kind === NO_NEWLINE) {
        // Applies to the line before it; for a '-' line it only describes the original, which we copy as it is.
        if (out.lines.length && (h.lines[li - 1]?.[0] ?? ' ') !== '-') out.eols[out.eols.length - 1] = '';
        continue;
      }
      if (kind === ' ' || kind === '-') {
        if (src.lines[next] !== text) {
          throw new EvolveError('CONFLICT', `${d.path}: line ${next + 1} is not what the diff expects`, { path: d.path, line: next + 1 });
        }
        if (kind === ' ') push(out, src.lines[next]!, src.eols[next]!);
        next++;
        oldSeen++;
        if (kind === ' ') newSeen++;
      } else {
        push(out, text, eol);
        newSeen++;
      }
    }
    if (oldSeen !== h.oldLines || newSeen !== h.newLines)
      throw new EvolveError('INVALID_ARGUMENT', `${d.path}: hunk ${h.id} line counts do not match its header`);
  }
  for (; next < src.lines.length; next++) push(out, src.lines[next]!, src.eols[next]!);
  // A line that used to be last without an ending and is no longer last gets one.
  for (let i = 0; i < out.lines.length - 1; i++) if (out.eols[i] === '') out.eols[i] = eol;
  return joinLines(out);
}

function push(t: SplitText, line: string, e: Eol): void {
  t.lines.push(line);
  t.eols.push(e);
}
