// Runs the failure scenarios as concurrent Ray jobs on one cluster, collects each failure's evidence, classifies it.
import fs from 'node:fs';
import type { Diagnosis, FailureEvidence } from '../../../common/cluster/diagnosis';
import { Limiter } from '../../../common/base/limiter';
import { isTerminalStatus, type RayJob } from '../../../common/cluster/ray';
import { collectEvidence } from '../../../main/services/cluster/diagnosis/collect-evidence';
import { ensurePackage } from '../../../main/services/cluster/packaging';
import { RayClient } from '../../../main/services/cluster/ray-client';
import { stripAnsi, type DiagnosisRow } from './diagnosis-report';
import type { FailureScenario } from './failure-scenarios';
import { tempDir } from './processes';
import { startRayCluster, type RayCluster } from './ray-cluster';

export interface ScenarioResult {
  scenario: FailureScenario;
  /** Final Ray status, or null when the scenario could not be run (see `error`). */
  status: RayJob['status'] | null;
  evidence: FailureEvidence | null;
  diagnosis: Diagnosis | null;
  seconds: number;
  /** Why the scenario did not produce its failure to classify (setup error, the job succeeded, timeout, another fault). */
  error: string | null;
}

export interface RunOptions {
  classify: (e: FailureEvidence) => Diagnosis;
  /** Per-scenario limit from submission to a terminal status. */
  timeoutMs?: number;
  /** Non-disruptive scenarios running at once (default 8): fewer torch imports competing keeps Ray's own start-up timeouts out of the results. */
  concurrency?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The head's dashboard can drop a connection while a node is being killed or the machine is saturated: retry. */
async function retrying<T>(fn: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await sleep(1000 * i);
    }
  }
}

/**
 * The scenarios' cluster: head + one worker, 2 logical CPUs each (the two-node job takes one CPU per node, the
 * one-node jobs the rest). One retry: on a loaded 2-core machine a raylet occasionally misses Ray's startup
 * deadline ("The current node timed out during startup"), which says nothing about the scenarios.
 */
export async function startScenarioCluster(log: (line: string) => void = () => undefined): Promise<RayCluster> {
  try {
    return await startRayCluster({ workers: 1, cpusPerNode: 2 });
  } catch (e) {
    log(`Ray cluster start failed, retrying once: ${(e instanceof Error ? e.message : String(e)).split('\n').slice(-2).join(' ')}`);
    return startRayCluster({ workers: 1, cpusPerNode: 2 });
  }
}

/**
 * All scenarios are submitted at once (the cluster has room: drivers take no CPU, ray_launch bundles one CPU
 * per node); a disruptive scenario's fault waits until every other scenario's evidence is in, so a killed node
 * never shows up in another job's evidence.
 */
export async function runFailureScenarios(cluster: RayCluster, scenarios: FailureScenario[], opts: RunOptions): Promise<ScenarioResult[]> {
  const client = new RayClient({ baseUrl: cluster.dashboardUrl, timeoutMs: 20_000 });
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const limiter = new Limiter({ concurrency: opts.concurrency ?? 8 });
  let othersLeft = scenarios.filter((s) => !s.disruptive).length;
  let releaseOthers: () => void = () => undefined;
  const othersDone = new Promise<void>((r) => (releaseOthers = r));
  if (othersLeft === 0) releaseOthers();
  const oneDone = (s: FailureScenario) => {
    if (!s.disruptive && --othersLeft === 0) releaseOthers();
  };

  const runOne = async (scenario: FailureScenario): Promise<ScenarioResult> => {
    const t0 = Date.now();
    const result = (r: Partial<ScenarioResult>): ScenarioResult => ({
      scenario,
      status: null,
      evidence: null,
      diagnosis: null,
      error: null,
      ...r,
      seconds: (Date.now() - t0) / 1000,
    });
    const skip = scenario.unavailable?.() ?? null;
    if (skip) return result({ error: `unavailable here: ${skip}` });
    // Neutral names: Ray prints the submission id and the entrypoint (with these paths) into the log the
    // classifier reads, so a scenario id like 'gloo-timeout-…' there would hand it the answer.
    const scratch = tempDir('evf-');
    let cleanup: (() => void) | undefined;
    try {
      const job = await scenario.prepare({ cluster, scratch });
      cleanup = job.cleanup;
      const pkg = await ensurePackage(client, job.workingDir);
      const submissionId = `evjob-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      await client.submitJob({
        entrypoint: job.entrypoint,
        submission_id: submissionId,
        runtime_env: { working_dir: pkg.uri },
        metadata: { evolve_failure_scenario: scenario.id },
        entrypoint_num_cpus: 0,
      });
      log(`[${scenario.id}] submitted ${submissionId}`);
      const logs = () => retrying(() => client.getJobLogs(submissionId));
      const during = job.during?.({ submissionId, logs, othersDone });
      // A failed fault step is reported, but the job is still followed so it is stopped and never left running.
      const duringError = during?.then(
        () => null,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      let deadline = Date.now() + timeoutMs;
      // A disruptive job idles until the others are done; its clock starts then.
      if (scenario.disruptive) void othersDone.then(() => (deadline = Date.now() + timeoutMs));
      let status: RayJob['status'] = 'PENDING';
      while (Date.now() < deadline) {
        status = (await retrying(() => client.getJob(submissionId))).status;
        if (isTerminalStatus(status)) break;
        await sleep(700);
      }
      if (!isTerminalStatus(status)) {
        await client.stopJob(submissionId).catch(() => undefined);
        const fault = await Promise.race([duringError, sleep(100).then(() => null)]);
        return result({
          status,
          error: `no terminal status within ${timeoutMs / 1000} s (last ${status})${fault ? `; fault step: ${fault}` : ''}`,
        });
      }
      const faultError = (await duringError) ?? null;
      const evidence = await collectEvidence(client, submissionId, {
        onGap: (what, why) => log(`[${scenario.id}] evidence gap: ${what}: ${why}`),
      });
      if (status !== 'FAILED')
        return result({
          status,
          evidence,
          error: `the job ended ${status}, not FAILED${faultError ? ` (fault step: ${faultError})` : ''}`,
        });
      const diagnosis = opts.classify(evidence);
      log(
        `[${scenario.id}] ${status} → ${diagnosis.class} (${diagnosis.confidence.toFixed(2)}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      return result({ status, evidence, diagnosis });
    } catch (e) {
      return result({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      oneDone(scenario);
      try {
        cleanup?.();
      } catch (e) {
        log(`[${scenario.id}] cleanup: ${e instanceof Error ? e.message : String(e)}`);
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  };

  // Disruptive scenarios start at once (they must be running when the others end); the rest share the limiter.
  return Promise.all(scenarios.map((s) => (s.disruptive ? runOne(s) : limiter.queue(() => runOne(s)))));
}

/** Rows for the accuracy table; the note is the first deciding evidence line, or why nothing was classified. */
export function resultRows(results: ScenarioResult[]): DiagnosisRow[] {
  return results.map((r) => ({
    id: r.scenario.id,
    expected: r.scenario.expected,
    got: r.diagnosis?.class ?? null,
    confidence: r.diagnosis?.confidence,
    seconds: r.seconds,
    note: r.diagnosis ? (r.diagnosis.evidence[0]?.text ?? r.diagnosis.summary) : (r.error ?? undefined),
  }));
}

/** The last lines of a scenario's log, for a report on a miss (what the classifier saw). */
export function evidenceExcerpt(r: ScenarioResult, lines = 12): string {
  const e = r.evidence;
  if (!e) return '(no evidence)';
  return [
    `status ${e.status}; message: ${(e.message ?? '').split('\n')[0]?.slice(0, 200)}`,
    `events: ${e.events.map((x) => x.name).join(', ') || 'none'}; dead nodes: ${e.nodes.filter((n) => !n.alive).length}`,
    ...e.logTail.slice(-lines).map((l) => `  | ${stripAnsi(l).slice(0, 240)}`),
  ].join('\n');
}
