// One indexing run of one project: the index worker walks and chunks (skipping what the catalog says is
// unchanged), new chunks are embedded, and each batch of files is written in one DB transaction — so a run
// killed at any point resumes from the catalog. Reports progress; cancel, pause, and yields to chat/completion.
import { EvolveError, toErrorInfo } from '../../../common/errors';
import type { IndexProgress } from '../../../common/contracts/projects';
import type { FileWrite } from '../../../common/store/index-requests';
import { int8ToBase64, quantizeInt8 } from '../../../native/db/ops/index-vectors';
import { FILE_CARD_KIND } from '../../../native/index/file-card';
import { IndexFileEventSchema, WalkAndChunkResultSchema, type IndexFileEvent } from '../../../native/index/protocol';
import type { BusyProbe, EmbedderPort, IndexWorkerPort, StorePort } from './ports';

export interface IndexRunOptions {
  projectId: string;
  root: string;
  include: string[];
  exclude: string[];
  store: StorePort;
  worker: IndexWorkerPort;
  /** null: BM25 only (no embedding model installed); the run says so in `vectorsOff`. */
  embedder: EmbedderPort | null;
  /** Only these paths (a watcher batch) instead of a full walk; a full walk also drops files that are gone. */
  paths?: string[];
  busy?: BusyProbe;
  onProgress?: (p: IndexProgress) => void;
  /** Files per DB transaction (and per embedding round). */
  batchFiles?: number;
  batchChunks?: number;
  maxFileBytes?: number;
}

const ERROR_HASH = '0'.repeat(64);

/** A catalog path: relative, '/'-separated, never leaving the root (whatever the walk or a watcher sends). */
export function isSafeRel(rel: string): boolean {
  if (!rel || rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || rel.includes('\\') || rel.includes('\0')) return false;
  return rel.split('/').every((seg) => seg !== '..' && seg !== '.' && seg !== '');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class IndexRun {
  private readonly ac = new AbortController();
  private paused = false;
  private readonly queue: IndexFileEvent[] = [];
  private walkDone = false;
  private wake: (() => void) | undefined;
  private readonly started = performance.now();
  private lastEmit = 0;
  private vectorsOff: string | null = null;
  private readonly p: IndexProgress = {
    phase: 'starting',
    filesSeen: 0,
    filesTotal: null,
    filesDone: 0,
    unchanged: 0,
    skipped: 0,
    errors: 0,
    chunks: 0,
    chunksEmbedded: 0,
    filesPerSec: 0,
    etaSec: null,
    elapsedMs: 0,
    problems: [],
    vectorsOff: null,
  };

  constructor(private readonly o: IndexRunOptions) {}

  get progress(): IndexProgress {
    return { ...this.p, problems: [...this.p.problems], elapsedMs: performance.now() - this.started };
  }
  get signal(): AbortSignal {
    return this.ac.signal;
  }

  cancel(): void {
    this.ac.abort();
    this.wake?.();
  }
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.emit(true);
  }

  async run(): Promise<IndexProgress> {
    const { store, projectId } = this.o;
    let model = 'none';
    if (this.o.embedder) {
      try {
        model = (await this.o.embedder.info()).model;
      } catch (e) {
        this.vectorsOff = `embedding model unavailable: ${toErrorInfo(e).message}`;
      }
    } else this.vectorsOff = 'no embedding model configured';
    this.p.vectorsOff = this.vectorsOff;
    const catalog = await store.call('index.catalog', { projectId });
    const seen = new Set<string>();
    this.p.phase = 'indexing';
    this.emit(true);

    // The walk streams file events into the queue while this loop embeds and writes them in batches.
    const walk = this.o.worker
      .request(
        'walk-and-chunk',
        {
          root: this.o.root,
          include: this.o.include.length ? this.o.include : undefined,
          exclude: this.o.exclude,
          maxFileBytes: this.o.maxFileBytes,
          known: catalog.filter((c) => c.status === 'indexed').map((c) => ({ rel: c.rel, size: c.size, mtimeMs: c.mtimeMs })),
          ...(this.o.paths ? { paths: this.o.paths } : {}),
        },
        {
          signal: this.ac.signal,
          timeoutMs: 24 * 3600_000,
          onEvent: (raw) => {
            const ev = IndexFileEventSchema.safeParse(raw);
            if (!ev.success) return;
            this.p.filesSeen++;
            this.queue.push(ev.data);
            this.wake?.();
          },
        },
      )
      .then((r) => WalkAndChunkResultSchema.parse(r))
      .finally(() => {
        this.walkDone = true;
        this.p.filesTotal = this.p.filesSeen;
        this.wake?.();
      });
    walk.catch(() => undefined);

    try {
      for (;;) {
        await this.gate();
        const batch = this.take();
        if (batch.length === 0) {
          if (this.walkDone) break;
          await new Promise<void>((r) => (this.wake = r));
          this.wake = undefined;
          continue;
        }
        await this.writeBatch(batch, model, seen);
        this.emit();
      }
      await walk; // surfaces a walk failure (root vanished, cancelled)
      this.p.phase = 'finishing';
      if (!this.o.paths) {
        // A complete walk: whatever the catalog has that the walk did not report as present is gone.
        const deleted = catalog.map((c) => c.rel).filter((rel) => !seen.has(rel));
        for (let i = 0; i < deleted.length; i += 1000) {
          await store.call('index.writeBatch', { projectId, model, files: [], deleted: deleted.slice(i, i + 1000) });
        }
      }
      this.p.phase = 'done';
    } catch (e) {
      const info = toErrorInfo(e);
      this.p.phase = this.ac.signal.aborted || info.code === 'CANCELLED' ? 'cancelled' : 'error';
      if (this.p.phase === 'error') {
        this.emit(true);
        throw e instanceof EvolveError ? e : new EvolveError(info.code, info.message);
      }
    }
    this.emit(true);
    return this.progress;
  }

  /** Waits while paused or while chat/completion is generating (checked between batches). */
  private async gate(): Promise<void> {
    while (!this.ac.signal.aborted && (this.paused || this.o.busy?.())) {
      const phase = this.paused ? 'paused' : 'waiting';
      if (this.p.phase !== phase) {
        this.p.phase = phase;
        this.emit(true);
      }
      await sleep(100);
    }
    if (this.ac.signal.aborted) throw new EvolveError('CANCELLED', 'Indexing cancelled');
    if (this.p.phase === 'paused' || this.p.phase === 'waiting') {
      this.p.phase = 'indexing';
      this.emit(true);
    }
  }

  private take(): IndexFileEvent[] {
    const maxFiles = this.o.batchFiles ?? 32;
    const maxChunks = this.o.batchChunks ?? 256;
    const out: IndexFileEvent[] = [];
    let chunks = 0;
    while (this.queue.length && out.length < maxFiles && chunks < maxChunks) {
      const e = this.queue.shift() as IndexFileEvent;
      out.push(e);
      if (e.type === 'file') chunks += e.chunks.length;
    }
    return out;
  }

  private async writeBatch(batch: IndexFileEvent[], model: string, seen: Set<string>): Promise<void> {
    const { store, projectId } = this.o;
    const files: FileWrite[] = [];
    const deleted: string[] = [];
    for (const e of batch) {
      if (!isSafeRel(e.rel)) {
        // Never catalogued: a path outside the root is reported, not stored.
        this.p.errors++;
        this.problem(e.rel, 'outside the project folder; ignored');
      } else if (e.type === 'unchanged') {
        seen.add(e.rel);
        this.p.unchanged++;
      } else if (e.type === 'skipped') {
        this.p.skipped++;
      } else if (e.type === 'gone') {
        deleted.push(e.rel);
      } else if (e.type === 'error') {
        // Catalogued as an error (no chunks, old ones dropped) so status shows it and the next run retries it.
        seen.add(e.rel);
        this.p.errors++;
        this.problem(e.rel, e.message);
        files.push({
          rel: e.rel,
          size: 0,
          mtimeMs: 0,
          hash: ERROR_HASH,
          lang: null,
          error: `${e.code}: ${e.message}`.slice(0, 2000),
          chunks: [],
        });
      } else {
        seen.add(e.rel);
        if (e.parseError) this.problem(e.rel, `parsed as plain text: ${e.parseError}`);
        files.push({
          rel: e.rel,
          size: e.size,
          mtimeMs: e.mtimeMs,
          hash: e.hash,
          lang: e.lang,
          tags: e.tags,
          chunks: e.chunks.map((c) => ({
            hash: c.id,
            text: c.text,
            startLine: c.startLine,
            endLine: c.endLine,
            kind: c.kind,
            symbol: c.symbol ?? null,
          })),
        });
      }
    }
    await this.embedNew(files);
    if (files.length || deleted.length) await store.call('index.writeBatch', { projectId, model, files, deleted });
    for (const f of files) {
      if (!f.error) this.p.filesDone++;
      this.p.chunks += f.chunks.length;
    }
  }

  /**
   * Embeds the file cards this project has no vector for yet (content-addressed: an unchanged card is free).
   * Only cards: every chunk would be ~9× the word pieces (native/index/file-card.ts has the figures).
   */
  private async embedNew(files: FileWrite[]): Promise<void> {
    if (!this.o.embedder || this.vectorsOff) return;
    const all = files.flatMap((f) => f.chunks.filter((c) => c.kind === FILE_CARD_KIND).map((c) => ({ c, rel: f.rel })));
    if (all.length === 0) return;
    const known = new Set(
      await this.o.store.call('index.knownChunks', { projectId: this.o.projectId, hashes: [...new Set(all.map((x) => x.c.hash))] }),
    );
    const todo = new Map<string, (typeof all)[number][]>();
    for (const x of all) if (!known.has(x.c.hash)) todo.set(x.c.hash, [...(todo.get(x.c.hash) ?? []), x]);
    if (todo.size === 0) return;
    const groups = [...todo.values()];
    const texts = groups.map((g) => g[0]?.c.text ?? ''); // a card starts with its path
    try {
      const vecs = await this.o.embedder.embed(texts, this.ac.signal, { priority: 'background' });
      groups.forEach((g, i) => {
        const v = int8ToBase64(quantizeInt8(vecs[i] as Float32Array));
        for (const x of g) x.c.vector = v;
      });
      this.p.chunksEmbedded += groups.length;
    } catch (e) {
      if (this.ac.signal.aborted) throw new EvolveError('CANCELLED', 'Indexing cancelled');
      // Text search keeps working; vectors are filled in by the next run (knownChunks only lists embedded chunks).
      this.vectorsOff = `embedding failed: ${toErrorInfo(e).message}`;
      this.p.vectorsOff = this.vectorsOff;
    }
  }

  private problem(rel: string, message: string): void {
    this.p.problems.push({ rel, message: message.slice(0, 500) });
    if (this.p.problems.length > 20) this.p.problems.shift();
  }

  /** Progress at most ~10 times a second, except state changes. */
  private emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < 100) return;
    this.lastEmit = now;
    const secs = (now - this.started) / 1000;
    const handled = this.p.filesDone + this.p.unchanged + this.p.skipped + this.p.errors;
    this.p.elapsedMs = now - this.started;
    this.p.filesPerSec = secs > 0 ? handled / secs : 0;
    const total = this.p.filesTotal;
    this.p.etaSec = total !== null && this.p.filesPerSec > 0 ? Math.max(0, (total - handled) / this.p.filesPerSec) : null;
    this.o.onProgress?.(this.progress);
  }
}
