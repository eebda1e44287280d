// Monitoring pieces that need no server: range → step plans, PromQL per metric, alert matchers, the unconfigured state.
import { describe, expect, it } from 'vitest';
import { NODE_METRICS, TIME_RANGES } from '../../../common/cluster/monitoring';
import { matchersForAlert } from '../../../main/services/cluster/alertmanager-client';
import { MonitoringService } from '../../../main/services/cluster/monitoring-service';
import { nodeQuery } from '../../../main/services/cluster/node-queries';
import { RANGE_PLAN, rateWindow } from '../../../main/services/cluster/prometheus-client';

describe('monitoring', () => {
  it('every range gives 60–150 points per series', () => {
    for (const r of TIME_RANGES) {
      const { seconds, step } = RANGE_PLAN[r];
      expect(seconds / step).toBeGreaterThanOrEqual(60);
      expect(seconds / step).toBeLessThanOrEqual(150);
    }
    expect(rateWindow(15)).toBe('60s');
    expect(rateWindow(600)).toBe('1200s');
  });

  it('node charts use node-exporter names and GPU charts use DCGM names', () => {
    expect(nodeQuery('cpu', '60s')).toContain('node_cpu_seconds_total{mode="idle"}[60s]');
    expect(nodeQuery('memory', '60s')).toContain('node_memory_MemAvailable_bytes');
    expect(nodeQuery('disk', '60s')).toContain('node_filesystem_avail_bytes');
    expect(nodeQuery('network_rx', '60s')).toContain('node_network_receive_bytes_total');
    expect(nodeQuery('gpu_util', '60s')).toContain('DCGM_FI_DEV_GPU_UTIL');
    expect(nodeQuery('gpu_temp', '60s')).toContain('DCGM_FI_DEV_GPU_TEMP');
    expect(nodeQuery('gpu_mem', '60s')).toContain('DCGM_FI_DEV_FB_USED');
    for (const m of NODE_METRICS) expect(nodeQuery(m, '60s')).toMatch(/by \((instance|Hostname, gpu)\)/);
  });

  it('acknowledging silences exactly the alert: one equality matcher per label', () => {
    expect(matchersForAlert({ labels: { instance: 'n1:9100', alertname: 'NodeDown' } })).toEqual([
      { name: 'alertname', value: 'NodeDown', isRegex: false, isEqual: true },
      { name: 'instance', value: 'n1:9100', isRegex: false, isEqual: true },
    ]);
  });

  it('a profile without Prometheus/Alertmanager URLs is degraded with a reason, not an error', async () => {
    const s = new MonitoringService({});
    expect(await s.nodeMetric('cpu', '1h')).toEqual({
      status: 'degraded',
      source: 'prometheus',
      reason: 'No Prometheus URL in this cluster profile',
    });
    expect(await s.alerts()).toMatchObject({ status: 'degraded', source: 'alertmanager' });
    await expect(s.acknowledge({ labels: { a: 'b' } }, { minutes: 5 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('unknown ranges and metrics are INVALID_ARGUMENT', () => {
    const s = new MonitoringService({});
    expect(() => s.nodeMetric('cpu', '2d' as never)).toThrow(/Unknown time range/);
    expect(() => s.nodeMetric('temperature' as never, '1h')).toThrow(/Unknown node metric/);
  });
});
