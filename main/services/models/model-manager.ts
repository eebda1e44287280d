// The model manager backend: ties the registry (what is on disk), the catalog + downloader (getting models) and the
// inference worker (inspect, load with automatic or manual GPU layers/context, unload) together for main's IPC layer.
import { join } from 'node:path';
import { EvolveError } from '../../../common/errors';
import type { LoadedModel } from '../../../common/inference/engine';
import type { CatalogEntry, DownloadProgress, FitEstimate, RegistryEntry } from '../../../common/inference/models';
import { readCaFile, type EgressGuard } from '../../platform/egress';
import type { LocalInferenceClient } from '../chat/inference-client';
import { downloadModel } from './downloader';
import type { ModelRegistry } from './registry';
import { measureSpeculation, speculationLoadOptions, type ProbeOptions } from './speculation';

export interface ModelManagerOptions {
  registry: ModelRegistry;
  client: LocalInferenceClient;
  /** `${EVOLVE_MODEL_CACHE:-~/.cache/evolve-studio/models}`: where downloads go. */
  cacheDir: string;
  /** The outbound guard for downloads (default: the process's). */
  guard?: EgressGuard;
}

export interface DownloadRequestOptions {
  /**
   * The user's download CA file (Settings → Models → Downloads), trusted besides the system roots. Read here, at each
   * download, so a replaced file counts at once; an unreadable one is INVALID_ARGUMENT before any byte is fetched.
   */
  caFile?: string | null;
}

export class ModelManager {
  private readonly downloads = new Map<string, AbortController>();
  private readonly probing = new Set<string>();

  constructor(private readonly opts: ModelManagerOptions) {}

  list(): RegistryEntry[] {
    return this.opts.registry.list();
  }

  /** How a registered model would fit here, with its saved overrides (or explicit ones) applied. */
  async estimate(id: string, override?: RegistryEntry['overrides']): Promise<FitEstimate> {
    const e = this.usable(id);
    const o = { ...e.overrides, ...override };
    return (await this.opts.client.inspect({ path: e.path, gpuLayers: o.gpuLayers ?? 'auto', contextSize: o.contextSize ?? 'auto' })).fit;
  }

  /**
   * Loads (or keeps warm) a registered model under its registry id, with its saved overrides and its speculative
   * decoding mode (speculation.ts: the explicit choice, else what the probe measured fastest here, else none).
   */
  async load(id: string, opts: { signal?: AbortSignal } = {}): Promise<LoadedModel> {
    const e = this.usable(id);
    const { registry } = this.opts;
    return this.opts.client.load(
      {
        path: e.path,
        modelId: e.id,
        gpuLayers: e.overrides?.gpuLayers ?? 'auto',
        contextSize: e.overrides?.contextSize ?? 'auto',
        ...speculationLoadOptions(e, (draftId) => registry.list().find((x) => x.id === draftId)),
      },
      opts.signal,
    );
  }

  /**
   * Measures plain vs input-lookup vs draft-model decoding of a registered model on this machine and saves the
   * result; 'auto' loads use the winner from then on (a model already loaded keeps its mode until reloaded).
   */
  async measureSpeculation(id: string, opts: ProbeOptions = {}): Promise<RegistryEntry> {
    if (this.probing.has(id)) throw new EvolveError('CONFLICT', 'This model is already being measured');
    this.probing.add(id);
    try {
      const probe = await measureSpeculation(this.opts.client, this.usable(id), this.opts.registry.list(), opts);
      return await this.opts.registry.setSpeculationProbe(id, probe);
    } finally {
      this.probing.delete(id);
    }
  }

  unload(id: string): Promise<boolean> {
    return this.opts.client.unload(id);
  }

  /**
   * Downloads a catalog model into the cache (resumable; verified when the catalog knows the hash) and registers
   * it. One download per catalog id at a time.
   */
  async download(
    entry: CatalogEntry,
    onProgress?: (p: DownloadProgress) => void,
    signal?: AbortSignal,
    opts: DownloadRequestOptions = {},
  ): Promise<RegistryEntry> {
    if (this.downloads.has(entry.id)) throw new EvolveError('CONFLICT', `${entry.name} is already downloading`);
    const ca = opts.caFile ? readCaFile(opts.caFile) : undefined;
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.downloads.set(entry.id, ac);
    try {
      const dest = join(this.opts.cacheDir, entry.id, entry.fileName);
      const r = await downloadModel({
        url: entry.url,
        dest,
        sha256: entry.sha256,
        expectedSize: entry.sizeIsApproximate ? undefined : entry.sizeBytes,
        signal: ac.signal,
        onProgress,
        ...(this.opts.guard ? { guard: this.opts.guard } : {}),
        ...(ca ? { ca } : {}),
      });
      return await this.opts.registry.importFile(r.path, 'download', entry.name);
    } finally {
      this.downloads.delete(entry.id);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  cancelDownload(catalogId: string): boolean {
    const ac = this.downloads.get(catalogId);
    ac?.abort();
    return ac !== undefined;
  }

  private usable(id: string): RegistryEntry {
    const e = this.opts.registry.get(id);
    if (e.error)
      throw new EvolveError(e.error.code === 'CORRUPT' ? 'CORRUPT' : 'UNAVAILABLE', `${e.displayName} cannot be used: ${e.error.message}`);
    return e;
  }
}
