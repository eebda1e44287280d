// The projects feature as the app builds it: the index worker under its supervisor (started on first use), the
// shared embedding client when its model is installed, and the ProjectService over the encrypted store.
import { EvolveError } from '../../../common/errors';
import type { SpawnWorker } from '../../supervisors/worker-process';
import { WorkerSupervisor } from '../../supervisors/worker-supervisor';
import type { StoreService } from '../store/store-service';
import type { BusyProbe, EmbedderPort, StorePort } from './ports';
import { ProjectService } from './project-service';
import type { QueryExpander } from './query-expansion';

export interface AppProjectsOptions {
  store: StoreService;
  spawnIndex: SpawnWorker;
  /** The embedding client, or null while its model is not installed (then search is BM25 only, and says so). */
  embedder: () => EmbedderPort | null;
  busy?: BusyProbe;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  watch?: boolean;
  /** Query expansion for prose questions through the local coding model (absent: searched as typed). */
  expand?: QueryExpander;
  /** The native folder dialog (Electron); absent in the browser host and the CLI. */
  pickFolder?: () => Promise<string | null>;
}

export class AppProjects {
  readonly worker: WorkerSupervisor;
  readonly service: ProjectService;
  readonly pickFolder: (() => Promise<string | null>) | undefined;
  /** Watch indexed projects once the store opens (the CLI turns it off: a one-shot command needs no watchers). */
  autoWatch = true;

  constructor(o: AppProjectsOptions) {
    this.worker = new WorkerSupervisor({
      name: 'index',
      spawn: o.spawnIndex,
      maxRestarts: 3,
      readyTimeoutMs: 60_000,
      log: (l, m) => o.log(l === 'debug' ? 'info' : l, m),
    });
    const store: StorePort = {
      call: (method, params, ro) => {
        o.store.assertReady();
        return o.store.client.call(method, params, ro);
      },
    };
    const missing = () => new EvolveError('UNAVAILABLE', 'The embedding model is not installed (scripts/models/setup-embedding-model.sh)');
    const embedder: EmbedderPort = {
      embed: (texts, signal, opts) => o.embedder()?.embed(texts, signal, opts) ?? Promise.reject(missing()),
      info: () => o.embedder()?.info() ?? Promise.reject(missing()),
    };
    // The supervisor starts the worker on its first request (start() is idempotent).
    const worker = {
      request: async <T>(method: string, params: unknown, ro?: Parameters<WorkerSupervisor['request']>[2]) => {
        await this.worker.start();
        return this.worker.request<T>(method, params, ro);
      },
    };
    this.pickFolder = o.pickFolder;
    this.service = new ProjectService({
      store,
      worker,
      embedder,
      busy: o.busy,
      log: o.log,
      watch: o.watch,
      ...(o.expand ? { expand: o.expand } : {}),
    });
    // Once unlocked, projects indexed before are watched again, so edits made while the app was closed are not
    // picked up by the watcher (the next index run finds them through the catalog) but later ones are.
    o.store.onReady(() => {
      if (this.autoWatch) void this.watchIndexed(o.log);
    });
  }

  private async watchIndexed(log: AppProjectsOptions['log']): Promise<void> {
    try {
      for (const p of await this.service.list()) if (p.state.status !== 'never') await this.service.watch(p.id);
    } catch (e) {
      log('warn', `project watchers not started: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async dispose(): Promise<void> {
    await this.service.dispose();
    await this.worker.stop();
  }
}
