// Applies a generation's accepted hunks to its project: input checked against the stored diff → the codegen gate
// (high-severity findings) → every path resolved inside the root and every file's hash checked → checkpoint →
// atomic writes → decision `accepted` + audit rows. Any refusal before the checkpoint leaves no trace on disk.
import { readFile } from 'node:fs/promises';
import type { FileDiff } from '../../../common/codegen/types';
import type { ApplyGenerationResult } from '../../../common/contracts/workspace';
import { EvolveError } from '../../../common/errors';
import type { CodegenStore } from '../codegen/codegen-store';
import { sha256Hex } from '../codegen/edits/text';
import { applyAcceptedHunks } from './apply-diffs';
import type { CheckpointStore } from './checkpoints';
import { resolveInsideRoot } from './resolve-inside-root';
import type { FileConflict } from './safe-write';

export interface ApplyGenerationInput {
  generationId: string;
  accept: { path: string; hunkIds: string[] }[];
  override?: { reason: string };
  reason?: string;
}

export interface ApplyGenerationDeps {
  codegen: CodegenStore;
  /** The project's root folder (from its stored row). */
  rootOf(projectId: string): Promise<string>;
  checkpointsOf(projectId: string): Promise<CheckpointStore>;
}

/** The diffs the user chose and the hunk ids accepted in them; INVALID_ARGUMENT for a path or hunk not in the diff. */
export function chooseHunks(diffs: readonly FileDiff[], accept: ApplyGenerationInput['accept']): { chosen: FileDiff[]; ids: Set<string> } {
  const byPath = new Map(diffs.map((d) => [d.path, d]));
  const ids = new Set<string>();
  const chosen = new Map<string, FileDiff>();
  for (const a of accept) {
    const d = byPath.get(a.path);
    if (!d) throw new EvolveError('INVALID_ARGUMENT', `${a.path} is not in this generation's diff`);
    const known = new Set(d.hunks.map((h) => h.id));
    const unknown = a.hunkIds.filter((id) => !known.has(id));
    if (unknown.length) throw new EvolveError('INVALID_ARGUMENT', `${a.path}: unknown hunk ids ${unknown.join(', ')}`);
    for (const id of a.hunkIds) ids.add(id);
    chosen.set(d.path, d);
  }
  return { chosen: [...chosen.values()], ids };
}

/** Every chosen path resolved inside the root (symlinks, `..` refused) and its bytes still the ones the diff was made on. */
async function precheck(root: string, chosen: readonly FileDiff[]): Promise<string[]> {
  const conflicts: FileConflict[] = [];
  const rels: string[] = [];
  for (const d of chosen) {
    const target = await resolveInsideRoot(root, d.path);
    rels.push(target.rel);
    const actual = target.exists ? sha256Hex(await readFile(target.abs)) : null;
    if (actual !== (d.oldHash ?? null)) conflicts.push({ path: target.rel, expectedHash: d.oldHash ?? null, actualHash: actual });
  }
  if (conflicts.length) {
    throw new EvolveError(
      'CONFLICT',
      `Changed on disk since the generation, nothing was written: ${conflicts.map((c) => c.path).join(', ')}`,
      { conflicts },
    );
  }
  return rels;
}

export async function applyGeneration(deps: ApplyGenerationDeps, input: ApplyGenerationInput): Promise<ApplyGenerationResult> {
  const g = await deps.codegen.get(input.generationId);
  if (!g.projectId) throw new EvolveError('INVALID_ARGUMENT', `Generation ${g.id} has no project; there is nothing to apply it to`);
  if (!g.diff || g.diff.length === 0) throw new EvolveError('INVALID_ARGUMENT', `Generation ${g.id} has no file changes to apply`);
  const { chosen, ids } = chooseHunks(g.diff, input.accept);
  // The gate reads the stored findings; an override is audited before anything is written.
  const gate = await deps.codegen.assertApplicable(g.id, input.override ? { override: input.override } : {});
  const root = await deps.rootOf(g.projectId);
  const rels = await precheck(root, chosen);
  const checkpoints = await deps.checkpointsOf(g.projectId);
  const cp = await checkpoints.checkpoint(`Before applying generation ${g.id}`, { include: rels });
  const { written } = await applyAcceptedHunks(root, chosen, ids);
  await deps.codegen.accept(g.id, input.reason ?? '');
  const changed = written.filter((w) => !w.unchanged).map((w) => w.path);
  if (changed.length) await checkpoints.recordApplied({ checkpointId: cp.id, paths: changed, generationId: g.id });
  const chosenPaths = new Set(chosen.map((d) => d.path));
  return {
    checkpointId: cp.id,
    written: written.map((w) => ({ path: w.path, hash: w.newHash })),
    skipped: g.diff.filter((d) => !chosenPaths.has(d.path)).map((d) => d.path),
    overridden: gate.overridden,
  };
}
