// Migration 8: conventions learned from what the user kept and edited (issue 12 item 6), each with the generations
// it came from; the user can edit a convention's text or remove it (a tombstone, so the same generations never
// teach it again).
import type { Migration } from './types';

export const migration008: Migration = {
  version: 8,
  name: 'learned_conventions',
  up(db) {
    db.exec(`
      CREATE TABLE learned_conventions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        lang TEXT NOT NULL,
        -- 'test-framework' | 'naming' | 'error-style' | 'quotes' | 'indent' (checked by the worker's schema).
        kind TEXT NOT NULL,
        -- The machine value the rule found (e.g. 'pytest', 'snake_case', 'raise'): one row per value.
        value TEXT NOT NULL,
        -- What the prompt says; the user may rewrite it (then user_edited = 1 and learning never overwrites it).
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        user_edited INTEGER NOT NULL DEFAULT 0 CHECK (user_edited IN (0, 1)),
        -- Set when the user removes it: kept as a tombstone so its source generations do not bring it back.
        removed_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (project_id, lang, kind, value)
      ) STRICT;

      -- Which generations taught a convention, and how: 'kept' (accepted code) or 'edited' (the user's own edits).
      CREATE TABLE learned_convention_sources (
        convention_seq INTEGER NOT NULL REFERENCES learned_conventions(seq) ON DELETE CASCADE,
        generation_seq INTEGER NOT NULL REFERENCES codegen_generations(seq) ON DELETE CASCADE,
        evidence TEXT NOT NULL CHECK (evidence IN ('kept', 'edited')),
        at INTEGER NOT NULL,
        PRIMARY KEY (convention_seq, generation_seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX learned_convention_sources_by_generation ON learned_convention_sources(generation_seq);
    `);
  },
};
