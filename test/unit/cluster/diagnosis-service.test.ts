// DiagnosisService with the real rules, fixes and apply path over an in-memory Ray, store and job service: automatic
// diagnosis of a FAILED attempt, the stored-log fallback, the explanation step, and only-offered fixes being applied.
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../../common/cluster/job';
import type { JobSubmitRequest, RayJob, RayNode } from '../../../common/cluster/ray';
import { TrainingConfigSchema, LaunchOptionsSchema } from '../../../common/cluster/training-config';
import type { StoredDiagnosis } from '../../../common/store/diagnosis-requests';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { collectEvidence, relevantNodes, splitLog } from '../../../main/services/cluster/diagnosis/collect-evidence';
import { DiagnosisService, type DiagnosisCluster } from '../../../main/services/cluster/diagnosis/diagnosis-service';
import { cleanExplanation, explainMessages, modelExplainer } from '../../../main/services/cluster/diagnosis/explain';
import { suggestFixes } from '../../../main/services/cluster/diagnosis/fixes';
import type { SubmitTrainingInput } from '../../../main/services/cluster/job-service';

const OOM_LOG = [
  '{"evolve_event":"launch","nodes":["10.0.0.1","10.0.0.2"],"world_size":2,"ts":1}',
  '{"evolve_event":"checkpoint","step":40,"path":"/ckpt/run/ckpt-00000040.pt","ts":2}',
  '[node 1] ray.exceptions.OutOfMemoryError: Task was killed due to the node running low on memory.',
  '{"evolve_event":"failed","reason":"trainer exited with an error","lost_nodes":[],"exit_codes":{"1":-9},"ts":3}',
].join('\n');

function record(over: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-1',
    profileId: 'p1',
    name: 'run',
    config: TrainingConfigSchema.parse({ batch_size: 32, grad_accum_steps: 1, checkpoint_dir: '/ckpt/run', checkpoint_every: 10 }),
    launch: LaunchOptionsSchema.parse({ numNodes: 2 }),
    packageUri: 'gcs://_ray_pkg_0123456789abcdef.zip',
    entrypoint: 'python ray_launch.py',
    status: 'FAILED',
    attempts: [
      {
        submissionId: 'evolve-job-1-a1',
        status: 'FAILED',
        message: 'exit code 1',
        resumed: false,
        reason: 'initial',
        submittedAt: 1000,
        endedAt: 5000,
      },
    ],
    restarts: 0,
    maxRestarts: 2,
    lastCheckpointStep: 40,
    createdAt: 1000,
    updatedAt: 5000,
    ...over,
  };
}

const node = (id: string, state: 'ALIVE' | 'DEAD', end?: number, msg?: string): RayNode => ({
  node_id: id,
  node_ip: '10.0.0.1',
  is_head_node: false,
  state,
  state_message: msg ?? null,
  resources_total: {},
  end_time_ms: end ?? null,
});

class FakeRay {
  submitted: JobSubmitRequest[] = [];
  logs = new Map<string, string>([['evolve-job-1-a1', OOM_LOG]]);
  nodes: RayNode[] = [node('a', 'ALIVE'), node('b', 'ALIVE')];
  down = false;
  async getJob(id: string): Promise<RayJob> {
    if (this.down) throw new Error('connection refused');
    if (id.includes('-prune-')) return { status: 'SUCCEEDED', entrypoint: 'python -c …', submission_id: id };
    return {
      status: 'FAILED',
      entrypoint: 'x',
      submission_id: id,
      message: 'Job entrypoint command failed with exit code 1',
      start_time: 1_000_000,
      end_time: 1_500_000,
    };
  }
  async getJobLogs(id: string): Promise<string> {
    if (this.down) throw new Error('connection refused');
    return this.logs.get(id) ?? '';
  }
  async listNodes(): Promise<RayNode[]> {
    if (this.down) throw new Error('connection refused');
    return this.nodes;
  }
  async submitJob(req: JobSubmitRequest) {
    this.submitted.push(req);
    this.logs.set(
      req.submission_id ?? '',
      '{"evolve_event": "checkpoint_removed", "step": 10, "path": "/ckpt/run/ckpt-00000010.pt", "reason": "older"}\n' +
        '{"evolve_event": "checkpoint_removed", "step": 20, "path": "/ckpt/run/ckpt-00000020.pt", "reason": "older"}',
    );
    return { submissionId: req.submission_id ?? '' };
  }
}

function harness(opts: { job?: JobRecord; explain?: (text: string | null) => Promise<string | null> } = {}) {
  const ray = new FakeRay();
  let job = opts.job ?? record();
  const rows = new Map<string, StoredDiagnosis>();
  const calls: string[] = [];
  const submitted: SubmitTrainingInput[] = [];
  const audit = new MemoryAuditSink();
  const logs: string[] = [];
  const cluster: DiagnosisCluster = {
    job: async () => job,
    storedLog: async () => 'stored: OSError: [Errno 28] No space left on device',
    clients: async () => {
      if (ray.down) throw new Error('profile removed');
      return {
        ray,
        jobs: {
          get: async () => job,
          resume: async (id) => {
            calls.push(`resume ${id}`);
            return (job = {
              ...job,
              attempts: [...job.attempts, { ...job.attempts[0]!, submissionId: 'evolve-job-1-a2', status: 'PENDING' }],
            });
          },
          submitTraining: async (input) => {
            submitted.push(input);
            return { ...job, id: 'job-2' };
          },
        },
      };
    },
    follow: (_p, id) => calls.push(`follow ${id}`),
  };
  const svc = new DiagnosisService({
    store: {
      put: async (d) => void rows.set(d.submissionId, structuredClone(d)),
      list: async (jobId) => [...rows.values()].filter((r) => r.jobId === jobId).sort((a, b) => b.createdAt - a.createdAt),
    },
    cluster,
    audit,
    explain: opts.explain ? (d) => opts.explain!(d.summary) : undefined,
    log: (_l, m) => void logs.push(m),
  });
  return { svc, ray, rows, calls, submitted, audit, logs, setJob: (j: JobRecord) => (job = j) };
}

describe('DiagnosisService', () => {
  it('diagnoses a FAILED attempt on its status event, stores it with fixes, and get returns it', async () => {
    const h = harness();
    h.svc.onJobStatus(record());
    h.svc.onJobStatus(record()); // the same attempt twice: one diagnosis
    await h.svc.settled();
    expect(h.rows.size).toBe(1);
    const v = await h.svc.get('job-1');
    expect(v?.diagnosis.class).toBe('host-oom');
    expect(v?.diagnosis.evidence[0]).toEqual({ line: 2, text: expect.stringContaining('running low on memory') });
    expect(v?.diagnosis.fixes.map((f) => f.kind)).toEqual(['smaller-batch', 'resume']);
    expect(v?.diagnosis.fixes[0]).toMatchObject({ batchSize: 16, gradAccumulation: 2 });
    expect(v?.diagnosis.explanation).toBeNull();
    expect(await h.svc.summaryFor('job-1', 'evolve-job-1-a1')).toMatch(/^Diagnosis: A node ran out of memory/);
  });

  it('a running or succeeded job has nothing to diagnose', async () => {
    const h = harness({ job: record({ status: 'RUNNING', attempts: [{ ...record().attempts[0]!, status: 'RUNNING' }] }) });
    h.svc.onJobStatus(record({ attempts: [{ ...record().attempts[0]!, status: 'RUNNING' }] }));
    expect(await h.svc.get('job-1')).toBeNull();
    await expect(h.svc.run('job-1')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(h.rows.size).toBe(0);
  });

  it('with the cluster gone, the stored log still gives a diagnosis and the gap is logged', async () => {
    const h = harness();
    h.ray.down = true;
    const v = await h.svc.get('job-1');
    expect(v?.diagnosis.class).toBe('disk-full');
    expect(v?.diagnosis.evidence[0]?.line).toBe(0);
    expect(h.logs.join('\n')).toMatch(/without cluster clients: profile removed/);
  });

  it('asks the model only when someone looks, stores its explanation after the rules, keeps null when it gives none', async () => {
    let asked = 0;
    const h = harness({ explain: async (s) => (asked++, `Explained: ${s}`) });
    // The automatic path (a status event) and a plain get never start the model.
    h.svc.onJobStatus(record());
    await h.svc.get('job-1');
    await h.svc.settled();
    expect(asked).toBe(0);
    const first = await h.svc.get('job-1', { explain: true });
    expect(first?.explaining).toBe(true);
    await h.svc.settled();
    expect((await h.svc.get('job-1', { explain: true }))?.diagnosis.explanation).toMatch(/^Explained: A node ran out of memory/);
    expect(asked).toBe(1);
    let none = 0;
    const n = harness({ explain: async () => (none++, null) });
    await n.svc.get('job-1', { explain: true });
    await n.svc.settled();
    expect((await n.svc.get('job-1', { explain: true }))?.diagnosis.explanation).toBeNull();
    await n.svc.settled();
    expect(none).toBe(1); // a null answer is not asked again on every view
    await n.svc.run('job-1');
    await n.svc.settled();
    expect(none).toBe(2); // …but a re-run asks again
  });

  it('applies only offered fixes: smaller batch is a new job in its own checkpoint folder, audited', async () => {
    const h = harness();
    const v = await h.svc.get('job-1');
    const fix = v!.diagnosis.fixes[0]!;
    const out = await h.svc.applyFix('job-1', fix);
    expect(out).toMatchObject({ jobId: 'job-2', newJob: true });
    const cfg = h.submitted[0]?.config as Record<string, unknown>;
    expect(cfg).toMatchObject({ batch_size: 16, grad_accum_steps: 2, checkpoint_dir: '/ckpt/run-b16x2', resume_from: null });
    expect(h.calls).toEqual(['follow job-2']);
    expect(h.audit.entries.at(-1)).toMatchObject({
      kind: 'cluster.diagnosis-fix',
      jobId: 'job-1',
      data: { fix: 'smaller-batch', resultJobId: 'job-2' },
    });
    // A fix the diagnosis does not offer (or with other numbers) is refused before anything is submitted.
    await expect(h.svc.applyFix('job-1', { kind: 'smaller-batch', label: 'x', batchSize: 8, gradAccumulation: 4 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(h.svc.applyFix('job-1', { kind: 'fewer-nodes', label: 'x', numWorkers: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(h.svc.applyFix('job-1', { kind: 'bogus' })).rejects.toThrow();
    expect(h.submitted).toHaveLength(1);
  });

  it('resume is a new attempt of the same job', async () => {
    const h = harness();
    const v = await h.svc.get('job-1');
    const out = await h.svc.applyFix(
      'job-1',
      v!.diagnosis.fixes.find((f) => f.kind === 'resume'),
    );
    expect(out).toMatchObject({ jobId: 'job-1', newJob: false, detail: 'resumed as attempt 2' });
    expect(h.calls).toEqual(['resume job-1', 'follow job-1']);
  });

  it('free disk runs the prune job in the job working dir, counts the removals, then resumes', async () => {
    const h = harness();
    h.ray.logs.set('evolve-job-1-a1', 'OSError: [Errno 28] No space left on device');
    const v = await h.svc.get('job-1');
    expect(v?.diagnosis.class).toBe('disk-full');
    const fix = v!.diagnosis.fixes[0]!;
    expect(fix).toMatchObject({ kind: 'free-disk', keepLast: 2 });
    const out = await h.svc.applyFix('job-1', fix);
    expect(h.ray.submitted[0]?.runtime_env?.working_dir).toBe('gcs://_ray_pkg_0123456789abcdef.zip');
    expect(h.ray.submitted[0]?.entrypoint).toMatch(/^python -c '.*from evolve_training\.checkpoint import prune.*' '\/ckpt\/run' 2 1$/s);
    expect(out.detail).toBe('removed 2 checkpoint file(s), resumed as attempt 2');
  });
});

describe('suggestFixes', () => {
  const job = record();
  it('node-lost: resume, and fewer nodes only when fewer are alive', () => {
    expect(suggestFixes('node-lost', { job, aliveNodes: 2 }).map((f) => f.kind)).toEqual(['resume']);
    expect(suggestFixes('node-lost', { job, aliveNodes: 1 })).toEqual([
      { kind: 'resume', label: 'Resume from checkpoint (step 40)' },
      { kind: 'fewer-nodes', label: 'Retry on 1 node (of 2)', numWorkers: 1 },
    ]);
  });
  it('no batch fix for an odd batch or a pipeline batch that would not divide; nothing for a bug in the code', () => {
    const odd = record({ config: { ...job.config, batch_size: 7 } });
    expect(suggestFixes('cuda-oom', { job: odd, aliveNodes: null })).toEqual([]);
    const pipe = record({ config: { ...job.config, strategy: 'pipeline', batch_size: 8, pipeline_microbatches: 8 } });
    expect(suggestFixes('cuda-oom', { job: pipe, aliveNodes: null })).toEqual([]);
    expect(suggestFixes('python-exception', { job, aliveNodes: 2 })).toEqual([]);
    expect(suggestFixes('bad-config', { job, aliveNodes: 2 }).map((f) => f.kind)).toEqual(['edit-config']);
    const noCkpt = record({ config: { ...job.config, checkpoint_dir: null, checkpoint_every: 0 }, lastCheckpointStep: null });
    expect(suggestFixes('disk-full', { job: noCkpt, aliveNodes: 2 })).toEqual([]);
    expect(suggestFixes('host-oom', { job: noCkpt, aliveNodes: 2 }).map((f) => f.kind)).toEqual(['smaller-batch']);
  });
});

describe('fewer nodes keeps the world size when it can, so the checkpoint resumes', () => {
  it('2 nodes × 1 → 1 node × 2 trainers, resume_from auto in the same folder', async () => {
    const h = harness();
    h.ray.nodes = [node('a', 'ALIVE'), node('b', 'DEAD', 1_200_000, 'Unexpected termination: health check failed')];
    const v = await h.svc.get('job-1');
    expect(v?.diagnosis.class).toBe('host-oom'); // the memory monitor's line is the stronger marker
    const h2 = harness();
    h2.ray.nodes = h.ray.nodes;
    h2.ray.logs.set('evolve-job-1-a1', '{"evolve_event":"failed","reason":"node lost","lost_nodes":[1],"exit_codes":{},"ts":3}');
    const d = await h2.svc.get('job-1');
    expect(d?.diagnosis.class).toBe('node-lost');
    const fewer = d!.diagnosis.fixes.find((f) => f.kind === 'fewer-nodes');
    await h2.svc.applyFix('job-1', fewer);
    expect(h2.submitted[0]?.launch).toMatchObject({ numNodes: 1, nprocPerNode: 2, cpusPerNode: 2 });
    expect(h2.submitted[0]?.config).toMatchObject({ checkpoint_dir: '/ckpt/run', resume_from: 'auto' });
  });
});

describe('collectEvidence', () => {
  it('keeps alive nodes and nodes that died during the job, not an older death; tail and events from the log', async () => {
    const nodes = [node('a', 'ALIVE'), node('old', 'DEAD', 100), node('new', 'DEAD', 1_200_000, 'killed'), node('undated', 'DEAD')];
    expect(relevantNodes(nodes, 1_000_000, 1_500_000).map((n) => n.nodeId)).toEqual(['a', 'new']);
    const ray = new FakeRay();
    ray.nodes = nodes;
    const e = await collectEvidence(ray, 'evolve-job-1-a1', { tailLines: 2 });
    expect(e.logTail).toHaveLength(2);
    expect(e.events.map((x) => x.name)).toEqual(['launch', 'checkpoint', 'failed']);
    expect(e.nodes.map((n) => [n.nodeId, n.alive, n.deathReason])).toEqual([
      ['a', true, null],
      ['new', false, 'killed'],
    ]);
    expect(splitLog('a\r\nprogress 10%\rprogress 100%\n')).toEqual(['a', 'progress 100%']);
  });

  it('queries node metrics around the end time and reports what failed', async () => {
    const gaps: string[] = [];
    const ranges: { start: number; end: number }[] = [];
    const e = await collectEvidence(new FakeRay(), 'evolve-job-1-a1', {
      prometheus: {
        queryRange: async (expr, range) => {
          ranges.push(range);
          if (expr.includes('oom_kill')) throw new Error('bad gateway');
          return [{ label: 'n1:9100', labels: { instance: 'n1:9100' }, points: [{ t: range.start, v: 1 }] }];
        },
      },
      onGap: (what, why) => gaps.push(`${what}: ${why}`),
    });
    expect(e.metrics.map((m) => m.name)).toEqual(['memory_available_bytes', 'memory_available_ratio', 'disk_free_bytes']);
    expect(ranges[0]).toMatchObject({ start: 1500 - 600, end: 1500 + 60 });
    expect(gaps).toEqual(['metric oom_kills: bad gateway']);
  });
});

describe('explain', () => {
  it('keeps at most 3 sentences of prose, without fences or list markers', () => {
    expect(cleanExplanation('- The node ran out of memory. It was killed.\n```\ncode\n```\nTry a smaller batch. Extra one.')).toBe(
      'The node ran out of memory. It was killed. Try a smaller batch.',
    );
    expect(cleanExplanation('```\nonly code\n```')).toBeNull();
    // Seen with the real 0.5B: a decimal is not a sentence end, and a fragment cut by the token cap is dropped.
    expect(cleanExplanation('It tried to allocate 2.00 GiB in train.py on GPU 0. Halve the batch. The engineer ran out of')).toBe(
      'It tried to allocate 2.00 GiB in train.py on GPU 0. Halve the batch.',
    );
  });
  it('the prompt carries the rules verdict, the evidence with 1-based line numbers and the fixes', () => {
    const m = explainMessages(
      {
        class: 'cuda-oom',
        confidence: 0.95,
        summary: 'A GPU ran out of memory.',
        evidence: [{ line: 6, text: 'torch.OutOfMemoryError: CUDA out of memory.' }],
        location: { file: 'train.py', line: 12 },
        fixes: [{ kind: 'smaller-batch', label: 'Retry with batch 16', batchSize: 16, gradAccumulation: 2 }],
        explanation: null,
      },
      'run-1',
    );
    expect(m[1]?.content).toContain('line 7: torch.OutOfMemoryError');
    expect(m[1]?.content).toContain('Location: train.py:12');
    expect(m[1]?.content).toContain('Fixes the app offers: Retry with batch 16');
  });
  it('no model installed: null and the reason logged; a slow model is cut by the timeout', async () => {
    const logs: string[] = [];
    const d = { class: 'unknown' as const, confidence: 0, summary: 's', evidence: [], location: null, fixes: [], explanation: null };
    const none = modelExplainer({
      model: async () => Promise.reject(new Error('No coding model is installed')),
      log: (_l, m) => void logs.push(m),
    });
    expect(await none(d, { jobName: 'j' })).toBeNull();
    const slow = modelExplainer({
      timeoutMs: 50,
      model: async () => ({
        complete: (_m, o) =>
          new Promise((_res, rej) => o.signal?.addEventListener('abort', () => rej(new Error('aborted')), { once: true })),
      }),
      log: (_l, m) => void logs.push(m),
    });
    expect(await slow(d, { jobName: 'j' })).toBeNull();
    expect(logs).toEqual([expect.stringContaining('No coding model is installed'), expect.stringContaining('no answer within 50 ms')]);
  });
});
