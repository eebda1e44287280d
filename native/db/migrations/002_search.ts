// Migration 2: FTS5 full-text indexes over messages and generations, kept in sync by triggers.
import type { Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'search',
  up(db) {
    // External-content FTS5: the text lives once (in messages/generations), the index refers to it by rowid (seq).
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
      END;
      CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
      END;
      CREATE TRIGGER messages_fts_au AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.seq, new.content);
      END;

      CREATE VIRTUAL TABLE generations_fts USING fts5(prompt, output, content='generations', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER generations_fts_ai AFTER INSERT ON generations BEGIN
        INSERT INTO generations_fts(rowid, prompt, output) VALUES (new.seq, new.prompt, new.output);
      END;
      CREATE TRIGGER generations_fts_ad AFTER DELETE ON generations BEGIN
        INSERT INTO generations_fts(generations_fts, rowid, prompt, output) VALUES ('delete', old.seq, old.prompt, old.output);
      END;
      CREATE TRIGGER generations_fts_au AFTER UPDATE OF prompt, output ON generations BEGIN
        INSERT INTO generations_fts(generations_fts, rowid, prompt, output) VALUES ('delete', old.seq, old.prompt, old.output);
        INSERT INTO generations_fts(rowid, prompt, output) VALUES (new.seq, new.prompt, new.output);
      END;
    `);
    // Index rows that existed before this migration (none on a fresh database, but a migration must not assume that).
    db.exec(`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild'); INSERT INTO generations_fts(generations_fts) VALUES ('rebuild');`);
  },
};
