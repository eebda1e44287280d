// Shape of one schema migration: a version (user_version after it runs) and a synchronous `up` run inside a transaction.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  /** Run with foreign keys off (a table rebuild); the runner checks foreign_key_check before committing. */
  foreignKeysOff?: boolean;
  up(db: BetterSqlite3.Database): void;
}
