// Migration 10 and the diagnosis worker ops on a real SQLCipher database: put/replace/list, unknown job, cascade delete.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../common/cluster/diagnosis';
import { keyConnection, StoreDb } from '../../../native/db/connection';
import { migrate, MIGRATIONS, schemaVersion } from '../../../native/db/migrations';
import { diagnosisOps } from '../../../native/db/ops/job-diagnoses';
import { Sqlite } from '../../../native/db/sqlite';

const dir = mkdtempSync(join(tmpdir(), 'evolve-mig10-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const diag = (cls: Diagnosis['class'], summary: string): Diagnosis => ({
  class: cls,
  confidence: 0.9,
  summary,
  evidence: [{ line: 3, text: 'OSError: [Errno 28] No space left on device' }],
  location: null,
  fixes: [{ kind: 'free-disk', label: 'Free disk', keepLast: 1 }],
  explanation: null,
});

describe('migration 010 job diagnoses', () => {
  it('stores one diagnosis per attempt, replaces on re-run, refuses unknown jobs and cascades with the job', () => {
    const d = new Sqlite(join(dir, 'm.db'));
    keyConnection(d, 'cd'.repeat(32));
    d.pragma('foreign_keys = ON');
    migrate(d, MIGRATIONS, 9);
    expect(migrate(d, MIGRATIONS, 10)).toEqual([10]);
    expect(schemaVersion(d)).toBe(10);
    d.exec(
      `INSERT INTO jobs (id, cluster_profile_id, entrypoint, status, submitted_at, metadata) VALUES ('j1', NULL, 'x', 'FAILED', 1, 'null')`,
    );
    const store = new StoreDb(d, { slowQueryMs: 1e9 });
    const ops = diagnosisOps(() => store);
    ops['diagnosis.put']({ jobId: 'j1', submissionId: 'evolve-j1-a1', diagnosis: diag('disk-full', 'first'), createdAt: 10 });
    ops['diagnosis.put']({ jobId: 'j1', submissionId: 'evolve-j1-a2', diagnosis: diag('node-lost', 'second'), createdAt: 20 });
    ops['diagnosis.put']({ jobId: 'j1', submissionId: 'evolve-j1-a1', diagnosis: diag('disk-full', 'first, re-run'), createdAt: 30 });
    const list = ops['diagnosis.list']({ jobId: 'j1' });
    expect(list.map((x) => [x.submissionId, x.diagnosis.summary])).toEqual([
      ['evolve-j1-a1', 'first, re-run'],
      ['evolve-j1-a2', 'second'],
    ]);
    expect(list[0]?.diagnosis).toEqual(diag('disk-full', 'first, re-run'));
    expect(() => ops['diagnosis.put']({ jobId: 'nope', submissionId: 's', diagnosis: diag('unknown', 'x'), createdAt: 1 })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    // Malformed JSON never gets in; a row of another shape is skipped on read, not fatal.
    expect(() =>
      d.exec(`INSERT INTO job_diagnoses (job_id, submission_id, class, diagnosis, created_at) VALUES ('j1', 'bad', 'x', '{oops', 1)`),
    ).toThrow(/CHECK/);
    d.exec(
      `INSERT INTO job_diagnoses (job_id, submission_id, class, diagnosis, created_at) VALUES ('j1', 'old', 'x', '{"class":"gone"}', 1)`,
    );
    expect(ops['diagnosis.list']({ jobId: 'j1' })).toHaveLength(2);
    d.exec(`DELETE FROM jobs WHERE id = 'j1'`);
    expect((d.prepare('SELECT count(*) AS n FROM job_diagnoses').get() as { n: number }).n).toBe(0);
    store.close();
  });
});
