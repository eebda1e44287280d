// Real local server for tests: the real inference worker, a real model registry holding the Qwen2.5-Coder 0.5B (and
// the Gemma 270M base model, which has no FIM tokens), the app's catalog, LocalAiBackend and the HTTP server.
import { join } from 'node:path';
import type { GenerateResult } from '../../../common/inference/engine';
import type { RegistryEntry } from '../../../common/inference/models';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { loadCatalog } from '../../../main/services/models/catalog';
import { ModelManager } from '../../../main/services/models/model-manager';
import { ModelRegistry } from '../../../main/services/models/registry';
import type { ModelRepository } from '../../../main/services/models/repository';
import { LocalAiBackend } from '../../../main/services/openai-server/local-backend';
import { newServerToken, OpenAICompatibleServer } from '../../../main/services/openai-server/server';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { tempDir } from '../../support/temp-tree';
import { startInferenceWorker } from '../inference/worker-harness';

/** The real backend, recording what the engine returned for raw completions (tests check cancellation with it). */
export class RecordingBackend extends LocalAiBackend {
  readonly completions: GenerateResult[] = [];
  override async complete(...args: Parameters<LocalAiBackend['complete']>): Promise<GenerateResult> {
    const r = await super.complete(...args);
    this.completions.push(r);
    return r;
  }
}

class MemoryRepository implements ModelRepository {
  private entries: RegistryEntry[] = [];
  async list(): Promise<RegistryEntry[]> {
    return this.entries;
  }
  async saveAll(entries: readonly RegistryEntry[]): Promise<void> {
    this.entries = [...entries];
  }
}

export interface RealServer {
  server: OpenAICompatibleServer;
  client: LocalInferenceClient;
  backend: RecordingBackend;
  token: string;
  /** http://127.0.0.1:<port> (no /v1). */
  origin: string;
  /** Idle unload timeout the backend reads at each release; tests change it. */
  idle: { ms: number };
  registry: ModelRegistry;
  stop(): Promise<void>;
}

export async function startRealServer(modelPaths: string[]): Promise<RealServer> {
  // A fixed thread count skips the per-machine thread probe (seconds on a busy 2-core machine).
  const sup: WorkerSupervisor = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '2' });
  await sup.start();
  const client = new LocalInferenceClient(sup);
  const registry = await ModelRegistry.open(new MemoryRepository(), async (p) => (await client.inspect({ path: p })).metadata);
  for (const p of modelPaths) await registry.importFile(p, 'cache');
  const cache = tempDir('evolve-srv-cache-');
  const manager = new ModelManager({ registry, client, cacheDir: cache.dir });
  const catalog = await loadCatalog(join(__dirname, '../../../resources/models/catalog.json'));
  const idle = { ms: 0 };
  const backend = new RecordingBackend(
    { registry: async () => registry, catalog: async () => catalog, manager: async () => manager, client },
    { idleUnloadMs: () => idle.ms },
  );
  const token = newServerToken();
  const server = new OpenAICompatibleServer({ backend, token, port: 0, concurrency: 1, maxQueue: 8 });
  const { port } = await server.start();
  return {
    server,
    client,
    backend,
    token,
    origin: `http://127.0.0.1:${port}`,
    idle,
    registry,
    stop: async () => {
      try {
        await server.stop();
        await backend.dispose();
        await sup.stop();
      } finally {
        cache.cleanup();
      }
    },
  };
}

/** POST JSON with the token; returns status, headers and the parsed body (or the raw text for streams). */
export async function post(s: RealServer, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.origin}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** The `data:` payloads of an SSE body, parsed (the final [DONE] kept as a string). */
export function sseEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .map((b) => b.trim())
    .filter((b) => b.startsWith('data: '))
    .map((b) => b.slice(6))
    .map((d) => (d === '[DONE]' ? d : (JSON.parse(d) as unknown)));
}
