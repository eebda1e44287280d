// Job logs on the real encrypted store (real DB worker, SQLCipher, passphrase keychain) through the real dispatcher:
// search finds a line from a job whose cluster profile was removed, with context and highlights, paged; bad queries
// are typed INVALID_ARGUMENT; deleting a job is audited and leaves no index rows; retention removes old and surplus
// finished jobs (never a running one) with an audit row of counts; an export round-trips the stored job.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../common/cluster/job';
import { LaunchOptionsSchema, TrainingConfigSchema } from '../../../common/cluster/training-config';
import type { JobExportResult, JobLogSearchResult } from '../../../common/contracts/job-logs';
import type { Result } from '../../../common/result';
import type { JobLogDeletion } from '../../../common/store/job-log-requests';
import { parseJobExport } from '../../../main/services/cluster/job-logs/export';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

const DAY = 86_400_000;
const NOW = Date.now();
let t: TempServices;

function record(id: string, over: Partial<JobRecord>): JobRecord {
  const submittedAt = over.createdAt ?? NOW;
  return {
    id,
    profileId: 'lab',
    name: id,
    config: TrainingConfigSchema.parse({}),
    launch: LaunchOptionsSchema.parse({}),
    packageUri: 'gcs://_ray_pkg_0123456789abcdef.zip',
    entrypoint: 'python ray_launch.py',
    status: 'FAILED',
    attempts: [
      {
        submissionId: `${id}-s1`,
        status: over.status ?? 'FAILED',
        message: null,
        resumed: false,
        reason: 'initial',
        submittedAt,
        endedAt: submittedAt + 1000,
      },
    ],
    restarts: 0,
    maxRestarts: 0,
    lastCheckpointStep: null,
    createdAt: submittedAt,
    updatedAt: submittedAt,
    ...over,
  };
}

async function call<T>(channel: string, input: unknown): Promise<Result<T>> {
  return (await t.dispatcher.call(`evolve:jobLogs.${channel}`, input, ctx())) as Result<T>;
}
async function ok<T>(channel: string, input: unknown): Promise<T> {
  const r = await call<T>(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const search = (query: string, extra: object = {}) => ok<JobLogSearchResult>('search', { query, ...extra });
const stats = () => t.services.store.client.call('jobLog.stats', {});

const OOM_LOG = [
  '{"evolve_event":"launch","ts":1,"world_size":2}',
  '{"evolve_metric":1,"step":1,"loss":2.5,"lr":0.001}',
  'epoch 0 step 1 ok',
  'Traceback (most recent call last):',
  '  File "train.py", line 42, in forward',
  'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB',
  'worker exited with code 1',
].join('\n');

beforeAll(async () => {
  t = await startTempServices();
  const cluster = t.services.cluster;
  await cluster.upsertProfile(
    { id: 'lab', name: 'GPU lab', dashboardUrl: 'http://127.0.0.1:9', tls: { insecure: false } } as Parameters<
      typeof cluster.upsertProfile
    >[0],
    undefined,
  );
  const repo = cluster.repo;
  // gone-cluster: the OOM job; old-ok: finished 40 days ago; many-*: filler jobs; running: never deleted.
  await repo.save(record('oom-job', { name: 'llama finetune', createdAt: NOW - 2 * DAY }));
  await repo.putAttemptOutput('oom-job', 'oom-job-s1', { log: OOM_LOG, metrics: [] });
  await repo.save(record('old-ok', { status: 'SUCCEEDED', createdAt: NOW - 40 * DAY }));
  await repo.putAttemptOutput('old-ok', 'old-ok-s1', { log: 'step 1 loss 1.0\nCUDA out of memory (old, recovered)\ndone', metrics: [] });
  for (let i = 0; i < 3; i++) {
    await repo.save(record(`many-${i}`, { createdAt: NOW - (10 + i) * DAY }));
    await repo.putAttemptOutput(`many-${i}`, `many-${i}-s1`, { log: `filler ${i}\nnothing to see`, metrics: [] });
  }
  await repo.save(record('running', { status: 'RUNNING', createdAt: NOW - 60 * DAY }));
  await repo.putAttemptOutput('running', 'running-s1', { log: 'still running, CUDA fine', metrics: [] });
  // The cluster profile is removed: its jobs' history must stay searchable.
  expect(await cluster.removeProfile('lab')).toBe(true);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

describe('job log search on the encrypted store', () => {
  it('finds a line from a removed cluster’s job, with context, highlights and paging', async () => {
    const r = await search('"out of memory" torch*');
    expect(r.total).toBe(1);
    const hit = r.hits[0];
    expect(hit).toMatchObject({ jobId: 'oom-job', jobName: 'llama finetune', submissionId: 'oom-job-s1', line: 6 });
    expect(hit?.profile).toEqual({ id: 'lab', name: 'GPU lab', deleted: true });
    expect(hit?.before).toEqual(['Traceback (most recent call last):', '  File "train.py", line 42, in forward']);
    expect(hit?.after).toEqual(['worker exited with code 1']);
    const marked = hit?.highlights.map(([a, b]) => hit.text.slice(a, b));
    expect(marked).toEqual(['torch', 'out of memory']);

    // Punctuated text is a phrase of its parts; the latest stored log first; paging moves through the same list.
    expect((await search('train.py')).hits.map((h) => h.line)).toEqual([5]);
    const all = await search('CUDA', { limit: 1 });
    expect(all.total).toBe(3);
    expect(all.hits.map((h) => h.jobId)).toEqual(['running']);
    const page2 = await search('CUDA', { limit: 2, offset: 1 });
    expect(page2.hits.map((h) => h.jobId)).toEqual(['old-ok', 'oom-job']);
    // Within one log, the last lines come first.
    expect((await search('step OR worker', { jobId: 'oom-job' })).hits.map((h) => h.line)).toEqual([7, 3, 2]);
    expect((await search('CUDA -recovered -fine')).hits.map((h) => h.jobId)).toEqual(['oom-job']);
    expect((await search('filler OR recovered')).total).toBe(4);
    expect((await search('CUDA', { jobId: 'old-ok' })).hits.map((h) => h.line)).toEqual([2]);
  });

  it('answers a malformed query with a typed INVALID_ARGUMENT, never an SQL error', async () => {
    for (const q of ['"unclosed', '-only -negative', 'OR cuda', 'cuda OR', '   ', '"  "', '*:']) {
      const r = await call('search', { query: q });
      expect(r.ok, q).toBe(false);
      if (!r.ok) {
        expect(r.error.code, q).toBe('INVALID_ARGUMENT');
        expect(r.error.message, q).not.toMatch(/sqlite|fts5|syntax error near/i);
      }
    }
  });

  it('exports one job as one versioned file that round-trips', async () => {
    const file = path.join(t.root, 'exports', 'oom.evolve-job.json');
    const r = (await t.services.jobLogs.export('oom-job', { path: file })) as JobExportResult;
    expect(r.kind).toBe('saved');
    const doc = parseJobExport(fs.readFileSync(file, 'utf8'));
    expect(doc.version).toBe(1);
    expect(doc.job).toEqual(await t.services.cluster.repo.get('oom-job'));
    expect(doc.logs).toEqual([{ submissionId: 'oom-job-s1', log: OOM_LOG }]);
    expect(doc.events.map((e) => e.event.name)).toEqual(['launch']);
    expect(doc.profile).toEqual({ id: 'lab', name: 'GPU lab', deleted: true });
    expect(doc.extras).toEqual({ diagnoses: [] }); // the app's services add the job's stored diagnoses
    expect(fs.readdirSync(path.dirname(file))).toEqual(['oom.evolve-job.json']); // no temp file left behind
    // The browser host has no save dialog: the page gets the same document to download.
    const dl = await ok<JobExportResult>('export', { jobId: 'oom-job' });
    expect(dl.kind).toBe('download');
    if (dl.kind === 'download') expect(parseJobExport(dl.content).logs).toEqual(doc.logs);
    expect((await call('export', { jobId: 'no-such-job' })).ok).toBe(false);
    expect(() => parseJobExport('{"format":"something else"}')).toThrow(/Not a job export/);
  });

  it('deletes one job’s history, audited, leaving no index rows; a running job is refused', async () => {
    const before = await stats();
    const d = await ok<JobLogDeletion>('deleteJob', { jobId: 'many-2' });
    expect(d).toEqual({ jobs: 1, jobIds: ['many-2'], logChunks: 1, logLines: 2 });
    const after = await stats();
    expect(after.lines).toBe(before.lines - 2);
    expect(after.ftsRows).toBe(after.lines);
    expect((await search('filler')).hits.map((h) => h.jobId)).toEqual(['many-1', 'many-0']);
    const audit = await t.services.store.client.call('audit.list', { kinds: ['cluster.history-delete'], limit: 10 });
    expect(audit.map((a) => a.data)).toEqual([expect.objectContaining({ jobId: 'many-2', data: { logChunks: 1, logLines: 2 } })]);
    const running = await call('deleteJob', { jobId: 'running' });
    expect(!running.ok && running.error.code).toBe('CONFLICT');
    const missing = await call('deleteJob', { jobId: 'many-2' });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND');
  });

  it('applies retention: old and surplus finished jobs go with their index rows, running ones stay, counts audited', async () => {
    const set = await ok<{ policy: unknown; removed: JobLogDeletion }>('setRetention', { keepDays: 30, keepNewest: 2 });
    // Newest first: oom-job, many-0, many-1, old-ok, running — keep 2 newest; old-ok is also past 30 days; running stays.
    expect(set.removed.jobIds.sort()).toEqual(['many-1', 'old-ok']);
    expect(await ok('retention', {})).toEqual({ keepDays: 30, keepNewest: 2 });
    expect((await t.services.settings.get()).jobHistoryRetention).toEqual({ keepDays: 30, keepNewest: 2 });
    const s = await stats();
    expect(s.jobs).toBe(3);
    expect(s.ftsRows).toBe(s.lines);
    expect((await search('CUDA')).hits.map((h) => h.jobId)).toEqual(['running', 'oom-job']);
    const audit = await t.services.store.client.call('audit.list', { kinds: ['cluster.history-retention'], limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({ data: { jobs: 2, logChunks: 2, logLines: 5, keepDays: 30, keepNewest: 2 } });
    // Nothing left to remove: a second sweep is a no-op and writes no audit row.
    await t.services.jobLogs.scheduler.runOnce();
    expect(await t.services.store.client.call('audit.list', { kinds: ['cluster.history-retention'], limit: 10 })).toHaveLength(1);
    const badPolicy = await call('setRetention', { keepDays: -1, keepNewest: 0 });
    expect(!badPolicy.ok && badPolicy.error.code).toBe('INVALID_ARGUMENT');
  });
});
