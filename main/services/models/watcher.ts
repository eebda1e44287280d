// Watches model folders (LM Studio, Jan, Ollama, user folders) and keeps the registry in sync without copying:
// fs.watch where the OS gives it (fast), a polling rescan always (fs.watch misses events on network drives,
// in Docker volumes and for recursive trees on Linux), both debounced so a copy in progress causes one rescan.
import { watch, type FSWatcher } from 'node:fs';
import { scanFolder, type FoundModel, type ModelFolder } from './folders';
import type { ModelRegistry } from './registry';

export interface WatcherOptions {
  pollIntervalMs?: number;
  debounceMs?: number;
  onError?: (folder: ModelFolder, e: unknown) => void;
}

export class ModelFolderWatcher {
  private readonly folders = new Map<string, ModelFolder>();
  private readonly fsWatchers = new Map<string, FSWatcher>();
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly opts: WatcherOptions = {},
  ) {}

  /** Adds a folder; an absent one is fine (it is picked up once it appears). */
  async addFolder(folder: ModelFolder): Promise<void> {
    this.folders.set(folder.path, folder);
    if (!this.stopped) this.watchFs(folder);
    await this.rescan();
  }

  async removeFolder(path: string): Promise<void> {
    this.folders.delete(path);
    this.fsWatchers.get(path)?.close();
    this.fsWatchers.delete(path);
    await this.rescan();
  }

  listFolders(): ModelFolder[] {
    return [...this.folders.values()];
  }

  async start(): Promise<void> {
    this.stopped = false;
    for (const f of this.folders.values()) this.watchFs(f);
    this.pollTimer = setInterval(() => this.schedule(), this.opts.pollIntervalMs ?? 10_000);
    this.pollTimer.unref();
    await this.rescan();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    for (const w of this.fsWatchers.values()) w.close();
    this.fsWatchers.clear();
    await this.scanning;
  }

  /**
   * Scans every folder and syncs the registry. If a scan is running, one follow-up scan is queued and every
   * caller meanwhile shares it, so a resolved rescan() always reflects the disk as of the call.
   */
  rescan(): Promise<void> {
    if (!this.scanning) {
      this.scanning = this.doScan().finally(() => {
        this.scanning = undefined;
      });
      return this.scanning;
    }
    this.queued ??= this.scanning
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.rescan();
      });
    return this.queued;
  }

  private async doScan(): Promise<void> {
    const bySource = new Map<ModelFolder['source'], FoundModel[]>();
    for (const f of this.folders.values()) {
      const list = bySource.get(f.source) ?? [];
      try {
        list.push(...(await scanFolder(f)));
      } catch (e) {
        this.opts.onError?.(f, e);
      }
      bySource.set(f.source, list);
    }
    // Sources whose last folder was removed still need a sync (to drop their entries).
    for (const source of ['lmstudio', 'jan', 'ollama', 'folder'] as const) if (!bySource.has(source)) bySource.set(source, []);
    for (const [source, found] of bySource) await this.registry.syncSource(source, found);
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.rescan().catch(() => undefined);
    }, this.opts.debounceMs ?? 500);
    this.debounceTimer.unref();
  }

  private watchFs(folder: ModelFolder): void {
    if (this.fsWatchers.has(folder.path)) return;
    try {
      const w = watch(folder.path, { recursive: true, persistent: false }, () => this.schedule());
      w.on('error', () => {
        w.close();
        this.fsWatchers.delete(folder.path); // polling still covers it
      });
      this.fsWatchers.set(folder.path, w);
    } catch {
      // Folder absent or recursive watch unsupported: polling covers it.
    }
  }
}
