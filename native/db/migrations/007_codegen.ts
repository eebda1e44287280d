// Migration 7: the codegen engine's store — generations (with score and breakdown), their rounds, the user's
// accept/reject decisions, and an FTS5 index over request + decision reason for experience retrieval.
import type { Migration } from './types';

export const migration007: Migration = {
  version: 7,
  name: 'codegen',
  up(db) {
    // Separate from the chat `generations` table (001): a codegen generation has rounds, a score and a gate.
    db.exec(`
      CREATE TABLE codegen_generations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
        request TEXT NOT NULL,
        type TEXT NOT NULL,
        lang TEXT NOT NULL,
        model TEXT NOT NULL,
        code TEXT,
        diff TEXT CHECK (diff IS NULL OR json_valid(diff)),
        score INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 100),
        breakdown TEXT CHECK (breakdown IS NULL OR json_valid(breakdown)),
        findings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings)),
        status TEXT NOT NULL CHECK (status IN ('running','done','failed','cancelled')),
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX codegen_generations_by_project ON codegen_generations(project_id, created_at);

      CREATE TABLE codegen_rounds (
        generation_seq INTEGER NOT NULL REFERENCES codegen_generations(seq) ON DELETE CASCADE,
        round INTEGER NOT NULL,
        candidate INTEGER NOT NULL DEFAULT 0,
        code TEXT NOT NULL,
        checks TEXT NOT NULL CHECK (json_valid(checks)),
        test_output TEXT NOT NULL DEFAULT '',
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        ms INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (generation_seq, round, candidate)
      ) STRICT, WITHOUT ROWID;

      -- One row per decision (a rejected generation may later be accepted after an override); the latest counts.
      CREATE TABLE codegen_decisions (
        seq INTEGER PRIMARY KEY,
        generation_seq INTEGER NOT NULL REFERENCES codegen_generations(seq) ON DELETE CASCADE,
        decision TEXT NOT NULL CHECK (decision IN ('accepted','rejected')),
        reason TEXT NOT NULL DEFAULT '',
        user_edits TEXT,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX codegen_decisions_by_generation ON codegen_decisions(generation_seq, seq);

      -- Contentless FTS5 over what a similar future request would match: the request and the decision reason.
      -- Rows are the decision seq; the worker writes them (the text lives in the two tables above).
      CREATE VIRTUAL TABLE codegen_experience_fts USING fts5(request, reason, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER codegen_decisions_fts_ad AFTER DELETE ON codegen_decisions BEGIN
        DELETE FROM codegen_experience_fts WHERE rowid = old.seq;
      END;
    `);
  },
};
