// Applies file edits inside a project root: every check first (paths, conflicts by hash), then atomic writes.
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Sha256Schema } from '../../../common/codegen/types';
import { EvolveError } from '../../../common/errors';
import { sha256Hex } from '../codegen/edits/text';
import { resolveInsideRoot, type ResolvedPath } from './resolve-inside-root';
import { writeFileAtomic } from './write-atomic';

export { resolveInsideRoot, relativeSegments, realRoot, type ResolvedPath } from './resolve-inside-root';
export { writeFileAtomic, type WriteAtomicOptions } from './write-atomic';

/** Files bigger than this are not edited by the assistant (the editor also refuses them). */
export const MAX_EDIT_FILE_BYTES = 20 * 1024 * 1024;

export const FileEditSchema = z.object({
  path: z.string().min(1),
  /** SHA-256 of the bytes the diff was made against; null: the file must not exist (a new file). */
  expectedHash: Sha256Schema.nullable(),
  newBytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'newBytes must be bytes (a Uint8Array)'),
});
export type FileEdit = z.infer<typeof FileEditSchema>;

export interface FileConflict {
  path: string;
  expectedHash: string | null;
  /** null: the file is gone. */
  actualHash: string | null;
}

export interface WrittenFile {
  path: string;
  oldHash: string | null;
  newHash: string;
  /** The new bytes equal the old ones: nothing was written (mtime untouched). */
  unchanged: boolean;
}

interface Planned {
  edit: FileEdit;
  target: ResolvedPath;
  oldBytes: Uint8Array | null;
}

async function currentBytes(target: ResolvedPath): Promise<Uint8Array | null> {
  if (!target.exists) return null;
  const bytes = await readFile(target.abs);
  if (bytes.byteLength > MAX_EDIT_FILE_BYTES)
    throw new EvolveError('RESOURCE_EXHAUSTED', `${target.rel} is larger than ${MAX_EDIT_FILE_BYTES} bytes`);
  return bytes;
}

const hashOf = (b: Uint8Array | null): string | null => (b === null ? null : sha256Hex(b));

function conflictError(conflicts: FileConflict[]): EvolveError {
  const names = conflicts.map((c) => c.path).join(', ');
  return new EvolveError('CONFLICT', `Changed on disk since the diff was made, nothing was written: ${names}`, { conflicts });
}

/**
 * Writes `edits` under `root`. First, for every edit: the path is resolved inside the root (refusals are typed
 * errors) and the file's bytes on disk are hashed; any file whose hash is not `expectedHash` (edited, deleted or
 * created since the diff) is a CONFLICT listing all of them, and nothing is written. Then each file is replaced
 * atomically, after re-checking its path and hash right before the write; if a later write fails, the files already
 * written are put back (old bytes and mode) or removed when they were new, and the error is thrown.
 * Bytes of a file not in `edits` are never touched; a file in `edits` gets exactly `newBytes`.
 */
export async function applyFileEdits(root: string, edits: readonly FileEdit[]): Promise<{ written: WrittenFile[] }> {
  const parsed = z.array(FileEditSchema).safeParse(edits);
  if (!parsed.success) throw new EvolveError('INVALID_ARGUMENT', `Bad file edits: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const plan: Planned[] = [];
  const seen = new Set<string>();
  for (const edit of parsed.data) {
    const target = await resolveInsideRoot(root, edit.path);
    if (seen.has(target.rel)) throw new EvolveError('INVALID_ARGUMENT', `${target.rel} is edited twice in one apply`);
    seen.add(target.rel);
    plan.push({ edit, target, oldBytes: await currentBytes(target) });
  }
  const conflicts = plan
    .filter((p) => hashOf(p.oldBytes) !== p.edit.expectedHash)
    .map((p) => ({ path: p.target.rel, expectedHash: p.edit.expectedHash, actualHash: hashOf(p.oldBytes) }));
  if (conflicts.length) throw conflictError(conflicts);

  const done: Planned[] = [];
  const written: WrittenFile[] = [];
  try {
    for (const p of plan) {
      const newHash = sha256Hex(p.edit.newBytes);
      const oldHash = hashOf(p.oldBytes);
      if (oldHash === newHash) {
        written.push({ path: p.target.rel, oldHash, newHash, unchanged: true });
        continue;
      }
      if (!p.target.exists) await mkdir(dirname(p.target.abs), { recursive: true });
      // Re-check right before the write: a parent swapped for a symlink or a file edited meanwhile stops here.
      const again = await resolveInsideRoot(root, p.edit.path);
      if (again.abs !== p.target.abs) throw new EvolveError('CONFLICT', `${p.target.rel} moved while applying`);
      const nowHash = hashOf(await currentBytes(again));
      if (nowHash !== p.edit.expectedHash)
        throw conflictError([{ path: p.target.rel, expectedHash: p.edit.expectedHash, actualHash: nowHash }]);
      await writeFileAtomic(again.abs, p.edit.newBytes);
      done.push(p);
      written.push({ path: p.target.rel, oldHash, newHash, unchanged: false });
    }
  } catch (e) {
    await rollBack(done);
    throw e;
  }
  return { written };
}

/** Puts back what an interrupted apply already wrote: old bytes (mode kept by writeFileAtomic) or no file. */
async function rollBack(done: readonly Planned[]): Promise<void> {
  for (const p of [...done].reverse()) {
    try {
      if (p.oldBytes === null) await unlink(p.target.abs);
      else await writeFileAtomic(p.target.abs, p.oldBytes);
    } catch {
      // Best effort; the checkpoint taken before the apply restores the rest.
    }
  }
}
