// Local models in the app: the inference worker under its supervisor, the model registry (the model cache
// plus LM Studio/Jan/Ollama folders, used in place), the catalog and the model manager. The worker is
// started in the background at launch so the status bar can show the real GPU backend.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendState } from '../../common/contracts/app';
import type { EngineInfo } from '../../common/inference/engine';
import { EvolveError, toErrorInfo } from '../../common/errors';
import { WorkerSupervisor } from '../supervisors/worker-supervisor';
import type { SpawnWorker } from '../supervisors/worker-process';
import { LocalInferenceClient } from './chat/inference-client';
import { defaultCatalogPath, loadCatalog } from './models/catalog';
import { defaultModelFolders, type ModelFolder } from './models/folders';
import { ModelManager } from './models/model-manager';
import { ModelRegistry } from './models/registry';
import type { ModelRepository } from './models/repository';
import { ModelFolderWatcher } from './models/watcher';

export interface LocalAiOptions {
  dataDir: string;
  modelCacheDir: string;
  resourcesDir: string;
  spawn: SpawnWorker;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  onCrash: (reason: string, restarting: boolean) => void;
  onReady: () => void;
  /** Where the registry lives (the encrypted store in the app); asked again after a failed open. */
  repository: () => ModelRepository;
  /** Folders of other apps to use in place; the defaults of LM Studio, Jan and Ollama when omitted. */
  extraFolders?: ModelFolder[];
}

export class LocalAi {
  readonly supervisor: WorkerSupervisor;
  readonly client: LocalInferenceClient;
  private registryPromise: Promise<ModelRegistry> | undefined;
  private watcher: ModelFolderWatcher | undefined;
  private engine: EngineInfo | undefined;
  private engineError: string | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: LocalAiOptions) {
    this.supervisor = new WorkerSupervisor({
      name: 'inference',
      spawn: o.spawn,
      maxRestarts: 3,
      readyTimeoutMs: 120_000,
      log: (l, m) => o.log(l === 'debug' ? 'info' : l, m),
    });
    this.supervisor.onCrash((c) => {
      this.engine = undefined;
      o.onCrash(c.reason, c.restarting);
    });
    this.supervisor.onReady(() => o.onReady());
    this.client = new LocalInferenceClient(this.supervisor);
  }

  /** Starts the worker in the background; failures become the backend state. The registry opens once the store does. */
  start(): void {
    void this.client.info().then(
      (info) => (this.engine = info),
      (e: unknown) => (this.engineError = toErrorInfo(e).message),
    );
  }

  /**
   * Starts the worker after `delayMs` unless a request has started it already (the supervisor starts it on the first
   * request). The worker's start (node-llama-cpp loads and tests its native binary in a subprocess) would otherwise
   * compete with the app's cold start and first page load for the CPU.
   */
  startAfter(delayMs: number): void {
    clearTimeout(this.startTimer);
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      this.start();
    }, delayMs);
    this.startTimer.unref();
  }

  registry(): Promise<ModelRegistry> {
    this.registryPromise ??= (async () => {
      const repo = this.o.repository();
      // Metadata is read by the worker, so main never loads the native library.
      const registry = await ModelRegistry.open(repo, async (p) => (await this.client.inspect({ path: p })).metadata);
      const watcher = new ModelFolderWatcher(registry, { pollIntervalMs: 30_000, debounceMs: 500 });
      await watcher.addFolder({ path: this.o.modelCacheDir, source: 'cache', layout: 'gguf-tree' });
      for (const f of this.o.extraFolders ?? defaultModelFolders()) await watcher.addFolder(f);
      await watcher.start();
      this.watcher = watcher;
      return registry;
    })();
    // A failed open (store still locked, a read error) is not remembered: the next call tries again.
    const opening = this.registryPromise;
    opening.catch(() => {
      if (this.registryPromise === opening) this.registryPromise = undefined;
    });
    return opening;
  }

  async manager(): Promise<ModelManager> {
    return new ModelManager({ registry: await this.registry(), client: this.client, cacheDir: this.o.modelCacheDir });
  }

  folders(): ModelFolder[] {
    return this.watcher?.listFolders() ?? [];
  }

  async addFolder(folder: string): Promise<ModelFolder[]> {
    const abs = path.resolve(folder);
    // Watching the whole disk or home would scan (and poll) everything: ask for the models folder itself.
    if (abs === path.parse(abs).root || abs === os.homedir()) {
      throw new EvolveError('INVALID_ARGUMENT', `${abs} is too broad to watch: choose the folder that holds the models`);
    }
    const st = await fs.stat(abs).catch(() => null);
    if (!st?.isDirectory()) throw new EvolveError('NOT_FOUND', `${abs} is not a folder`);
    await this.registry();
    await this.watcher?.addFolder({ path: abs, source: 'folder', layout: 'gguf-tree' });
    return this.folders();
  }

  async removeFolder(folder: string): Promise<ModelFolder[]> {
    await this.registry();
    await this.watcher?.removeFolder(path.resolve(folder));
    return this.folders();
  }

  catalog() {
    return loadCatalog(defaultCatalogPath(this.o.resourcesDir));
  }

  async engineInfo(): Promise<EngineInfo> {
    this.engine = await this.client.info();
    return this.engine;
  }

  backendState(): BackendState {
    if (this.engine) {
      const gpu = this.engine.gpuDevices.length ? ` (${this.engine.gpuDevices.join(', ')})` : '';
      return { state: 'ready', detail: `node-llama-cpp ${this.engine.nodeLlamaCppVersion}, ${this.engine.backend.toUpperCase()}${gpu}` };
    }
    if (this.supervisor.state === 'failed') return { state: 'unavailable', detail: 'The inference worker crashed repeatedly' };
    if (this.engineError) return { state: 'unavailable', detail: this.engineError };
    return { state: 'pending', detail: 'Starting the local inference engine…' };
  }

  async stop(): Promise<void> {
    clearTimeout(this.startTimer);
    this.startTimer = undefined;
    await this.watcher?.stop();
    await this.supervisor.stop();
  }
}
