// Real local Ray cluster for tests (head + workers via scripts/python/ray-cluster.sh) on free ports, always stopped.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { httpOk, portFree, waitFor } from './processes';
import { REPO_ROOT } from './prometheus-stack';

const run = promisify(execFile);
export const RAY_BIN = path.join(REPO_ROOT, '.venv/bin/ray');
export const VENV_PYTHON = path.join(REPO_ROOT, '.venv/bin/python');
const HARNESS = path.join(REPO_ROOT, 'scripts/python/ray-cluster.sh');

/** Why Ray tests cannot run here, or null when they can (the venv is made by scripts/python/setup-python.sh). */
export function rayUnavailableReason(): string | null {
  if (!fs.existsSync(RAY_BIN)) return `no Ray at ${RAY_BIN}: run scripts/python/setup-python.sh`;
  if (!fs.existsSync(HARNESS)) return `no ${HARNESS}`;
  return null;
}

export interface RayCluster {
  dashboardUrl: string;
  gcsPort: number;
  tmp: string;
  env: NodeJS.ProcessEnv;
  harness(...args: string[]): Promise<string>;
  killWorker(index: number): Promise<void>;
  addWorker(index: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The harness gives node i the ports gcs+10i+1…7 and workers gcs+100(i+1)…+99; pick a base whose whole
 * block is free so two clusters (other test suites) on one machine do not collide.
 */
async function pickBase(workers: number): Promise<{ gcs: number; dashboard: number }> {
  for (let tries = 0; tries < 40; tries++) {
    const gcs = 20_000 + 1000 * Math.floor(Math.random() * 30);
    const dashboard = gcs + 900;
    const ports = [gcs, dashboard];
    for (let i = 0; i <= workers + 1; i++) for (let k = 1; k <= 7; k++) ports.push(gcs + 10 * i + k);
    for (let i = 0; i <= workers + 1; i++) ports.push(gcs + 100 * (i + 1), gcs + 100 * (i + 1) + 50, gcs + 100 * (i + 1) + 99);
    const free = await Promise.all(ports.map((p) => portFree(p)));
    if (free.every(Boolean)) return { gcs, dashboard };
  }
  throw new Error('no free port block for a Ray test cluster');
}

async function aliveNodes(dashboardUrl: string): Promise<number> {
  const r = await fetch(`${dashboardUrl}/api/v0/nodes?limit=1000&detail=false`);
  const body = (await r.json()) as { data?: { result?: { result?: { state?: string }[] } } };
  return (body.data?.result?.result ?? []).filter((n) => n.state === 'ALIVE').length;
}

export async function startRayCluster(opts: { workers?: number; cpusPerNode?: number; timeoutMs?: number } = {}): Promise<RayCluster> {
  const workers = opts.workers ?? 1;
  const { gcs, dashboard } = await pickBase(workers);
  const tmp = `/tmp/evts-${gcs}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EVOLVE_RAY_PORT: String(gcs),
    EVOLVE_RAY_DASHBOARD_PORT: String(dashboard),
    EVOLVE_RAY_NUM_CPUS: String(opts.cpusPerNode ?? 1),
    EVOLVE_RAY_OBJECT_STORE_BYTES: '100000000',
    EVOLVE_RAY_TMP: tmp,
    RAY_USAGE_STATS_ENABLED: '0',
  };
  const timeout = opts.timeoutMs ?? 180_000;
  const harness = async (...args: string[]) => (await run(HARNESS, args, { env, timeout, maxBuffer: 4 * 1024 * 1024 })).stdout;
  const cluster: RayCluster = {
    dashboardUrl: `http://127.0.0.1:${dashboard}`,
    gcsPort: gcs,
    tmp,
    env,
    harness,
    killWorker: async (i) => {
      const before = await aliveNodes(cluster.dashboardUrl);
      await harness('kill-worker', String(i));
      // Ray marks the node DEAD after its missed health checks (~3 s with the harness settings).
      await waitFor(`Ray to notice worker ${i} is gone`, async () => (await aliveNodes(cluster.dashboardUrl)) < before, {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
    },
    addWorker: async (i) => {
      // Not `ray-cluster.sh add-worker`: it counts the killed node's process group as alive while its
      // processes are still exiting, and then waits for one node too many. Start the node, then wait on Ray's view.
      const before = await aliveNodes(cluster.dashboardUrl);
      const code = `import sys; sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'scripts/python'))}); import ray_cluster as rc; rc.start_node(${i})`;
      await run(VENV_PYTHON, ['-c', code], { env, timeout });
      await waitFor(`worker ${i} to rejoin`, async () => (await aliveNodes(cluster.dashboardUrl)) > before, {
        timeoutMs: 120_000,
        intervalMs: 1000,
      });
    },
    stop: async () => {
      await harness('stop').catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  try {
    await harness('start', '--workers', String(workers), '--timeout', String(Math.floor(timeout / 1000)));
    await waitFor('the Ray dashboard', () => httpOk(`${cluster.dashboardUrl}/api/version`), { timeoutMs: 60_000, intervalMs: 500 });
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
