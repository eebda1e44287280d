// Real Ray cluster (head + 1 worker): connection test, package upload, job submit/logs/tail/stop/delete, typed errors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminalStatus, type RayJob } from '../../../common/cluster/ray';
import { buildPackage, ensurePackage, type PackageUploader } from '../../../main/services/cluster/packaging';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { tailJobLogs } from '../../../main/services/cluster/ray-log-tail';
import { freePort, tempDir, waitFor } from '../../support/cluster/processes';
import { rayUnavailableReason, startRayCluster, type RayCluster } from '../../support/cluster/ray-cluster';

const skip = rayUnavailableReason();

async function waitStatus(client: RayClient, id: string, want: (j: RayJob) => boolean, timeoutMs = 90_000): Promise<RayJob> {
  return waitFor(
    `job ${id}`,
    async () => {
      const j = await client.getJob(id);
      if (want(j)) return j;
      if (isTerminalStatus(j.status)) throw new Error(`job ${id} ended ${j.status}: ${j.message ?? ''}`);
      return undefined;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

describe.skipIf(skip !== null)('Ray REST client against a real two-node cluster', () => {
  let cluster: RayCluster;
  let client: RayClient;
  let work: string;

  beforeAll(async () => {
    cluster = await startRayCluster({ workers: 1 });
    client = new RayClient({ baseUrl: cluster.dashboardUrl, timeoutMs: 20_000 });
    work = tempDir('evpkg-');
    fs.writeFileSync(
      path.join(work, 'hello.py'),
      'import sys, time\nfor i in range(5):\n    print(f"hello line {i}", flush=True)\n    time.sleep(0.3)\n',
    );
    fs.mkdirSync(path.join(work, '.git'));
    fs.writeFileSync(path.join(work, '.git', 'big.pack'), Buffer.alloc(1024 * 1024));
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('connection test shows the Ray version and both nodes', async () => {
    const info = await client.connectionTest();
    expect(info.rayVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.aliveNodes).toBeGreaterThanOrEqual(2);
    expect(info.nodes.filter((n) => n.state === 'ALIVE' && n.is_head_node)).toHaveLength(1);
    expect(info.totalResources.CPU).toBeGreaterThanOrEqual(2);
  });

  it('uploads a working-dir package once (content-addressed), runs a job from it, returns logs and a live tail', async () => {
    const first = await ensurePackage(client, work);
    expect(first.uploaded).toBe(true);
    expect(first.excluded).toEqual([{ path: '.git', reason: 'excluded-name', bytes: 1024 * 1024 }]);
    expect(await client.packageExists(first.name)).toBe(true);
    const again = await ensurePackage(client, work);
    expect(again.name).toBe(first.name);
    expect(again.uploaded).toBe(false);

    const { submissionId } = await client.submitJob({
      entrypoint: 'python hello.py',
      submission_id: `evt-hello-${Date.now()}`,
      runtime_env: { working_dir: first.uri },
      metadata: { test: 'hello' },
      entrypoint_num_cpus: 0,
    });
    const tailed: string[] = [];
    const tail = tailJobLogs(client.target, submissionId, { onLines: (l) => tailed.push(...l) });
    const done = await waitStatus(client, submissionId, (j) => j.status === 'SUCCEEDED');
    expect(done.metadata).toMatchObject({ test: 'hello' });
    expect(done.runtime_env?.working_dir).toBe(first.uri);
    const logs = await client.getJobLogs(submissionId);
    for (let i = 0; i < 5; i++) expect(logs).toContain(`hello line ${i}`);
    await expect(
      Promise.race([tail, new Promise((_, rej) => setTimeout(() => rej(new Error('tail did not end')), 30_000))]),
    ).resolves.toEqual({ cancelled: false });
    expect(tailed).toContain('hello line 4');
    expect((await client.listJobs()).some((j) => j.submission_id === submissionId)).toBe(true);
  });

  it('stops a running job, then deletes it; Ray 400s and 404s become typed errors', async () => {
    const id = `evt-sleep-${Date.now()}`;
    await client.submitJob({
      entrypoint: `python -c "import time; print('started', flush=True); time.sleep(120)"`,
      submission_id: id,
      entrypoint_num_cpus: 0,
    });
    await waitStatus(client, id, (j) => j.status === 'RUNNING');
    // Deleting a running job: Ray answers 500 with a RuntimeError; the client makes it CONFLICT with Ray's message.
    await expect(client.deleteJob(id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/non-terminal state RUNNING/),
    });
    // A second submission with the same id: Ray's 500 "already exists" becomes CONFLICT.
    await expect(client.submitJob({ entrypoint: 'python -c "pass"', submission_id: id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already exists'),
    });
    expect(await client.stopJob(id)).toBe(true);
    await waitStatus(client, id, (j) => j.status === 'STOPPED', 60_000).catch(async () =>
      waitStatus(client, id, (j) => isTerminalStatus(j.status)),
    );
    expect(['STOPPED', 'FAILED']).toContain((await client.getJob(id)).status);
    expect(await client.deleteJob(id)).toBe(true);
    await expect(client.getJob(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.getJobLogs('evt-no-such-job')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(tailJobLogs(client.target, 'evt-no-such-job', { onLines: () => {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an oversized working dir before any upload, naming the biggest offenders', async () => {
    const big = tempDir('evbig-');
    try {
      fs.mkdirSync(path.join(big, 'data'));
      for (let i = 0; i < 3; i++)
        fs.writeFileSync(
          path.join(big, 'data', `shard${i}.bin`),
          Buffer.from(Array.from({ length: 600_000 }, () => Math.floor(Math.random() * 256))),
        );
      fs.writeFileSync(path.join(big, 'train.py'), 'print(1)\n');
      const calls: string[] = [];
      // A pass-through uploader that records what reached the cluster.
      const recording: PackageUploader = {
        packageExists: (n, s) => (calls.push(`GET ${n}`), client.packageExists(n, s)),
        uploadPackage: (n, z, o) => (calls.push(`PUT ${n}`), client.uploadPackage(n, z, o)),
      };
      const err = await ensurePackage(recording, big, { maxPackageBytes: 1024 * 1024 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('data/ (1.7 MiB)') });
      expect(calls).toEqual([]);
      // Within the limit it goes through and Ray accepts our content hash as the package name.
      const ok = await buildPackage(big, { maxPackageBytes: 4 * 1024 * 1024 });
      expect(ok.name).toMatch(/^_ray_pkg_[0-9a-f]{40}\.zip$/);
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('an unreachable dashboard is UNAVAILABLE; a malformed id is refused before any request', async () => {
    const port = await freePort();
    await expect(new RayClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 3000 }).version()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(client.getJob('bad id with spaces')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
