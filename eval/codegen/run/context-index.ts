// --context DIR: indexes DIR once as a project with the real stack the app uses (SQLCipher store worker, index worker,
// embedding worker, ProjectService; the same harness the index bench runs), so every problem's prompt can retrieve
// from it. Vectors are on when the embedding model is installed, else the index is BM25 only.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { IndexProgress, Retrieval } from '../../../common/contracts/projects';
import { EvolveError } from '../../../common/errors';
import { embeddingModelDir, embeddingModelInstalled } from '../../../main/services/embeddings/embedding-service';
import { MODEL_CACHE, makeHarness } from '../../../test/integration/projects/harness';
import type { ContextSetting } from './results';

export interface EvalContext {
  setting: ContextSetting;
  project: { id: string; root: string };
  /** ProjectService.retrieve: what EngineDeps.retrieve is bound to in the app. */
  retrieve(projectId: string, query: string, tokenBudget: number): Promise<Retrieval>;
  close(): Promise<void>;
}

/** Whether the index will have vectors: known before indexing, so a resume can be checked before minutes of work. */
export function contextVectors(): boolean {
  return embeddingModelInstalled(embeddingModelDir(MODEL_CACHE));
}

/** NOT_FOUND unless DIR is a folder: the index would otherwise report an empty project and every prompt lack context. */
export function assertContextDir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new EvolveError('NOT_FOUND', `--context: no folder at ${dir}`);
}

const PROGRESS_EVERY_MS = 5000;

/** Indexes `dir` (progress lines through `log`) and returns the project to retrieve from; close() stops the workers. */
export async function openEvalContext(dir: string, log: (line: string) => void): Promise<EvalContext> {
  assertContextDir(dir);
  const vectors = contextVectors();
  // No watcher: the eval reads one snapshot of the folder, so every problem sees the same index.
  const h = await makeHarness({ vectors, watch: false });
  try {
    const project = await h.service.add({ path: dir, name: path.basename(dir) || 'context' });
    let last = 0;
    const final = await h.service.index(project.id, (p: IndexProgress) => {
      const now = performance.now();
      if (now - last < PROGRESS_EVERY_MS) return;
      last = now;
      log(
        `  index ${p.phase}: ${p.filesDone + p.unchanged}/${p.filesTotal ?? p.filesSeen} files, ${p.chunks} chunks (${p.chunksEmbedded} embedded)`,
      );
    });
    if (final.phase !== 'done') throw new EvolveError('INTERNAL', `--context: indexing ${dir} ended ${final.phase}`);
    const files = final.filesDone + final.unchanged;
    log(
      `  indexed ${files} files, ${final.chunks} chunks (${final.chunksEmbedded} embedded) in ${(final.elapsedMs / 1000).toFixed(1)} s` +
        `${final.errors ? `, ${final.errors} errors` : ''}${final.vectorsOff ? `; vectors off: ${final.vectorsOff}` : ''}`,
    );
    return {
      setting: { dir, files, vectors: vectors && !final.vectorsOff },
      project: { id: project.id, root: project.rootPath },
      retrieve: (id, query, budget) => h.service.retrieve(id, query, budget),
      close: () => h.close(),
    };
  } catch (err) {
    await h.close();
    throw err;
  }
}
