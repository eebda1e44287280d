// Starts real node-exporter (optionally textfile-only), Alertmanager and Prometheus (Debian binaries) on 127.0.0.1 free ports with temp dirs; runs promtool.
import { execFile } from 'node:child_process';
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

export interface NodeExporterOptions {
  /** Only the textfile collector, reading *.prom files from this dir: a test feeds synthetic node_* series under their
   * real names (the filesystem collector is off, so nothing else exports those names). */
  textfileDir?: string;
}

export async function startNodeExporter(opts: NodeExporterOptions = {}): Promise<{ svc: Service; port: number; target: string }> {
  const port = await freePort();
  // Only the collectors the panel charts, so the test scrape stays light on a 2-core machine.
  const collectors = opts.textfileDir
    ? ['--collector.textfile', `--collector.textfile.directory=${opts.textfileDir}`]
    : ['--collector.cpu', '--collector.meminfo', '--collector.filesystem', '--collector.netdev', '--collector.loadavg'];
  const svc = await startService(
    'node-exporter',
    'prometheus-node-exporter',
    [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', ...collectors],
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
  /** Ray's service-discovery files (`RayCluster.sdFile`); by default a path that never exists, so no SD targets. */
  raySdFiles?: string[];
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
    RAY_SD_FILES: list(opts.raySdFiles?.length ? opts.raySdFiles : [path.join(dir, 'no-ray-sd.json')]),
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

export interface PromtoolRun {
  code: number;
  output: string;
}

/** Runs promtool and returns its exit code and combined output; a failing check is a value here, not a throw. */
export function promtool(args: string[]): Promise<PromtoolRun> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!err) return resolve({ code: 0, output });
      if (typeof err.code === 'number') return resolve({ code: err.code, output });
      reject(err);
    });
  });
}
