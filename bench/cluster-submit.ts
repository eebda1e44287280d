// Benchmark: submit→RUNNING latency through our Ray client vs the `ray job submit` CLI, same cluster, same run. Run: npx tsx bench/cluster-submit.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RayClient } from '../main/services/cluster/ray-client';
import { RAY_BIN, rayUnavailableReason, startRayCluster, type RayCluster } from '../test/support/cluster/ray-cluster';

const run = promisify(execFile);
const N = Number(process.env.EVOLVE_BENCH_N ?? 5);
const POLL_MS = 50;
// The job itself: long enough to be seen RUNNING, stopped right after.
const SLEEPER = 'python -c "import time; time.sleep(20)"';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

/** Same observer for both paths: poll the job with our client until Ray reports RUNNING. */
async function untilRunning(client: RayClient, id: string, t0: number): Promise<number> {
  const deadline = t0 + 120_000;
  for (;;) {
    const j = await client.getJob(id).catch(() => undefined);
    if (j?.status === 'RUNNING') return performance.now() - t0;
    if (j && ['FAILED', 'STOPPED', 'SUCCEEDED'].includes(j.status)) throw new Error(`${id} ended ${j.status}: ${j.message ?? ''}`);
    if (performance.now() > deadline) throw new Error(`${id} not RUNNING within 120 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function finish(client: RayClient, id: string): Promise<void> {
  await client.stopJob(id).catch(() => false);
  for (let i = 0; i < 200; i++) {
    const j = await client.getJob(id).catch(() => undefined);
    if (!j || ['FAILED', 'STOPPED', 'SUCCEEDED'].includes(j.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client.deleteJob(id).catch(() => false);
}

async function main(): Promise<void> {
  const skip = rayUnavailableReason();
  if (skip) {
    console.log(`cluster-submit: skipped (${skip})`);
    return;
  }
  const external = process.env.EVOLVE_BENCH_RAY_URL;
  let cluster: RayCluster | undefined;
  const url = external ?? (cluster = await startRayCluster({ workers: 1 })).dashboardUrl;
  const client = new RayClient({ baseUrl: url, timeoutMs: 30_000 });
  const viaClient: number[] = [];
  const viaCli: number[] = [];
  try {
    const info = await client.connectionTest();
    console.log(`cluster: Ray ${info.rayVersion}, ${info.aliveNodes} nodes at ${url}; N=${N} each, interleaved, poll ${POLL_MS} ms`);
    // One warm-up of each so neither side pays for Ray's first worker start.
    for (let i = -1; i < N; i++) {
      const a = `bench-client-${Date.now()}-${i}`;
      let t0 = performance.now();
      await client.submitJob({ entrypoint: SLEEPER, submission_id: a, entrypoint_num_cpus: 0 });
      const tc = await untilRunning(client, a, t0);
      await finish(client, a);
      const b = `bench-cli-${Date.now()}-${i}`;
      t0 = performance.now();
      await run(
        RAY_BIN,
        [
          'job',
          'submit',
          '--address',
          url,
          '--no-wait',
          '--submission-id',
          b,
          '--entrypoint-num-cpus',
          '0',
          '--',
          'python',
          '-c',
          'import time; time.sleep(20)',
        ],
        {
          env: { ...process.env, RAY_USAGE_STATS_ENABLED: '0' },
          timeout: 120_000,
        },
      );
      const tl = await untilRunning(client, b, t0);
      await finish(client, b);
      if (i >= 0) {
        viaClient.push(tc);
        viaCli.push(tl);
      }
      console.log(`  run ${i < 0 ? 'warm-up' : i + 1}: client ${tc.toFixed(0)} ms, CLI ${tl.toFixed(0)} ms`);
    }
  } finally {
    await cluster?.stop();
  }
  const mc = median(viaClient);
  const ml = median(viaCli);
  console.log(
    `submit→RUNNING median: client ${mc.toFixed(0)} ms, ray job submit CLI ${ml.toFixed(0)} ms, ratio CLI/client ${(ml / mc).toFixed(2)}×`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
