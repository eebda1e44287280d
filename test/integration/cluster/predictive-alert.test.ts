// Real Prometheus + node-exporter (textfile collector) + Alertmanager: a synthetic disk losing space fires the shipped
// NodeDiskFullIn4h rule, pending then firing, hours before the disk is full; the Ops tab's alert list carries "in ~N h";
// Alertmanager's inhibit rule mutes the 24 h warning for that filesystem; a leaking machine's memory alert goes pending.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../../../main/services/cluster/alertmanager-client';
import { MemoryAuditSink } from '../../../main/services/cluster/audit';
import { MonitoringService } from '../../../main/services/cluster/monitoring-service';
import { PrometheusClient, type PromAlert } from '../../../main/services/cluster/prometheus-client';
import { startRecordingServer, type RecordingServer } from '../../support/cluster/local-servers';
import { missingBinaries, tempDir, waitFor } from '../../support/cluster/processes';
import { ALERTS_DIR, startAlertmanager, startNodeExporter, startPrometheus } from '../../support/cluster/prometheus-stack';

const missing = missingBinaries(['prometheus', 'prometheus-alertmanager', 'prometheus-node-exporter']);
const SUITE = `predictive disk alert on real Prometheus + node-exporter textfile trend${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`;

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const SIZE = 200 * GiB;
const ALERT = 'NodeDiskFullIn4h';

/** A synthetic filesystem: `avail` bytes at the start, losing `rate` bytes a second. */
interface SyntheticDisk {
  mountpoint: string;
  device: string;
  avail0: number;
  rate: number;
}
const DISKS: SyntheticDisk[] = [
  // 24 GiB free (12 %) losing 2 MiB/s: full in 3.4 h, so the 4 h rule must fire.
  { mountpoint: '/evolve-test/filling', device: '/dev/evtest0', avail0: 24 * GiB, rate: 2 * MiB },
  // Same free space, losing 0.5 MiB/s: full in 13.7 h, no 4 h alert.
  { mountpoint: '/evolve-test/slow', device: '/dev/evtest1', avail0: 24 * GiB, rate: 0.5 * MiB },
  // 75 % free losing 20 MiB/s (full in 2.1 h on the trend): the <20 % guard keeps it quiet.
  { mountpoint: '/evolve-test/roomy', device: '/dev/evtest2', avail0: 150 * GiB, rate: 20 * MiB },
];

// A leaking machine: 64 GiB, 8 GiB available losing 4 MiB/s (out in ~0.57 h). NodeMemoryRunningOut needs 5m of `for:`,
// so here it is only seen pending (promtool covers its firing); it shows the memory rule works on real series too.
const MEM_TOTAL = 64 * GiB;
const MEM_AVAIL0 = 8 * GiB;
const MEM_RATE = 4 * MiB;

const availAt = (d: SyntheticDisk, ms: number) => Math.max(0, Math.round(d.avail0 - (d.rate * ms) / 1000));

/** The three node_filesystem_* series node-exporter's filesystem collector would export, in text format. */
function render(elapsedMs: number): string {
  const lines: string[] = [];
  const metric = (name: string, value: (d: SyntheticDisk) => number) => {
    lines.push(`# TYPE ${name} gauge`);
    for (const d of DISKS) lines.push(`${name}{device="${d.device}",fstype="ext4",mountpoint="${d.mountpoint}"} ${value(d)}`);
  };
  metric('node_filesystem_avail_bytes', (d) => availAt(d, elapsedMs));
  metric('node_filesystem_size_bytes', () => SIZE);
  metric('node_filesystem_readonly', () => 0);
  lines.push('# TYPE node_memory_MemTotal_bytes gauge', `node_memory_MemTotal_bytes ${MEM_TOTAL}`);
  lines.push('# TYPE node_memory_MemAvailable_bytes gauge');
  lines.push(`node_memory_MemAvailable_bytes ${Math.round(MEM_AVAIL0 - (MEM_RATE * elapsedMs) / 1000)}`);
  return lines.join('\n') + '\n';
}

describe.skipIf(missing.length > 0)(SUITE, () => {
  let textDir: string;
  let writer: NodeJS.Timeout | undefined;
  let t0 = 0;
  let hook: RecordingServer;
  let node: Awaited<ReturnType<typeof startNodeExporter>>;
  let am: Awaited<ReturnType<typeof startAlertmanager>>;
  let prom: Awaited<ReturnType<typeof startPrometheus>>;

  /** Writes the .prom file atomically (the collector reads only *.prom, so the temp name is never half-read). */
  const writeTextfile = () => {
    const tmp = path.join(textDir, 'disks.prom.tmp');
    fs.writeFileSync(tmp, render(Date.now() - t0));
    fs.renameSync(tmp, path.join(textDir, 'disks.prom'));
  };

  beforeAll(async () => {
    textDir = tempDir('evtext-');
    t0 = Date.now();
    writeTextfile();
    writer = setInterval(writeTextfile, 250);
    hook = await startRecordingServer();
    node = await startNodeExporter({ textfileDir: textDir });
    am = await startAlertmanager(`${hook.url}/alerts`);
    // No ruleFor: the shipped rules file is copied byte for byte; only scrape/evaluation run every second.
    prom = await startPrometheus({ nodeTargets: [node.target], alertmanagerTarget: `127.0.0.1:${am.port}` });
  }, 60_000);

  afterAll(async () => {
    if (writer) clearInterval(writer);
    await prom?.svc.stop();
    await am?.svc.stop();
    await node?.svc.stop();
    await hook?.close();
    if (textDir) fs.rmSync(textDir, { recursive: true, force: true });
  });

  it('Prometheus runs the shipped rules file unchanged', async () => {
    expect(fs.readFileSync(path.join(prom.dir, 'rules.yml'), 'utf8')).toBe(
      fs.readFileSync(path.join(ALERTS_DIR, 'evolve-rules.yml'), 'utf8'),
    );
    const r = await fetch(`${prom.url}/api/v1/rules`);
    const body = (await r.json()) as { data: { groups: { rules: { name: string; duration: number }[] }[] } };
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.find((x) => x.name === ALERT)?.duration).toBe(60);
  });

  it('NodeDiskFullIn4h goes pending then firing a minute later, while the disk still has hours of space', async () => {
    const client = new PrometheusClient({ baseUrl: prom.url, timeoutMs: 5000 });
    const ours = (alerts: PromAlert[]) => alerts.filter((a) => a.labels.alertname === ALERT);
    const seenOn = new Set<string>();
    let pendingAt: number | undefined;
    let memory: PromAlert | undefined;
    const firing = await waitFor(
      `${ALERT} firing`,
      async () => {
        const all = await client.alerts();
        memory ??= all.find((x) => x.labels.alertname === 'NodeMemoryRunningOut');
        const mine = ours(all);
        for (const a of mine) seenOn.add(a.labels.mountpoint ?? '');
        const a = mine.find((x) => x.labels.mountpoint === '/evolve-test/filling');
        if (a?.state === 'pending') pendingAt ??= Date.now();
        return a?.state === 'firing' ? { alert: a, at: Date.now() } : undefined;
      },
      { timeoutMs: 130_000, intervalMs: 500 },
    );
    const elapsedMs = firing.at - t0;
    const { alert } = firing;

    // Pending first, and held for the rule's for: 1m before firing.
    expect(pendingAt, 'the alert was never seen pending').toBeDefined();
    expect(firing.at - (pendingAt ?? firing.at)).toBeGreaterThan(50_000);
    expect(firing.at - Date.parse(alert.activeAt ?? '')).toBeGreaterThanOrEqual(59_000);

    // Fired before the disk filled: over 20 GiB still free, and the alert says about how long is left.
    const filling = DISKS[0]!;
    const availNow = availAt(filling, elapsedMs);
    expect(availNow).toBeGreaterThan(20 * GiB);
    const hoursLeft = availNow / filling.rate / 3600;
    expect(Number(alert.value)).toBeCloseTo(hoursLeft, 1);
    const m = /will be full in ~(\d+\.\d) h$/.exec(alert.annotations.summary ?? '');
    expect(m, alert.annotations.summary).not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - hoursLeft)).toBeLessThanOrEqual(0.1);
    expect(alert.annotations.summary).toBe(`Disk /evolve-test/filling on ${node.target} will be full in ~${hoursLeft.toFixed(1)} h`);
    expect(alert.labels).toMatchObject({ severity: 'critical', component: 'node', job: 'node', instance: node.target, fstype: 'ext4' });

    // The slow disk (13.7 h) and the roomy one (guarded) were never even pending.
    expect([...seenOn]).toEqual(['/evolve-test/filling']);

    // The leaking machine's memory alert went pending with its own "in ~N h" (about 0.57 h left).
    expect(memory?.state).toBe('pending');
    expect(memory?.annotations.summary).toMatch(new RegExp(`^Memory on ${node.target.replace(/\./g, '\\.')} will run out in ~0\\.[56] h$`));
  }, 150_000);

  it('the firing alert reaches Alertmanager, which the Ops tab lists, with the "in ~N h" summary', async () => {
    const monitoring = new MonitoringService({
      prometheus: new PrometheusClient({ baseUrl: prom.url, timeoutMs: 5000 }),
      alertmanager: new AlertmanagerClient({ baseUrl: am.url, timeoutMs: 5000 }),
      audit: new MemoryAuditSink(),
      profileId: 'local',
    });
    const listed = await waitFor(
      `${ALERT} in Alertmanager`,
      async () => {
        const r = await monitoring.alerts();
        return r.status === 'ok' ? r.data.find((a) => a.labels.alertname === ALERT) : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(listed.status.state).toBe('active');
    expect(listed.annotations.summary).toMatch(/^Disk \/evolve-test\/filling on 127\.0\.0\.1:\d+ will be full in ~3\.\d h$/);
    expect(listed.annotations.description).toContain('delete old checkpoints');
  }, 30_000);

  it('Alertmanager inhibits the 24 h warning for a filesystem the 4 h alert already covers, not for others', async () => {
    const client = new AlertmanagerClient({ baseUrl: am.url, timeoutMs: 5000 });
    // NodeDiskFillingUp needs an hour of `for:`, so post it the way Prometheus would.
    const warning = (mountpoint: string) => ({
      labels: { alertname: 'NodeDiskFillingUp', severity: 'warning', component: 'node', job: 'node', instance: node.target, mountpoint },
      annotations: { summary: `Disk ${mountpoint} will be full in ~13.7 h` },
      startsAt: new Date().toISOString(),
    });
    const r = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([warning('/evolve-test/filling'), warning('/evolve-test/slow')]),
    });
    expect(r.status).toBe(200);
    const states = await waitFor(
      'both warnings in Alertmanager',
      async () => {
        const all = (await client.alerts()).filter((a) => a.labels.alertname === 'NodeDiskFillingUp');
        return all.length === 2 ? new Map(all.map((a) => [a.labels.mountpoint, a.status])) : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    expect(states.get('/evolve-test/filling')?.state).toBe('suppressed');
    expect(states.get('/evolve-test/filling')?.inhibitedBy.length).toBe(1);
    expect(states.get('/evolve-test/slow')).toMatchObject({ state: 'active', inhibitedBy: [] });
  }, 30_000);
});
