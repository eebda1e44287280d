// Migration 5: the response cache for deterministic (temperature 0) provider requests, inside the encrypted
// database; keys are hashes of the request, values the cached answer as JSON.
import type { Migration } from './types';

export const migration005: Migration = {
  version: 5,
  name: 'response-cache',
  up(db) {
    db.exec(`
      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        stored_at INTEGER NOT NULL,
        used_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX response_cache_by_use ON response_cache(used_at);
    `);
  },
};
