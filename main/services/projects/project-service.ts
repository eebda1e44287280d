// The projects service: projects in the encrypted store, one index run per project at a time (progress,
// cancel, pause, low priority), file watchers that re-index what changed, and hybrid retrieval.
import path from 'node:path';
import type { IndexProgress, Retrieval } from '../../../common/contracts/projects';
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { IndexedProject, IndexState } from '../../../common/store/index-requests';
import { IndexRun } from './index-run';
import type { BusyProbe, EmbedderPort, IndexWorkerPort, StorePort } from './ports';
import { resolveProjectRoot, type RootCheckOptions } from './project-root';
import { ProjectWatcher } from './project-watcher';
import type { QueryExpander } from './query-expansion';
import { repoMapFor, retrieve, type RetrieveDeps, type RetrieveOptions } from './retrieval';

export interface ProjectServiceOptions {
  store: StorePort;
  worker: IndexWorkerPort;
  embedder: EmbedderPort | null;
  busy?: BusyProbe;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Watch indexed projects and re-index changed files (default true). */
  watch?: boolean;
  debounceMs?: number;
  rootCheck?: RootCheckOptions;
  maxFileBytes?: number;
  /** Query expansion for prose questions (query-expansion.ts); absent: queries are searched as typed. */
  expand?: QueryExpander;
}

interface Active {
  run: IndexRun;
  done: Promise<IndexProgress>;
  listeners: Set<(p: IndexProgress) => void>;
  full: boolean;
}

type TagsRecord = Record<string, { defs: unknown[]; refs: unknown[] }>;

export class ProjectService {
  private readonly active = new Map<string, Active>();
  private readonly watchers = new Map<string, ProjectWatcher>();
  private readonly tagCache = new Map<string, Promise<{ key: string; tags: TagsRecord }>>();
  private tagVersion = 0;
  /** Paths changed while a run was active, indexed right after it. */
  private readonly deferred = new Map<string, Set<string>>();
  private readonly changeListeners = new Set<(projectId: string, p: IndexProgress) => void>();

  constructor(private readonly o: ProjectServiceOptions) {}

  private get deps(): RetrieveDeps {
    return {
      store: this.o.store,
      worker: this.o.worker,
      embedder: this.o.embedder,
      tags: (id) => this.tags(id),
      log: (level, msg) => this.o.log?.(level, msg),
      ...(this.o.expand ? { expand: this.o.expand } : {}),
    };
  }

  /** Called with every progress of every run (watcher runs included): the UI refreshes status from it. */
  onProgress(cb: (projectId: string, p: IndexProgress) => void): () => void {
    this.changeListeners.add(cb);
    return () => this.changeListeners.delete(cb);
  }

  async list(): Promise<IndexedProject[]> {
    return (await this.o.store.call('index.project.list', {})).map((p) => this.live(p));
  }

  async get(projectId: string): Promise<IndexedProject> {
    return this.live(await this.o.store.call('index.project.get', { projectId }));
  }

  /** A stored 'indexing' state without a run in this process was interrupted (crash, quit): it resumes on the next index. */
  private live(p: IndexedProject): IndexedProject {
    if (p.state.status === 'indexing' && !this.active.has(p.id)) {
      return { ...p, state: { ...p.state, status: 'cancelled', message: 'Interrupted; index again to resume where it stopped' } };
    }
    return p;
  }

  async add(input: { path: string; name?: string; include?: string[]; exclude?: string[] }): Promise<IndexedProject> {
    const root = await resolveProjectRoot(input.path, this.o.rootCheck);
    return this.o.store.call('index.project.add', {
      name: input.name ?? path.basename(root),
      rootPath: root,
      include: input.include ?? [],
      exclude: input.exclude ?? [],
    });
  }

  async remove(projectId: string) {
    const a = this.active.get(projectId);
    if (a) {
      a.run.cancel();
      await a.done.catch(() => undefined);
    }
    await this.unwatch(projectId);
    this.tagCache.delete(projectId);
    return this.o.store.call('index.project.remove', { projectId });
  }

  updateGlobs(projectId: string, globs: { include?: string[]; exclude?: string[] }): Promise<IndexedProject> {
    return this.o.store.call('index.project.update', { projectId, ...globs });
  }

  async status(projectId: string): Promise<{ project: IndexedProject; running: IndexProgress | null; watching: boolean }> {
    const project = await this.get(projectId);
    return { project, running: this.active.get(projectId)?.run.progress ?? null, watching: this.watchers.has(projectId) };
  }

  /** Runs (or joins) the full index of a project; resolves with the final progress ('done' or 'cancelled'). */
  async index(projectId: string, onProgress?: (p: IndexProgress) => void): Promise<IndexProgress> {
    const running = this.active.get(projectId);
    if (running && running.full) {
      if (onProgress) running.listeners.add(onProgress);
      try {
        return await running.done;
      } finally {
        if (onProgress) running.listeners.delete(onProgress);
      }
    }
    if (running) await running.done.catch(() => undefined); // a watcher batch: let it finish first
    return this.start(projectId, undefined, onProgress);
  }

  cancel(projectId: string): boolean {
    const a = this.active.get(projectId);
    a?.run.cancel();
    return a !== undefined;
  }

  pause(projectId: string, paused: boolean): boolean {
    const a = this.active.get(projectId);
    if (!a) throw new EvolveError('NOT_FOUND', 'No index is running for this project');
    a.run.setPaused(paused);
    return paused;
  }

  search(projectId: string, query: string, k = 10, tokenBudget = 8000, o: RetrieveOptions = {}): Promise<Retrieval> {
    return retrieve(this.deps, projectId, query, tokenBudget, k, o);
  }

  /** retrieve(project, query, tokenBudget) for the coding features and chat. */
  retrieve(projectId: string, query: string, tokenBudget: number): Promise<Retrieval> {
    return retrieve(this.deps, projectId, query, tokenBudget, 20);
  }

  repoMap(projectId: string, tokenBudget = 1024, focusFiles: string[] = []) {
    return repoMapFor(this.deps, projectId, tokenBudget, focusFiles);
  }

  /** Starts watching the project's folder; changed files are re-indexed after a short debounce. */
  async watch(projectId: string): Promise<void> {
    if (this.watchers.has(projectId) || this.o.watch === false) return;
    const p = await this.get(projectId);
    const w = new ProjectWatcher(p.rootPath, (rels) => void this.indexPaths(projectId, rels), this.o.debounceMs ?? 100);
    this.watchers.set(projectId, w);
    await w.ready;
  }

  async unwatch(projectId: string): Promise<void> {
    const w = this.watchers.get(projectId);
    this.watchers.delete(projectId);
    await w?.close();
  }

  /** Re-indexes just these paths (watcher); deferred while another run of the project is active. */
  async indexPaths(projectId: string, rels: string[]): Promise<IndexProgress | null> {
    if (this.active.has(projectId)) {
      const set = this.deferred.get(projectId) ?? new Set<string>();
      for (const r of rels) set.add(r);
      this.deferred.set(projectId, set);
      return null;
    }
    try {
      return await this.start(projectId, rels);
    } catch (e) {
      this.o.log?.('warn', `re-index of ${rels.length} changed file(s) failed: ${toErrorInfo(e).message}`);
      return null;
    }
  }

  /**
   * Where the index saw `name` called (its `call` reference tags: file and line; imports, type mentions and definitions
   * are not calls); empty when the project
   * is not indexed yet. The performance lab shows these call sites to the model so a rewrite keeps their contract.
   */
  async referencesTo(projectId: string, name: string): Promise<{ rel: string; line: number }[]> {
    const { tags } = await this.tags(projectId);
    const out: { rel: string; line: number }[] = [];
    for (const [rel, t] of Object.entries(tags)) {
      for (const r of t.refs as { name?: unknown; line?: unknown; kind?: unknown }[]) {
        if (r.name === name && r.kind === 'call' && typeof r.line === 'number') out.push({ rel, line: r.line });
      }
    }
    return out.sort((a, b) => a.rel.localeCompare(b.rel) || a.line - b.line);
  }

  private async tags(projectId: string): Promise<{ key: string; tags: TagsRecord }> {
    let t = this.tagCache.get(projectId);
    if (!t) {
      // A new key for every read from the store: the index worker keeps tags under it (retrieval.ts repoMapFor).
      const key = `${projectId}:${++this.tagVersion}`;
      t = this.o.store
        .call('index.tags', { projectId })
        .then((rows) => ({ key, tags: Object.fromEntries(rows.map((r) => [r.rel, r.tags])) as TagsRecord }));
      t.catch(() => this.tagCache.delete(projectId));
      this.tagCache.set(projectId, t);
    }
    return t;
  }

  private async start(projectId: string, paths: string[] | undefined, onProgress?: (p: IndexProgress) => void): Promise<IndexProgress> {
    const p = await this.o.store.call('index.project.get', { projectId });
    const full = paths === undefined;
    const listeners = new Set<(x: IndexProgress) => void>(onProgress ? [onProgress] : []);
    const run = new IndexRun({
      projectId,
      root: p.rootPath,
      include: p.include,
      exclude: p.exclude,
      store: this.o.store,
      worker: this.o.worker,
      embedder: this.o.embedder,
      busy: this.o.busy,
      maxFileBytes: this.o.maxFileBytes,
      ...(paths ? { paths } : {}),
      onProgress: (x) => {
        for (const l of listeners) l(x);
        for (const l of this.changeListeners) l(projectId, x);
      },
    });
    const startedAt = Date.now();
    const done = (async () => {
      if (full) await this.setState(projectId, { ...p.state, status: 'indexing', startedAt, finishedAt: null, message: null });
      try {
        const r = await run.run();
        if (full) await this.finish(projectId, r, startedAt);
        return r;
      } catch (e) {
        const info = toErrorInfo(e);
        if (full) await this.finish(projectId, { ...run.progress, phase: 'error' }, startedAt, info.message);
        throw e;
      } finally {
        this.tagCache.delete(projectId);
      }
    })();
    const entry: Active = { run, done, listeners, full };
    this.active.set(projectId, entry);
    done
      .finally(() => {
        if (this.active.get(projectId) === entry) this.active.delete(projectId);
        const later = this.deferred.get(projectId);
        if (later?.size) {
          this.deferred.delete(projectId);
          void this.indexPaths(projectId, [...later]);
        }
      })
      .catch(() => undefined);
    return done;
  }

  private async finish(projectId: string, r: IndexProgress, startedAt: number, error?: string): Promise<void> {
    const counts = await this.o.store.call('index.project.get', { projectId }).catch(() => null);
    if (!counts) return; // removed meanwhile
    const status: IndexState['status'] = r.phase === 'done' ? 'done' : r.phase === 'cancelled' ? 'cancelled' : 'error';
    const message =
      error ??
      (status === 'cancelled'
        ? 'Cancelled; index again to resume where it stopped'
        : r.vectorsOff
          ? `Text search only: ${r.vectorsOff}`
          : null);
    await this.setState(projectId, {
      status,
      startedAt,
      finishedAt: Date.now(),
      files: counts.files,
      chunks: counts.chunks,
      errors: r.errors,
      message: message?.slice(0, 2000) ?? null,
    });
  }

  private async setState(projectId: string, state: IndexState): Promise<void> {
    await this.o.store.call('index.project.setState', { projectId, state });
  }

  async dispose(): Promise<void> {
    for (const a of this.active.values()) a.run.cancel();
    await Promise.all([...this.active.values()].map((a) => a.done.catch(() => undefined)));
    await Promise.all([...this.watchers.keys()].map((id) => this.unwatch(id)));
  }
}
