// Per-job resources: nodes from launch events, PromQL filters, windows per attempt, merging, GPU source, degraded.
import { describe, expect, it } from 'vitest';
import type { JobAttempt, JobRecord } from '../../../common/cluster/job';
import type { MonitoringResult, Series } from '../../../common/cluster/monitoring';
import { TrainingConfigSchema, LaunchOptionsSchema } from '../../../common/cluster/training-config';
import { collectJobResources, launchNodes, resourceQueries, type RangeQuerier } from '../../../main/services/cluster/job-resources';

const launch = (nodes: unknown[]) => `noise\n{"evolve_event":"launch","nodes":${JSON.stringify(nodes)},"node_ids":["a"],"ts":1}\n`;

function attempt(id: string, submittedAt: number, endedAt: number | null, status: JobAttempt['status']): JobAttempt {
  return { submissionId: id, status, message: null, resumed: false, reason: 'initial', submittedAt, endedAt };
}

function job(attempts: JobAttempt[]): JobRecord {
  return {
    id: 'j1',
    profileId: 'p',
    name: 'j',
    config: TrainingConfigSchema.parse({}),
    launch: LaunchOptionsSchema.parse({}),
    packageUri: 'gcs://_ray_pkg_x.zip',
    entrypoint: 'python ray_launch.py',
    status: attempts.at(-1)!.status,
    attempts,
    restarts: 0,
    maxRestarts: 0,
    lastCheckpointStep: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

/** Answers like Prometheus would for the series named in `data`, and records every query it was asked. */
class FakeQuerier implements RangeQuerier {
  calls: { expr: string; start: number; end: number; step: number }[] = [];
  constructor(private readonly answer: (expr: string, start: number) => Series[] | 'down') {}
  rangeQuery(expr: string, range: { start: number; end: number; step: number }): Promise<MonitoringResult<Series[]>> {
    this.calls.push({ expr, ...range });
    const a = this.answer(expr, range.start);
    return Promise.resolve(
      a === 'down' ? { status: 'degraded', source: 'prometheus', reason: 'Prometheus is down' } : { status: 'ok', data: a },
    );
  }
}

describe('launchNodes', () => {
  it('reads the last launch event and drops anything that is not a node address', () => {
    expect(launchNodes(launch(['10.0.0.1', '10.0.0.2', '10.0.0.1']))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(launchNodes(launch(['10.0.0.1"} or vector(1) #', 7, 'fe80::1']))).toEqual(['fe80::1']);
    expect(launchNodes('no events here')).toBeNull();
    expect(launchNodes('{"evolve_event":"launch","nodes":"10.0.0.1"}')).toBeNull();
  });
});

describe('resourceQueries', () => {
  it('filters Ray metrics by ip and DCGM by scrape instance, dots escaped; no filter when the nodes are unknown', () => {
    const q = resourceQueries(['10.0.0.1', '10.0.0.2']);
    expect(q.cpu).toBe('avg by (ip) (ray_node_cpu_utilization{ip=~"10\\\\.0\\\\.0\\\\.1|10\\\\.0\\\\.0\\\\.2"})');
    expect(q.dcgmUtil).toContain('{instance=~"(10\\\\.0\\\\.0\\\\.1|10\\\\.0\\\\.0\\\\.2):[0-9]+"}');
    expect(resourceQueries(null).memory).toBe('sum by (ip) (ray_node_mem_used)');
  });
});

describe('collectJobResources', () => {
  const series = (labels: Record<string, string>, t: number[]): Series => ({ label: '', labels, points: t.map((x) => ({ t: x, v: x })) });

  it('queries each attempt over its own window and nodes, and joins a node’s points across attempts', async () => {
    const j = job([attempt('s1', 1_000_000, 1_060_000, 'FAILED'), attempt('s2', 1_100_000, 1_200_000, 'SUCCEEDED')]);
    const logs = [
      { submissionId: 's1', log: launch(['10.0.0.1', '10.0.0.2']) },
      { submissionId: 's2', log: launch(['10.0.0.1', '10.0.0.3']) },
    ];
    const q = new FakeQuerier((expr, start) => {
      if (!expr.includes('ray_node_cpu_utilization')) return [];
      return start === 1000
        ? [series({ ip: '10.0.0.1' }, [1001, 1002]), series({ ip: '10.0.0.2' }, [1001])]
        : [series({ ip: '10.0.0.1' }, [1101])];
    });
    const r = await collectJobResources({ job: j, logs, monitoring: q });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.data.attempts.map((a) => [a.start, a.end, a.nodes])).toEqual([
      [1000, 1060, ['10.0.0.1', '10.0.0.2']],
      [1100, 1200, ['10.0.0.1', '10.0.0.3']],
    ]);
    const cpuCalls = q.calls.filter((c) => c.expr.includes('cpu_utilization'));
    expect(cpuCalls.map((c) => [c.start, c.end, c.step])).toEqual([
      [1000, 1060, 1],
      [1100, 1200, 1],
    ]);
    expect(cpuCalls[1]!.expr).toContain('10\\\\.0\\\\.0\\\\.3');
    expect(r.data.metrics.cpu.map((s) => [s.label, s.points.map((p) => p.t)])).toEqual([
      ['10.0.0.1', [1001, 1002, 1101]],
      ['10.0.0.2', [1001]],
    ]);
    expect(r.data.gpuSource).toBe('none');
  });

  it('prefers DCGM GPU series, falls back to Ray GPU metrics, and keeps about 200 points for a long job', async () => {
    const j = job([attempt('s1', 0, 86_400_000, 'SUCCEEDED')]);
    const logs = [{ submissionId: 's1', log: launch(['10.0.0.1']) }];
    const dcgm = await collectJobResources({
      job: j,
      logs,
      monitoring: new FakeQuerier((e) =>
        e.includes('DCGM_FI_DEV_GPU_UTIL') ? [series({ instance: '10.0.0.1:9400', gpu: '0' }, [5])] : [],
      ),
    });
    expect(dcgm.status === 'ok' && [dcgm.data.gpuSource, dcgm.data.metrics.gpuUtil.map((s) => s.label)]).toEqual([
      'dcgm',
      ['10.0.0.1 gpu 0'],
    ]);
    const q = new FakeQuerier((e) => (e.includes('ray_node_gram_used') ? [series({ ip: '10.0.0.1', GpuIndex: '1' }, [5])] : []));
    const ray = await collectJobResources({ job: j, logs, monitoring: q });
    expect(ray.status === 'ok' && [ray.data.gpuSource, ray.data.metrics.gpuMem.map((s) => s.label)]).toEqual(['ray', ['10.0.0.1 gpu 1']]);
    expect(q.calls[0]!.step).toBe(432);
  });

  it('a running attempt takes its nodes from the live log, or shows every node until it has them', async () => {
    const j = job([attempt('s1', 5_000, null, 'RUNNING')]);
    const live = await collectJobResources({
      job: j,
      logs: [],
      monitoring: new FakeQuerier(() => []),
      liveLog: () => Promise.resolve(launch(['10.0.0.9'])),
      now: 65_000,
    });
    expect(live.status === 'ok' && live.data.attempts).toEqual([
      { submissionId: 's1', start: 5, end: 65, nodes: ['10.0.0.9'], nodesKnown: true },
    ]);
    // Learnt once: a refresh with the same cache does not fetch the live log again.
    const known = new Map<string, string[]>();
    let fetched = 0;
    const liveLog = () => {
      fetched++;
      return Promise.resolve(launch(['10.0.0.9']));
    };
    for (let i = 0; i < 2; i++)
      await collectJobResources({ job: j, logs: [], monitoring: new FakeQuerier(() => []), liveLog, known, now: 65_000 });
    expect([fetched, known.get('s1')]).toEqual([1, ['10.0.0.9']]);
    const q = new FakeQuerier(() => []);
    const unknown = await collectJobResources({
      job: j,
      logs: [],
      monitoring: q,
      liveLog: () => Promise.reject(new Error('gone')),
      now: 65_000,
    });
    expect(unknown.status === 'ok' && unknown.data.attempts[0]!.nodesKnown).toBe(false);
    expect(q.calls.find((c) => c.expr.includes('cpu'))!.expr).toBe('avg by (ip) (ray_node_cpu_utilization)');
  });

  it('an attempt that never placed its trainers asks nothing; an outage comes back degraded', async () => {
    const never = new FakeQuerier(() => []);
    const r = await collectJobResources({ job: job([attempt('s1', 0, 1000, 'FAILED')]), logs: [], monitoring: never });
    expect(r.status === 'ok' && r.data.attempts[0]).toMatchObject({ nodes: [], nodesKnown: true });
    expect(never.calls).toEqual([]);
    const down = await collectJobResources({
      job: job([attempt('s1', 0, 1000, 'SUCCEEDED')]),
      logs: [{ submissionId: 's1', log: launch(['10.0.0.1']) }],
      monitoring: new FakeQuerier(() => 'down'),
    });
    expect(down).toEqual({ status: 'degraded', source: 'prometheus', reason: 'Prometheus is down' });
  });
});
