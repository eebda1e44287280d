// Worker handlers of failed-job diagnoses: put (insert or replace per job + submission) and list per job.
import { EvolveError } from '../../../common/errors';
import { DiagnosisSchema } from '../../../common/cluster/diagnosis';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

type Row = { job_id: string; submission_id: string; diagnosis: string; created_at: number };

export function diagnosisOps(db: () => StoreDb) {
  return {
    'diagnosis.put': (p: P<'diagnosis.put'>): R<'diagnosis.put'> => {
      try {
        if (!db().get('SELECT 1 FROM jobs WHERE id = ?', p.jobId)) throw new EvolveError('NOT_FOUND', `No job ${p.jobId} in the history`);
        db().run(
          `INSERT INTO job_diagnoses (job_id, submission_id, class, diagnosis, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (job_id, submission_id) DO UPDATE SET class = excluded.class, diagnosis = excluded.diagnosis,
             created_at = excluded.created_at`,
          p.jobId,
          p.submissionId,
          p.diagnosis.class,
          JSON.stringify(p.diagnosis),
          p.createdAt,
        );
      } catch (e) {
        throw e instanceof EvolveError ? e : fromSqlite(e, 'Saving the diagnosis');
      }
      return p;
    },
    'diagnosis.list': (p: P<'diagnosis.list'>): R<'diagnosis.list'> =>
      db()
        .all<Row>('SELECT * FROM job_diagnoses WHERE job_id = ? ORDER BY created_at DESC, submission_id DESC', p.jobId)
        .flatMap((r) => {
          // A row an older or newer build wrote in another shape is skipped rather than failing the whole list.
          const d = DiagnosisSchema.safeParse(JSON.parse(r.diagnosis));
          return d.success ? [{ jobId: r.job_id, submissionId: r.submission_id, diagnosis: d.data, createdAt: r.created_at }] : [];
        }),
  };
}
