// Migration 11: named tokens of the local API server (issue 14 item 4). Only a SHA-256 of each token is kept: the
// token is 256 random bits, so a fast hash is as strong as a slow one (nothing to brute-force) and lets the server
// check every request without a KDF's cost; argon2/scrypt are for low-entropy passwords.
import type { Migration } from './types';

export const migration011: Migration = {
  version: 11,
  name: 'api_tokens',
  up(db) {
    db.exec(`
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        -- SHA-256 of the whole token, lowercase hex; the token itself is shown once and never stored.
        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        -- The token's first characters, to recognise it in lists and audit rows.
        prefix_hint TEXT NOT NULL,
        -- JSON array of scopes ('chat', 'completions', 'embeddings', 'models'), checked by the worker's schema.
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        last_used_at INTEGER,
        revoked_at INTEGER,
        -- Requests per minute; NULL: no per-token limit.
        rate_limit_per_min INTEGER CHECK (rate_limit_per_min IS NULL OR rate_limit_per_min > 0)
      ) STRICT;
      -- Names are unique among tokens still in force (a revoked token's name can be reused).
      CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
    `);
  },
};
