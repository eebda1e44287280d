// Migration 10: the diagnosis of each failed job attempt (issue 16 item 1), one row per job and submission id.
import type { Migration } from './types';

export const migration010: Migration = {
  version: 10,
  name: 'job_diagnoses',
  up(db) {
    db.exec(`
      CREATE TABLE job_diagnoses (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        submission_id TEXT NOT NULL,
        -- The failure class the rules chose (common/cluster/diagnosis.ts FailureClass); kept as a column to count by.
        class TEXT NOT NULL,
        -- The whole Diagnosis (class, summary, evidence lines, location, fixes, explanation) as JSON.
        diagnosis TEXT NOT NULL CHECK (json_valid(diagnosis)),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (job_id, submission_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
