// The DB worker's one open database: path, key (kept only here), connection, audit anchor; open/close/migrate.
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { EvolveError } from '../../common/errors';
import { openEncrypted, StoreDb, type SlowQuery } from './connection';
import { migrate, schemaVersion } from './migrations';
import { AuditAnchor } from './ops/audit';

export interface OpenSettings {
  path: string;
  key: string;
  synchronous: 'NORMAL' | 'FULL';
  slowQueryMs: number;
  verify: 'full' | 'none';
}

/** Temp copies a killed worker left behind (rekey/restore/candidate): never valid data, safe to delete at open. */
function removeStaleTemps(dbPath: string): void {
  const base = basename(dbPath);
  let names: string[];
  try {
    names = readdirSync(dirname(dbPath));
  } catch {
    return;
  }
  for (const n of names) {
    if (/^\.(rekey|restore|candidate)-[0-9a-f]{8}(-wal|-shm|-journal)?$/.test(n.slice(base.length)) && n.startsWith(base)) {
      rmSync(join(dirname(dbPath), n), { force: true });
    }
  }
}

export class DbState {
  private current: { settings: OpenSettings; db: StoreDb; anchor: AuditAnchor } | undefined;

  constructor(private readonly onSlowQuery: (q: SlowQuery) => void) {}

  get isOpen(): boolean {
    return this.current !== undefined;
  }

  /** The open connection; requests before `open` get a clear error instead of a crash. */
  get db(): StoreDb {
    if (!this.current) throw new EvolveError('UNAVAILABLE', 'The database is not open (unlock it first)');
    return this.current.db;
  }
  get anchor(): AuditAnchor {
    if (!this.current) throw new EvolveError('UNAVAILABLE', 'The database is not open (unlock it first)');
    return this.current.anchor;
  }
  get settings(): OpenSettings {
    if (!this.current) throw new EvolveError('UNAVAILABLE', 'The database is not open (unlock it first)');
    return this.current.settings;
  }

  open(s: OpenSettings): { created: boolean; schemaVersion: number; migrationsApplied: number[]; pages: number } {
    if (this.current) {
      if (this.current.settings.path !== s.path) throw new EvolveError('CONFLICT', 'Another database is already open in this worker');
      this.close();
    }
    removeStaleTemps(s.path);
    const { db, created, pages } = openEncrypted(s.path, s.key, s);
    const store = new StoreDb(db, { slowQueryMs: s.slowQueryMs, onSlowQuery: this.onSlowQuery });
    try {
      const migrationsApplied = migrate(db);
      this.current = { settings: s, db: store, anchor: new AuditAnchor(`${s.path}.audit-head`, s.key) };
      return { created, schemaVersion: schemaVersion(db), migrationsApplied, pages };
    } catch (e) {
      store.close();
      throw e;
    }
  }

  /** Folds the WAL into the main file and closes; after this no -wal holds committed data. */
  close(): void {
    if (!this.current) return;
    const { db } = this.current;
    this.current = undefined;
    try {
      db.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
}
