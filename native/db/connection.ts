// Opens the SQLCipher 4 database (key check, WAL, sync level) and runs statements with slow-query logging.
import { existsSync, statSync } from 'node:fs';
import { EvolveError } from '../../common/errors';
import { checkCipherPages, verdictOf } from './cipher-check';
import { fromSqlite } from './errors';
import { loadVectorExtension } from './ops/index-vectors';
import { Sqlite, type Database, type Statement } from './sqlite';

export interface ConnectionOptions {
  synchronous: 'NORMAL' | 'FULL';
  slowQueryMs: number;
  verify: 'full' | 'none';
  onSlowQuery?: (q: SlowQuery) => void;
}

export interface SlowQuery {
  sql: string;
  ms: number;
  at: number;
}

/** Applies SQLCipher 4 settings and the raw key to a fresh connection. Used for the main DB and for candidates. */
export function keyConnection(db: Database, keyHex: string): void {
  // cipher + legacy=4 before the key: the file format is exactly SQLCipher 4's defaults, readable by any SQLCipher 4.
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // x'..' = raw key (no PBKDF2 on our side: the key is already 256 random bits).
  db.pragma(`key = "x'${keyHex}'"`);
  // sqlite-vec (project index search); optional: without it vector search scans in JS.
  loadVectorExtension(db);
}

/** Opens `path` with `keyHex`, tells a wrong key from a damaged file without writing, and configures the connection. */
export function openEncrypted(
  path: string,
  keyHex: string,
  opts: Pick<ConnectionOptions, 'synchronous' | 'verify'>,
): { db: Database; created: boolean; pages: number } {
  const existed = existsSync(path) && statSync(path).size > 0;
  let pages = 0;
  if (existed && opts.verify === 'full') {
    const check = checkCipherPages(path, Buffer.from(keyHex, 'hex'));
    pages = check.pages;
    const verdict = verdictOf(check);
    if (verdict === 'wrong-key') {
      throw new EvolveError('UNAUTHENTICATED', 'The database key is wrong (no page of the file verifies with it)', {
        path,
        restoreAvailable: false,
      });
    }
    if (verdict === 'corrupt') {
      throw new EvolveError(
        'CORRUPT',
        `The database file is damaged (${check.badCount - check.healedByWal} of ${check.pages} pages fail their check); it was left untouched`,
        {
          path,
          badPages: check.badPages,
          restoreAvailable: true,
        },
      );
    }
  }
  let db: Database;
  try {
    db = new Sqlite(path);
  } catch (e) {
    throw fromSqlite(e, 'Opening the database');
  }
  try {
    keyConnection(db, keyHex);
    // The first read proves the key (SQLITE_NOTADB otherwise).
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous}`);
    db.pragma('foreign_keys = ON');
    // Temp tables and sort spills stay in memory: SQLite temp files would not be encrypted.
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    // 16 MiB page cache: every page read from disk is decrypted and HMAC-checked, so cache hits matter more than in plain SQLite.
    db.pragma('cache_size = -16384');
    if (!pages) pages = db.pragma('page_count', { simple: true }) as number;
    return { db, created: !existed, pages };
  } catch (e) {
    db.close();
    const err = fromSqlite(e, 'Opening the database');
    if (err.code === 'UNAUTHENTICATED' || err.code === 'CORRUPT') {
      throw new EvolveError(err.code, err.message, { path, restoreAvailable: err.code === 'CORRUPT' });
    }
    throw err;
  }
}

/** A keyed connection with a statement cache and slow-query logging (ring buffer + callback). */
export class StoreDb {
  private readonly statements = new Map<string, Statement>();
  private readonly slow: SlowQuery[] = [];

  constructor(
    readonly db: Database,
    private readonly opts: Pick<ConnectionOptions, 'slowQueryMs' | 'onSlowQuery'>,
  ) {}

  get slowQueries(): SlowQuery[] {
    return [...this.slow];
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs `fn`, timing it; anything at or above the threshold is kept and reported (the SQL, never the bound values). */
  timed<T>(sql: string, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      const ms = performance.now() - t0;
      if (ms >= this.opts.slowQueryMs) {
        const q = { sql: sql.replace(/\s+/g, ' ').trim().slice(0, 500), ms: Math.round(ms * 100) / 100, at: Date.now() };
        this.slow.push(q);
        if (this.slow.length > 100) this.slow.shift();
        this.opts.onSlowQuery?.(q);
      }
    }
  }

  run(sql: string, ...params: unknown[]): Sqlite.RunResult {
    return this.timed(sql, () => this.stmt(sql).run(...params));
  }
  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.timed(sql, () => this.stmt(sql).get(...params) as T | undefined);
  }
  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.timed(sql, () => this.stmt(sql).all(...params) as T[]);
  }
  /** Runs `fn` in one IMMEDIATE transaction (the worker is the only writer, so this never waits on itself). */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
