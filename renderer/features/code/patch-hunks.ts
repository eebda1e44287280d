// A checkpoint's per-file patch text (git's unified diff) as DiffHunk[] for the editor's diff view.
import { parsePatch } from 'diff';
import type { DiffHunk } from '../../../common/codegen/types';

export function patchHunks(patch: string): DiffHunk[] {
  if (!patch.trim()) return [];
  return parsePatch(patch).flatMap((file) =>
    file.hunks.map((h, i) => ({
      id: `p${i}`,
      oldStart: h.oldStart,
      oldLines: h.oldLines,
      newStart: h.newStart,
      newLines: h.newLines,
      // Only the unified-diff line kinds the view knows (parsePatch keeps them as-is).
      lines: h.lines.filter((l) => /^[ +\-\\]/.test(l)),
    })),
  );
}
