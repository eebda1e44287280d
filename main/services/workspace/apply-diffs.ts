// Applies the accepted hunks of FileDiffs to a project on disk through the safe-write path (one call for the UI).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FileDiffSchema, type FileDiff } from '../../../common/codegen/types';
import { EvolveError } from '../../../common/errors';
import { applyHunks } from '../codegen/edits/apply-hunks';
import { decodeUtf8, sha256Hex } from '../codegen/edits/text';
import { applyFileEdits, MAX_EDIT_FILE_BYTES, resolveInsideRoot, type FileConflict, type FileEdit, type WrittenFile } from './safe-write';

/**
 * Reads each diffed file, applies only its accepted hunks (untouched bytes, endings, BOM kept) and writes the results
 * with applyFileEdits. Files with no accepted hunk are not touched. A file whose bytes are not the ones its diff was
 * made against is a CONFLICT (all such files listed, nothing written); a binary or non-UTF-8 file is INVALID_ARGUMENT.
 */
export async function applyAcceptedHunks(
  root: string,
  diffs: readonly FileDiff[],
  acceptedIds: Iterable<string>,
): Promise<{ written: WrittenFile[] }> {
  const parsed = z.array(FileDiffSchema).safeParse(diffs);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Bad diffs: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const accepted = new Set(acceptedIds);
  const known = new Set(parsed.data.flatMap((d) => d.hunks.map((h) => h.id)));
  const unknown = [...accepted].filter((id) => !known.has(id));
  if (unknown.length) throw new EvolveError('INVALID_ARGUMENT', `Unknown hunk ids: ${unknown.join(', ')}`);

  const chosen = parsed.data.filter((d) => d.hunks.some((h) => accepted.has(h.id)));
  const current: { diff: FileDiff; bytes: Uint8Array | null }[] = [];
  const conflicts: FileConflict[] = [];
  for (const diff of chosen) {
    const target = await resolveInsideRoot(root, diff.path);
    const bytes = target.exists ? await readFile(target.abs) : null;
    if (bytes && bytes.byteLength > MAX_EDIT_FILE_BYTES)
      throw new EvolveError('RESOURCE_EXHAUSTED', `${diff.path} is larger than ${MAX_EDIT_FILE_BYTES} bytes`);
    const actual = bytes === null ? null : sha256Hex(bytes);
    if (actual !== (diff.oldHash ?? null)) conflicts.push({ path: target.rel, expectedHash: diff.oldHash ?? null, actualHash: actual });
    current.push({ diff, bytes });
  }
  if (conflicts.length) {
    throw new EvolveError(
      'CONFLICT',
      `Changed on disk since the diff was made, nothing was written: ${conflicts.map((c) => c.path).join(', ')}`,
      { conflicts },
    );
  }
  const edits: FileEdit[] = current.map(({ diff, bytes }) => {
    const original = bytes === null ? undefined : decodeUtf8(bytes, diff.path);
    const ids = diff.hunks.filter((h) => accepted.has(h.id)).map((h) => h.id);
    const text = applyHunks(original, diff, ids);
    return { path: diff.path, expectedHash: diff.oldHash ?? null, newBytes: new TextEncoder().encode(text) };
  });
  return applyFileEdits(root, edits);
}
