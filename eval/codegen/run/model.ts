// The eval's model: a catalog id (looked up in the model cache) or a .gguf path, loaded once into the real inference
// worker and handed to the engine through its local-model port (localModel), as the app does but without the
// registry and the encrypted store (the eval stores no generation).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { EvolveError } from '../../../common/errors';
import type { LoadedModel } from '../../../common/inference/engine';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import type { LocalModelSources } from '../../../main/services/codegen/engine/models';
import { defaultCatalogPath, findCatalogEntry, loadCatalog } from '../../../main/services/models/catalog';
import { defaultModelCacheDir } from '../../../main/services/paths';
import { nodeSpawner } from '../../../main/supervisors/worker-process';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { modelLabel } from './options';

export interface EvalModel {
  /** Catalog id, or the .gguf file's base name: the model id the engine and the results file use. */
  label: string;
  path: string;
}

/** Context of the eval's model: what the app's E2E runs the default coding model with (catalog note: 8k). */
export const EVAL_CONTEXT_TOKENS = 8192;

/** NOT_FOUND names the file and how to install it; a bare id must be in the catalog. */
export async function resolveEvalModel(model: string | undefined, repoRoot: string): Promise<EvalModel> {
  const catalog = await loadCatalog(defaultCatalogPath(path.join(repoRoot, 'resources')));
  const wanted = model ?? catalog.defaultModelId;
  if (wanted.endsWith('.gguf') || wanted.includes('/')) {
    const file = path.resolve(wanted);
    if (!existsSync(file)) throw new EvolveError('NOT_FOUND', `no model file at ${file}`);
    return { label: modelLabel(file), path: file };
  }
  const entry = findCatalogEntry(catalog, wanted);
  const file = path.join(defaultModelCacheDir(), entry.id, entry.fileName);
  if (!existsSync(file)) {
    throw new EvolveError('NOT_FOUND', `${entry.id} is not installed at ${file}${entry.offlineSource ? ` (${entry.offlineSource})` : ''}`);
  }
  return { label: entry.id, path: file };
}

export interface EvalModelHost {
  sources: LocalModelSources;
  close(): Promise<void>;
}

/**
 * Chat sequences to load for `lanes` parallel model calls (the model tests and k candidates at once): the engine uses
 * all but one of them (parallelLanes), and the inference schema allows at most 16.
 */
export function sequencesFor(lanes: number): number {
  return Math.min(16, Math.max(1, lanes) + 1);
}

/**
 * Starts the inference worker (tsx runs its .ts entry, as the benches do) and loads the model on first use, once, with
 * a KV sequence per lane (each holds EVAL_CONTEXT_TOKENS: ~230 MB for the 1.5B at 8k). The completion sequences stay:
 * they are the spare a chat-session eviction needs (node-llama-cpp frees an evicted sequence asynchronously).
 */
export interface EvalModelOptions {
  lanes?: number;
  /** Input lookup, or a draft model (resolved like the eval's model); absent: plain decoding. */
  speculation?: { mode: 'lookup' } | { mode: 'draft'; draft: EvalModel };
}

export async function startEvalModel(m: EvalModel, repoRoot: string, opts: EvalModelOptions = {}): Promise<EvalModelHost> {
  const sup = new WorkerSupervisor({
    name: 'inference',
    spawn: nodeSpawner(path.join(repoRoot, 'native', 'inference', 'worker.ts'), { execArgv: ['--import', 'tsx'] }),
    readyTimeoutMs: 60_000,
  });
  const client = new LocalInferenceClient(sup);
  await sup.start();
  let loading: Promise<LoadedModel> | undefined;
  const load = (signal?: AbortSignal): Promise<LoadedModel> => {
    loading ??= client.load(
      {
        path: m.path,
        modelId: m.label,
        contextSize: EVAL_CONTEXT_TOKENS,
        sequences: sequencesFor(opts.lanes ?? 1),
        speculative: opts.speculation?.mode === 'lookup',
        ...(opts.speculation?.mode === 'draft'
          ? { draftPath: opts.speculation.draft.path, draftModelId: opts.speculation.draft.label }
          : {}),
      },
      signal,
    );
    // A failed load is retried by the next problem rather than remembered.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  const sources: LocalModelSources = {
    manager: () =>
      Promise.resolve({
        load: (id: string, opts?: { signal?: AbortSignal }) => {
          if (id !== m.label) return Promise.reject(new EvolveError('NOT_FOUND', `the eval runs ${m.label}, not ${id}`));
          return load(opts?.signal);
        },
      }),
    client,
    defaultModel: { ensureLoaded: async (signal) => (await load(signal)).modelId },
  };
  return { sources, close: () => sup.stop() };
}
