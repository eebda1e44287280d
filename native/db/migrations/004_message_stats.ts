// Migration 4: per-message generation stats (model, tokens, tok/s, time to first token, stop reason) as JSON,
// so a thread shows how each answer was produced after a restart.
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'message-stats',
  up(db) {
    db.exec(`ALTER TABLE messages ADD COLUMN stats TEXT CHECK (stats IS NULL OR json_valid(stats));`);
  },
};
