// One job as one file: the record (config, launch options, attempts), every attempt's log, metrics, training events
// and other features' extras, as versioned JSON — built from the store, written atomically.
import path from 'node:path';
import { parseLog } from '../../../../common/cluster/log-lines';
import { JOB_EXPORT_FORMAT, JOB_EXPORT_VERSION, JobExportSchema, type JobExport } from '../../../../common/contracts/job-logs';
import { EvolveError } from '../../../../common/errors';
import type { JobLogProfileSchema } from '../../../../common/store/job-log-requests';
import type { Json } from '../../../../common/store/rows';
import type { z } from 'zod';
import { writeJsonAtomic } from '../../json-file';
import type { JobRepository } from '../job-repository';

export interface ExportSources {
  repo: Pick<JobRepository, 'get' | 'getLogs' | 'getMetrics'>;
  profile: (profileId: string) => Promise<z.infer<typeof JobLogProfileSchema>>;
  app: { name: string; version: string };
  /** Other features' records about the job (diagnosis, resources…), keyed by feature; must be plain JSON data. */
  extras?: (jobId: string) => Promise<Record<string, unknown>>;
  now?: () => Date;
}

export async function buildJobExport(jobId: string, src: ExportSources): Promise<JobExport> {
  const job = await src.repo.get(jobId);
  if (!job) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
  const [logs, metrics, profile, extras] = await Promise.all([
    src.repo.getLogs(jobId),
    src.repo.getMetrics(jobId),
    src.profile(job.profileId),
    src.extras ? src.extras(jobId) : Promise.resolve({}),
  ]);
  const events = logs.flatMap((l) => parseLog(l.log).events.map((event) => ({ submissionId: l.submissionId, event })));
  const doc: JobExport = {
    format: JOB_EXPORT_FORMAT,
    version: JOB_EXPORT_VERSION,
    exportedAt: (src.now?.() ?? new Date()).toISOString(),
    app: src.app,
    job,
    profile,
    logs,
    metrics,
    events,
    // Plain JSON only (dates become strings, undefined fields go): what the file holds is what the schema checks.
    extras: JSON.parse(JSON.stringify(extras)) as Record<string, Json>,
  };
  // What we write is what a reader will parse: checked against the schema before it leaves the app.
  return JobExportSchema.parse(doc);
}

/** A file name from the job's name: safe on every OS, with the id so two jobs of one name never collide. */
export function exportFileName(job: { id: string; name: string }): string {
  const base =
    job.name
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'job';
  return `${base}-${job.id.slice(0, 40).replace(/[^A-Za-z0-9_-]/g, '')}.evolve-job.json`;
}

/** Writes the export atomically (temp file, fsync, rename); returns its size. */
export async function writeJobExport(file: string, doc: JobExport): Promise<number> {
  if (!path.isAbsolute(file)) throw new EvolveError('INVALID_ARGUMENT', 'The export path must be absolute');
  await writeJsonAtomic(file, doc);
  return Buffer.byteLength(JSON.stringify(doc, null, 2));
}

/** Reads an export back (the round trip the tests check, and what an import would use). */
export function parseJobExport(text: string): JobExport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EvolveError('INVALID_ARGUMENT', 'Not a job export: the file is not JSON');
  }
  const r = JobExportSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new EvolveError('INVALID_ARGUMENT', `Not a job export${i?.path.length ? ` (at ${i.path.join('.')})` : ''}: ${i?.message ?? ''}`);
  }
  return r.data;
}
