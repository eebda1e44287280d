// Migration 12: the user's role on each cluster profile (issue 14 item 2). Existing profiles migrate as admin (their
// user made them) and a new profile's row defaults to admin (its creator); only clusterRole.set changes it.
import type { Migration } from './types';

export const migration012: Migration = {
  version: 12,
  name: 'cluster_roles',
  up(db) {
    db.exec(`
      ALTER TABLE cluster_profiles ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
        CHECK (role IN ('viewer', 'operator', 'admin'));
    `);
  },
};
