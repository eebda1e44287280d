// Migration 6: the project index (file catalog, content-addressed chunks, int8 vectors, code-aware FTS5) and
// project settings/state; threads survive their project's removal (detached) instead of being cascade-deleted.
import type { Migration } from './types';

export const migration006: Migration = {
  version: 6,
  name: 'project-index',
  // Rebuilding `threads` drops the old table; with foreign keys on, that drop would cascade-delete every message.
  foreignKeysOff: true,
  up(db) {
    // SQLite cannot alter a foreign key in place: the documented 12-step rebuild (new table, copy, drop, rename).
    db.exec(`
      CREATE TABLE threads_new (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
        title TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO threads_new (id, project_id, title, created_at) SELECT id, project_id, title, created_at FROM threads;
      DROP TABLE threads;
      ALTER TABLE threads_new RENAME TO threads;
      CREATE INDEX threads_by_project ON threads(project_id, created_at);

      ALTER TABLE projects ADD COLUMN include_globs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(include_globs));
      ALTER TABLE projects ADD COLUMN exclude_globs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(exclude_globs));
      ALTER TABLE projects ADD COLUMN index_state TEXT CHECK (index_state IS NULL OR json_valid(index_state));

      -- The catalog: one row per file seen by the last walk (size + mtime + hash let unchanged files be skipped).
      CREATE TABLE index_files (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        rel TEXT NOT NULL,
        size INTEGER NOT NULL,
        -- REAL: the walk compares the exact (fractional) mtimeMs it stat()s with this value.
        mtime_ms REAL NOT NULL,
        hash TEXT NOT NULL,
        lang TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed','error')),
        error TEXT,
        tags TEXT CHECK (tags IS NULL OR json_valid(tags)),
        indexed_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, rel)
      ) STRICT, WITHOUT ROWID;

      -- Chunk text once per project and content hash: identical chunks (copies, a branch switch) share one
      -- embedding; a file only points at them through index_spans.
      CREATE TABLE index_chunks (
        seq INTEGER PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (project_id, hash)
      ) STRICT;

      CREATE TABLE index_spans (
        project_id TEXT NOT NULL,
        rel TEXT NOT NULL,
        chunk_seq INTEGER NOT NULL REFERENCES index_chunks(seq) ON DELETE CASCADE,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT,
        PRIMARY KEY (project_id, rel, start_line, chunk_seq),
        FOREIGN KEY (project_id, rel) REFERENCES index_files(project_id, rel) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX index_spans_by_chunk ON index_spans(chunk_seq);

      -- Vectors apart from the text so an exact scan reads ~10 rows per page; int8 with a per-vector scale
      -- (cosine is scale-free), clustered by project.
      CREATE TABLE index_vectors (
        project_id TEXT NOT NULL,
        chunk_seq INTEGER NOT NULL REFERENCES index_chunks(seq) ON DELETE CASCADE,
        model TEXT NOT NULL,
        emb BLOB NOT NULL,
        PRIMARY KEY (project_id, chunk_seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX index_vectors_by_chunk ON index_vectors(chunk_seq);

      -- Contentless FTS5 (the text already lives in index_chunks); rows are the chunk seq. The indexed column holds
      -- code-aware terms (identifiers plus their camelCase/snake_case parts), computed by the worker.
      CREATE VIRTUAL TABLE index_fts USING fts5(terms, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER index_chunks_fts_ad AFTER DELETE ON index_chunks BEGIN
        DELETE FROM index_fts WHERE rowid = old.seq;
      END;
    `);
  },
};
