// The job page's Resources section in each state: no Prometheus, CPU-only (no GPU metrics), GPU from DCGM, unknown nodes.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { JobResources } from '../../../../common/cluster/job-resources';
import { JobResourcesView } from '../../../../renderer/features/cluster/JobResources';

const series = (label: string, v: number[]) => ({ label, labels: { ip: label }, points: v.map((x, i) => ({ t: 1000 + i, v: x })) });

function data(over: Partial<JobResources> = {}): JobResources {
  return {
    scope: 'node',
    attempts: [{ submissionId: 's1', start: 1000, end: 1060, nodes: ['10.0.0.1', '10.0.0.2'], nodesKnown: true }],
    metrics: {
      cpu: [series('10.0.0.1', [10, 50]), series('10.0.0.2', [20, 30])],
      memory: [series('10.0.0.1', [2e9, 3e9])],
      gpuUtil: [],
      gpuMem: [],
    },
    gpuSource: 'none',
    ...over,
  };
}

const render = (s: Parameters<typeof JobResourcesView>[0]['s']) => renderToString(<JobResourcesView s={s} />).replace(/<!-- -->/g, '');

describe('job page resources', () => {
  it('says there is no Prometheus for this profile instead of empty charts', () => {
    const html = render({
      state: 'ready',
      result: { status: 'degraded', source: 'prometheus', reason: 'No Prometheus URL in this cluster profile' },
    });
    expect(html).toContain('data-testid="job-resources-degraded"');
    expect(html).toContain('No Prometheus URL in this cluster profile');
    expect(html).not.toContain('job-resources-cpu');
  });

  it('a CPU-only job shows CPU and memory per node, says it is per node and that there are no GPU metrics', () => {
    const html = render({ state: 'ready', result: { status: 'ok', data: data() } });
    expect(html).toContain('data-testid="job-resources-cpu"');
    expect(html).toContain('data-testid="job-resources-memory"');
    expect(html).not.toContain('job-resources-gpuUtil');
    expect(html).toContain('Whole-node figures for the nodes this job ran on (10.0.0.1, 10.0.0.2)');
    expect(html).toContain('No GPU metrics');
    expect(html).toContain('2.8 GiB'); // 3e9 bytes
  });

  it('shows GPU charts with their source, and says when a running attempt has not reported its nodes', () => {
    const gpu = data({
      gpuSource: 'dcgm',
      metrics: { ...data().metrics, gpuUtil: [series('10.0.0.1 gpu 0', [90])], gpuMem: [series('10.0.0.1 gpu 0', [40_000])] },
      attempts: [{ submissionId: 's1', start: 1000, end: 1060, nodes: [], nodesKnown: false }],
    });
    const html = render({ state: 'ready', result: { status: 'ok', data: gpu } });
    expect(html).toContain('data-testid="job-resources-gpuUtil"');
    expect(html).toContain('GPU figures from the DCGM exporter');
    expect(html).toContain('39.1 GiB');
    expect(html).toContain('has not reported its nodes yet');
  });

  it('shows a failed call as an error', () => {
    expect(render({ state: 'error', message: 'No job j1 in the history' })).toContain('role="alert">No job j1 in the history');
  });
});
