// Watches a project folder (chokidar 4) and hands debounced batches of changed paths to the indexer, so an
// edited file is searchable within a second of its write.
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

// Never watched: VCS internals and dependency trees (the walk's ignore rules decide what is indexed; this only
// keeps the watcher from holding thousands of handles on folders no project indexes).
const IGNORED = /(^|[/\\])(\.git|node_modules|\.hg|\.svn|__pycache__|\.venv|target|dist|build|out)([/\\]|$)/;

export class ProjectWatcher {
  private readonly w: FSWatcher;
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Resolves once the initial scan is done (changes before that are not reported). */
  readonly ready: Promise<void>;

  constructor(
    readonly root: string,
    private readonly onBatch: (rels: string[]) => void,
    private readonly debounceMs = 100,
  ) {
    this.w = watch(root, {
      ignoreInitial: true,
      ignored: (p: string) => IGNORED.test(path.relative(root, p)),
      followSymlinks: false,
    });
    for (const ev of ['add', 'change', 'unlink'] as const) this.w.on(ev, (p: string) => this.touch(p));
    this.w.on('error', () => undefined); // a vanished folder: the next index reports it
    this.ready = new Promise((r) => this.w.once('ready', () => r()));
  }

  private touch(abs: string): void {
    const rel = path.relative(this.root, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) return;
    this.pending.add(rel);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const rels = [...this.pending];
      this.pending = new Set();
      this.onBatch(rels);
    }, this.debounceMs);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.w.close();
  }
}
