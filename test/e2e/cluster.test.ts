// E2E: the Cluster section against a real two-node Ray cluster, Prometheus, Alertmanager and node-exporter on
// 127.0.0.1 — profile + connection test, a two-node DDP job whose loss chart fills and falls, and a NodeDown alert
// that shows up in the Ops tab when node-exporter stops and is acknowledged there.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../support/cluster/local-servers';
import { missingBinaries } from '../support/cluster/processes';
import { startAlertmanager, startNodeExporter, startPrometheus } from '../support/cluster/prometheus-stack';
import { rayUnavailableReason, startRayCluster, type RayCluster } from '../support/cluster/ray-cluster';
import { cleanupAll } from '../support/e2e/bounded';
import { ProblemCollector, launchChromium, saveScreenshot, type LaunchedBrowser } from '../support/e2e/browser';
import { REPO_ROOT, makeTempDirs, requireBuiltApp, startHost, type HostProcess, type TempDirs } from '../support/e2e/host';

const missing = missingBinaries(['prometheus', 'prometheus-alertmanager', 'prometheus-node-exporter']);
const SKIP_REASON =
  rayUnavailableReason() ??
  (missing.length ? `missing binaries: ${missing.join(', ')} (Debian prometheus packages)` : null) ??
  (fs.existsSync(path.join(REPO_ROOT, 'resources/training/ray_launch.py')) ? null : 'no resources/training/ray_launch.py');
if (SKIP_REASON) console.warn(`[e2e] cluster test skipped: ${SKIP_REASON}`);

const STEP_MS = 30_000;
const JOB_MS = 150_000;
/** Long enough (a few seconds of training after the cold start) that points are seen while the job is RUNNING. */
const DDP_STEPS = 160;
const ALERT_MS = 60_000;

let dirs: TempDirs | undefined;
let host: HostProcess | undefined;
let chromium: LaunchedBrowser | undefined;
let ray: RayCluster | undefined;
let hook: RecordingServer | undefined;
let node: Awaited<ReturnType<typeof startNodeExporter>> | undefined;
let am: Awaited<ReturnType<typeof startAlertmanager>> | undefined;
let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
let page: Page;
const problems = new ProblemCollector();
const timings: Record<string, number> = {};

async function startMonitoring(): Promise<void> {
  hook = await startRecordingServer();
  node = await startNodeExporter();
  am = await startAlertmanager(`${hook.url}/alerts`);
  // Rules fire after 2 s instead of 1 m so the test sees NodeDown quickly.
  prom = await startPrometheus({ nodeTargets: [node.target], alertmanagerTarget: `127.0.0.1:${am.port}`, ruleFor: '2s' });
}

const num = async (testId: string): Promise<number> => Number(await page.getByTestId(testId).textContent());

beforeAll(async () => {
  if (SKIP_REASON) return;
  requireBuiltApp();
  const t0 = Date.now();
  dirs = makeTempDirs('evolve-e2e-cluster-');
  // Ray (slow to start) and the monitoring stack start side by side.
  [ray] = await Promise.all([startRayCluster({ workers: 1 }), startMonitoring()]);
  timings.clusterStartS = (Date.now() - t0) / 1000;
  chromium = await launchChromium();
  host = await startHost({ dirs });
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 1100 } });
  page = await context.newPage();
  problems.watchPage(page);
  await page.goto(host.launchUrl);
  await page.getByTestId('vault-secret').fill('cluster e2e passphrase');
  await page.getByTestId('vault-unlock').click();
  await page.getByTestId('recovery-key-saved').check({ timeout: STEP_MS });
  await page.getByTestId('recovery-key-done').click();
  timings.setupS = (Date.now() - t0) / 1000;
}, 240_000);

afterAll(async () => {
  console.info(`[e2e] cluster timings: ${JSON.stringify(timings)}`);
  await cleanupAll(
    [
      ['browser', () => chromium?.close()],
      ['host', () => host?.stop()],
      ['prometheus', () => prom?.svc.stop()],
      ['alertmanager', () => am?.svc.stop()],
      ['node-exporter', () => node?.svc.stop()],
      ['webhook', () => hook?.close()],
      ['ray', () => ray?.stop()],
      ['dirs', () => dirs?.remove()],
    ],
    60_000,
  );
}, 180_000);

describe.skipIf(SKIP_REASON !== null)(`cluster panel end to end${SKIP_REASON ? ` (skipped: ${SKIP_REASON})` : ''}`, () => {
  it('creates a profile and the connection test shows the Ray version and both nodes', async () => {
    await page.getByTestId('nav-cluster').click();
    await page.getByTestId('cluster-profile-add').click();
    await page.getByTestId('cluster-profile-name').fill('Local test cluster');
    await page.getByTestId('cluster-dashboard-url').fill(ray!.dashboardUrl);
    await page.getByTestId('cluster-prometheus-url').fill(prom!.url);
    await page.getByTestId('cluster-alertmanager-url').fill(am!.url);
    await page.getByTestId('cluster-profile-save').click();
    await page.getByTestId('cluster-profile-row').filter({ hasText: 'Local test cluster' }).waitFor({ timeout: STEP_MS });
    await page.getByTestId('cluster-test').click();
    await page.getByTestId('cluster-connection').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('cluster-ray-version').textContent()).toMatch(/^\d+\.\d+/);
    expect(await num('cluster-alive-nodes')).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('cluster-node-row').count()).toBeGreaterThanOrEqual(2);
  });

  it('submits a two-node DDP job; the loss chart fills live and the job succeeds with a lower last loss', async () => {
    await page.getByTestId('cluster-tab-train').click();
    // Checkpoints go under the test's temp dir (removed afterwards), one fresh folder per submit.
    await page.getByTestId('train-ckpt-dir').fill(`${dirs!.root}/ckpt/{run}`);
    await page.getByTestId('train-name').fill('e2e-ddp');
    await page.getByTestId('train-strategy').selectOption('ddp');
    await page.getByTestId('train-nodes').fill('2');
    await page.getByTestId('train-steps').fill(String(DDP_STEPS));
    await page.getByTestId('train-schedule').selectOption('constant');
    await page.getByTestId('train-ckpt-every').fill('10');
    const t0 = Date.now();
    await page.getByTestId('train-submit').click();
    await page.getByTestId('job-status').waitFor({ timeout: STEP_MS * 2 });
    timings.submitS = (Date.now() - t0) / 1000;
    // Live: points arrive while the job is still running (not only from the final stored log).
    let liveWhileRunning = 0;
    await expect
      .poll(
        async () => {
          const count = Number((await page.getByTestId('chart-loss').getAttribute('data-count')) ?? 0);
          if ((await page.getByTestId('job-status').textContent()) === 'RUNNING') liveWhileRunning = Math.max(liveWhileRunning, count);
          return liveWhileRunning;
        },
        { timeout: JOB_MS, interval: 200 },
      )
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: JOB_MS, interval: 500 }).toBe('SUCCEEDED');
    timings.jobS = (Date.now() - t0) / 1000;
    await expect
      .poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-count')), { timeout: STEP_MS })
      .toBe(DDP_STEPS);
    const first = await num('chart-loss-first');
    const last = await num('chart-loss-last');
    timings.lossFirst = first;
    timings.lossLast = last;
    expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first);
    // The follow stream ends with the stored record: checkpoints every 10 steps, the last at the final step.
    await expect.poll(() => page.getByTestId('job-panel').getAttribute('data-following'), { timeout: STEP_MS }).toBe('false');
    expect(await num('job-checkpoint')).toBe(DDP_STEPS);
    expect(Number(await page.getByTestId('chart-throughput').getAttribute('data-count'))).toBeGreaterThan(0);
    expect(await page.getByTestId('job-log').textContent()).toContain('evolve_');
    await page.getByTestId('job-history-row').filter({ hasText: 'e2e-ddp' }).waitFor({ timeout: STEP_MS });
    await saveScreenshot(page, 'cluster-job');
  });

  it('resumes the finished job from its last checkpoint as a second attempt', async () => {
    await page.getByTestId('job-resume').click();
    await expect.poll(() => page.getByTestId('job-attempts').textContent(), { timeout: STEP_MS }).toMatch(/Attempts \(2\)/);
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: JOB_MS, interval: 500 }).toBe('SUCCEEDED');
    await expect.poll(() => page.getByTestId('job-panel').getAttribute('data-following'), { timeout: STEP_MS }).toBe('false');
    // The trainer found the final checkpoint and had nothing left to do; the chart keeps every step.
    await expect.poll(() => page.getByTestId('job-event-resumed').getAttribute('data-step'), { timeout: STEP_MS }).toBe(String(DDP_STEPS));
    expect(Number(await page.getByTestId('chart-loss').getAttribute('data-count'))).toBe(DDP_STEPS);
  });

  it('stops a long job, then resumes it from its checkpoint and it trains on from there', async () => {
    await page.getByTestId('cluster-tab-train').click();
    // Checkpoints go under the test's temp dir (removed afterwards), one fresh folder per submit.
    await page.getByTestId('train-ckpt-dir').fill(`${dirs!.root}/ckpt/{run}`);
    await page.getByTestId('train-name').fill('e2e-long');
    // Fast steps (~6 ms here): many of them, logged every 20, a checkpoint every 200.
    await page.getByTestId('train-steps').fill('200000');
    await page.getByTestId('train-log-every').fill('20');
    await page.getByTestId('train-ckpt-every').fill('200');
    await page.getByTestId('train-submit').click();
    await expect
      .poll(async () => Number((await page.getByTestId('chart-loss').getAttribute('data-count')) ?? 0), { timeout: JOB_MS, interval: 250 })
      .toBeGreaterThanOrEqual(30);
    await page.getByTestId('job-stop').click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: STEP_MS * 2, interval: 500 }).toBe('STOPPED');
    await expect.poll(() => page.getByTestId('job-panel').getAttribute('data-following'), { timeout: STEP_MS }).toBe('false');
    const checkpoint = await num('job-checkpoint');
    expect(checkpoint).toBeGreaterThanOrEqual(200);
    const pointsBefore = Number(await page.getByTestId('chart-loss').getAttribute('data-count'));
    await page.getByTestId('job-resume').click();
    // Trainers on the worker may write one more checkpoint after the driver's log ends, so resume can start later.
    await page.getByTestId('job-event-resumed').waitFor({ timeout: JOB_MS });
    const resumedAt = Number(await page.getByTestId('job-event-resumed').getAttribute('data-step'));
    expect(resumedAt).toBeGreaterThanOrEqual(checkpoint);
    expect(resumedAt % 200).toBe(0);
    timings.stoppedCheckpoint = checkpoint;
    timings.resumedAt = resumedAt;
    // Training goes on from the checkpoint: the chart grows past what the stopped attempt reached.
    await expect
      .poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-count')), { timeout: STEP_MS, interval: 250 })
      .toBeGreaterThan(pointsBefore);
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: STEP_MS }).toBe('RUNNING');
    await page.getByTestId('job-stop').click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: STEP_MS * 2, interval: 500 }).toBe('STOPPED');
  });

  it('shows node charts, then a NodeDown alert in the Ops tab once node-exporter stops, and acknowledges it', async () => {
    await page.getByTestId('cluster-tab-ops').click();
    await page.getByTestId('ops-chart-cpu').waitFor({ timeout: STEP_MS });
    await page.getByTestId('ops-chart-memory').waitFor({ timeout: STEP_MS });
    const t0 = Date.now();
    await node!.svc.stop();
    const alert = page.getByTestId('alert-row').filter({ hasText: 'NodeDown' });
    await alert.waitFor({ timeout: ALERT_MS });
    timings.alertS = (Date.now() - t0) / 1000;
    expect(await alert.getByTestId('alert-state').textContent()).toBe('firing');
    await saveScreenshot(page, 'cluster-alerts');
    await alert.getByTestId('alert-ack').click();
    await expect.poll(() => alert.getByTestId('alert-state').textContent(), { timeout: STEP_MS, interval: 500 }).toBe('acknowledged');
  });

  it('shows a degraded state, not a crash, when Prometheus and Alertmanager stop', async () => {
    await prom!.svc.stop();
    await am!.svc.stop();
    await page.getByTestId('ops-degraded').waitFor({ timeout: STEP_MS });
    await page.getByTestId('alerts-degraded').waitFor({ timeout: STEP_MS });
    expect(await page.getByTestId('ops-degraded').textContent()).toMatch(/Prometheus is unavailable/);
    await page.getByTestId('cluster-tab-jobs').click();
    // History (and its metrics) is read from the local store.
    await page.getByTestId('job-history-row').filter({ hasText: 'e2e-ddp' }).waitFor({ timeout: STEP_MS });
    expect(problems.format()).toBe('');
  });
  it('heals a job whose worker node dies: it fails, is resubmitted from its checkpoint and finishes', async () => {
    await page.getByTestId('cluster-tab-train').click();
    // Checkpoints go under the test's temp dir (removed afterwards), one fresh folder per submit.
    await page.getByTestId('train-ckpt-dir').fill(`${dirs!.root}/ckpt/{run}`);
    await page.getByTestId('train-name').fill('e2e-heal');
    await page.getByTestId('train-steps').fill('4000');
    await page.getByTestId('train-log-every').fill('20');
    await page.getByTestId('train-ckpt-every').fill('200');
    await page.getByTestId('train-submit').click();
    await expect
      .poll(async () => Number((await page.getByTestId('chart-loss').getAttribute('data-count')) ?? 0), { timeout: JOB_MS, interval: 250 })
      .toBeGreaterThanOrEqual(25);
    const t0 = Date.now();
    await ray!.killWorker(1);
    // The node comes back (as an autoscaler or an operator would bring it); the resubmission waits for placement.
    await ray!.addWorker(1);
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: JOB_MS * 2, interval: 500 }).toBe('SUCCEEDED');
    timings.healS = (Date.now() - t0) / 1000;
    await expect.poll(() => page.getByTestId('job-panel').getAttribute('data-following'), { timeout: STEP_MS }).toBe('false');
    expect(await page.getByTestId('job-restarts').textContent()).toBe('1');
    expect(await page.getByTestId('job-attempts').textContent()).toMatch(/Attempts \(2\)/);
    await page.getByTestId('job-event-resumed').waitFor({ timeout: STEP_MS });
    // One series across both attempts, ending at the last step. Lines the killed node had not yet relayed
    // (just before its death) can be missing, so the count is at most 200, not always 200.
    await expect
      .poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-count')), { timeout: STEP_MS })
      .toBeGreaterThanOrEqual(150);
    const points = Number(await page.getByTestId('chart-loss').getAttribute('data-count'));
    expect(points).toBeLessThanOrEqual(200);
    timings.healPoints = points;
    await expect
      .poll(async () => (await page.getByTestId('job-history-row').filter({ hasText: 'e2e-heal' }).textContent()) ?? '', {
        timeout: STEP_MS,
      })
      .toMatch(/SUCCEEDED\s*4000/);
    await saveScreenshot(page, 'cluster-self-heal');
    // Every cluster action is in the store's audit log, whose hash chain still verifies.
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-kind').selectOption('cluster.self-heal');
    await expect
      .poll(async () => (await page.getByTestId('audit-table').textContent()) ?? '', { timeout: STEP_MS })
      .toMatch(/restart 1\/2 from checkpoint step \d+/);
    for (const kind of ['cluster.submit', 'cluster.stop', 'cluster.resume', 'cluster.job-finished', 'cluster.silence']) {
      await page.getByTestId('audit-kind').selectOption(kind);
      await expect.poll(async () => (await page.getByTestId('audit-table').textContent()) ?? '', { timeout: STEP_MS }).toContain(kind);
    }
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(async () => (await page.getByTestId('audit-verify-result').textContent()) ?? '', { timeout: STEP_MS })
      .toMatch(/Chain intact: \d+ rows verified/);
    expect(problems.format()).toBe('');
  });

  it('diagnoses a job the trainer rejects: the card names the class, shows the evidence and offers the fix', async () => {
    const t0 = Date.now();
    await page.getByTestId('nav-cluster').click();
    await page.getByTestId('cluster-tab-train').click();
    await page.getByTestId('train-ckpt-dir').fill(`${dirs!.root}/ckpt/{run}`);
    await page.getByTestId('train-name').fill('e2e-bad-config');
    // Hybrid on one node: world size 1 is not a multiple of the 2 pipeline stages, which the trainer rejects at start.
    await page.getByTestId('train-strategy').selectOption('hybrid');
    await page.getByTestId('train-nodes').fill('1');
    await page.getByTestId('train-steps').fill('20');
    await page.getByTestId('train-submit').click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: JOB_MS, interval: 500 }).toBe('FAILED');
    const card = page.getByTestId('diagnosis-card');
    // The card shows once the job is final and its diagnosis is stored. Two clean-clone CI runs saw a wrong class here:
    // the worker killed by the self-heal test above was listed without its death time (Ray's node list without
    // detail), so every later failure looked like "node lost". Node death times are now read and bounded by the job.
    await expect.poll(() => card.getAttribute('data-class'), { timeout: JOB_MS, interval: 250 }).toBe('bad-config');
    timings.diagnosisS = (Date.now() - t0) / 1000;
    expect(await page.getByTestId('diagnosis-class').textContent()).toBe('Configuration rejected');
    expect(await page.getByTestId('diagnosis-summary').textContent()).toMatch(/not a multiple of hybrid_pipeline_stages 2/);
    expect(await page.getByTestId('diagnosis-evidence').textContent()).toContain('"kind":"config"');
    // Self-healing does not resubmit a rejected config (JobService.healDecision): resuming cannot fix it.
    expect(await page.getByTestId('job-restarts').textContent()).toBe('0');
    await page.getByTestId('diagnosis-fix-edit-config').waitFor({ timeout: STEP_MS });
    await card.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'cluster-diagnosis');
    await page.getByTestId('diagnosis-fix-edit-config').click();
    await page.getByTestId('training-wizard').waitFor({ timeout: STEP_MS });
    expect(problems.format()).toBe('');
  });
});
