// "Apply to file…" for a code block of a chat answer: the block becomes the target file's new text, stored as a
// codegen generation (kind 'edit') with a diff against the file's current bytes, so applying it goes through
// workspace.applyGeneration like any generation (gate, checkpoint, audit). Nothing here writes a project file.
import type { FileDiff, Language } from '../../../common/codegen/types';
import { EvolveError, isEvolveError } from '../../../common/errors';
import { languageForPath } from '../../../native/index/languages';
import type { CodegenStore } from '../codegen/codegen-store';
import { diffFiles } from '../codegen/edits/diff-files';
import { languageOfTag } from '../codegen/edits/languages';
import { sha256Hex } from '../codegen/edits/text';
import type { WorkspaceService } from '../workspace/workspace-service';
import { resolveInsideRoot } from '../workspace/resolve-inside-root';

export interface ApplyToFileInput {
  projectId: string;
  path: string;
  code: string;
  /** The fence's language tag. */
  lang?: string;
  /** What the generation row records as its request (searchable experience). */
  request: string;
  model: string;
}

export type ApplyToFileDeps = Pick<WorkspaceService, 'readFile' | 'rootOf'> & { codegen: Pick<CodegenStore, 'create' | 'finish'> };

/** Codegen rows need one of its languages; the diff itself is language-agnostic, so a plain-text target borrows one. */
function languageOf(rel: string, tag?: string): Language {
  const byPath = languageForPath(rel);
  if (byPath === 'tsx') return 'typescript';
  if (byPath === 'c') return 'cpp';
  if (byPath) return byPath;
  return (tag ? languageOfTag(tag) : undefined) ?? 'typescript';
}

/**
 * The generation for one code block and one target. FORBIDDEN for a path outside the root (symlinks, `..`, .git),
 * INVALID_ARGUMENT for a binary target or a block identical to the file; a missing file inside the root is created.
 */
export async function proposeApplyToFile(
  deps: ApplyToFileDeps,
  input: ApplyToFileInput,
): Promise<{ generationId: string; diff: FileDiff[] }> {
  const root = await deps.rootOf(input.projectId);
  const target = await resolveInsideRoot(root, input.path);
  let before: string | undefined;
  if (target.exists) {
    const f = await deps.readFile(input.projectId, target.rel).catch((e: unknown) => {
      if (isEvolveError(e)) throw new EvolveError(e.code, `Cannot apply to ${target.rel}: ${e.message}`, e.details);
      throw e;
    });
    // The diff's oldHash must be the hash of the bytes on disk: the BOM the reader stripped is put back.
    before = f.bom ? `\uFEFF${f.content}` : f.content;
    if (sha256Hex(before) !== f.hash) throw new EvolveError('CONFLICT', `${target.rel} changed while it was being read; try again`);
  }
  const after = input.code.endsWith('\n') ? input.code : `${input.code}\n`;
  const diff = diffFiles(before === undefined ? {} : { [target.rel]: before }, { [target.rel]: after });
  if (diff.length === 0)
    throw new EvolveError('INVALID_ARGUMENT', `${target.rel} already has exactly this content; there is nothing to apply`);
  const g = await deps.codegen.create({
    projectId: input.projectId,
    request: input.request.slice(0, 4000) || `Apply a chat code block to ${target.rel}`,
    type: 'edit',
    lang: languageOf(target.rel, input.lang),
    model: input.model,
  });
  await deps.codegen.finish({ generationId: g.id, status: 'done', code: after, diff });
  return { generationId: g.id, diff };
}
