// Migration 3: the append-only, hash-chained audit table; triggers refuse UPDATE and DELETE.
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'audit',
  up(db) {
    // seq is the 1-based position in the chain; the worker assigns max(seq)+1 inside the insert's transaction.
    db.exec(`
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_kind ON audit(kind, at);
      CREATE INDEX audit_by_time ON audit(at);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only');
      END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
        SELECT RAISE(ABORT, 'audit log is append-only');
      END;
    `);
  },
};
