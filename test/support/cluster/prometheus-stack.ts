// Starts real node-exporter, Alertmanager and Prometheus (Debian binaries) on 127.0.0.1 free ports with temp dirs.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startService, tempDir, type Service } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const ALERTS_DIR = path.join(REPO_ROOT, 'resources/alerts');

/** Stopping the service also removes its temp dir (config + data), so test runs leave nothing behind. */
function removingDir(svc: Service, dir: string): Service {
  const stop = svc.stop.bind(svc);
  svc.stop = async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return svc;
}

export function fillTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (m, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`template variable ${k} not set`);
    return v;
  });
}

export async function startNodeExporter(): Promise<{ svc: Service; port: number; target: string }> {
  const port = await freePort();
  // Only the collectors the panel charts, so the test scrape stays light on a 2-core machine.
  const svc = await startService(
    'node-exporter',
    'prometheus-node-exporter',
    [
      `--web.listen-address=127.0.0.1:${port}`,
      '--collector.disable-defaults',
      '--collector.cpu',
      '--collector.meminfo',
      '--collector.filesystem',
      '--collector.netdev',
      '--collector.loadavg',
    ],
    { readyUrl: `http://127.0.0.1:${port}/metrics` },
  );
  return { svc, port, target: `127.0.0.1:${port}` };
}

export async function startAlertmanager(webhookUrl: string): Promise<{ svc: Service; port: number; url: string; dir: string }> {
  const port = await freePort();
  const dir = tempDir('evam-');
  const cfg = fillTemplate(fs.readFileSync(path.join(ALERTS_DIR, 'alertmanager.yml.tmpl'), 'utf8'), {
    WEBHOOK_URL: webhookUrl,
    GROUP_WAIT: '1s',
    GROUP_INTERVAL: '1s',
  });
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), cfg);
  const svc = await startService(
    'alertmanager',
    'prometheus-alertmanager',
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty cluster address turns off HA gossip (it would otherwise bind 0.0.0.0:9094).
      '--cluster.listen-address=',
    ],
    { readyUrl: `http://127.0.0.1:${port}/-/ready` },
  );
  return { svc: removingDir(svc, dir), port, url: `http://127.0.0.1:${port}`, dir };
}

export interface PrometheusOptions {
  nodeTargets: string[];
  rayTargets?: string[];
  alertmanagerTarget?: string;
  /** Overrides every rule's `for:` so a test sees alerts fire in seconds. */
  ruleFor?: string;
  interval?: string;
  port?: number;
  dir?: string;
}

export async function startPrometheus(opts: PrometheusOptions): Promise<{ svc: Service; port: number; url: string; dir: string }> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? tempDir('evprom-');
  let rules = fs.readFileSync(path.join(ALERTS_DIR, 'evolve-rules.yml'), 'utf8');
  if (opts.ruleFor) rules = rules.replace(/^(\s+)for: \S+$/gm, `$1for: ${opts.ruleFor}`);
  fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
  const list = (xs: string[] | undefined) => (xs ?? []).map((x) => `'${x}'`).join(', ');
  const cfg = fillTemplate(fs.readFileSync(path.join(ALERTS_DIR, 'prometheus.yml.tmpl'), 'utf8'), {
    SCRAPE_INTERVAL: opts.interval ?? '1s',
    EVALUATION_INTERVAL: opts.interval ?? '1s',
    RULES_FILE: path.join(dir, 'rules.yml'),
    ALERTMANAGER_TARGETS: opts.alertmanagerTarget ? `'${opts.alertmanagerTarget}'` : '',
    NODE_TARGETS: list(opts.nodeTargets),
    RAY_TARGETS: list(opts.rayTargets),
  });
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), cfg);
  const svc = await startService(
    'prometheus',
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { readyUrl: `http://127.0.0.1:${port}/-/ready`, timeoutMs: 60_000 },
  );
  return { svc: opts.dir ? svc : removingDir(svc, dir), port, url: `http://127.0.0.1:${port}`, dir };
}
