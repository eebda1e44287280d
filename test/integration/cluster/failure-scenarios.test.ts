// Real failures on one local Ray cluster (node lost, exceptions, OOM, disk full, data, config…) named by the diagnosis rules.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureEvidenceSchema } from '../../../common/cluster/diagnosis';
import { classifyFailure } from '../../../main/services/cluster/diagnosis/rules';
import { formatDiagnosisReport, scoreDiagnoses } from '../../support/cluster/diagnosis-report';
import {
  evidenceExcerpt,
  resultRows,
  runFailureScenarios,
  startScenarioCluster,
  type ScenarioResult,
} from '../../support/cluster/failure-scenario-runner';
import { FAILURE_SCENARIOS, scenariosForTests } from '../../support/cluster/failure-scenarios';
import { tempDir } from '../../support/cluster/processes';
import { rayUnavailableReason, type RayCluster } from '../../support/cluster/ray-cluster';

const skip = rayUnavailableReason();
/** A slice by default (see TEST_SLICE_IDS); `npm run eval:diagnosis` runs all of them. */
const SCENARIOS = scenariosForTests();

describe.skipIf(skip !== null)('failure diagnosis on real failures of a local Ray cluster', () => {
  let cluster: RayCluster | undefined;
  let results: ScenarioResult[] = [];
  let seconds = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startScenarioCluster((l) => console.warn(l));
    results = await runFailureScenarios(cluster, SCENARIOS, { classify: classifyFailure });
    seconds = (Date.now() - t0) / 1000;
    const rows = resultRows(results);
    console.log(
      formatDiagnosisReport(
        `Failure diagnosis: ${rows.length} scenarios on one Ray cluster in ${seconds.toFixed(0)} s (cluster start included)`,
        rows,
      ),
    );
  }, 900_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  const byId = (id: string): ScenarioResult => {
    const r = results.find((x) => x.scenario.id === id);
    if (!r) throw new Error(`no result for ${id}`);
    return r;
  };

  it('covers at least 8 scenarios and every failure class that can happen without a GPU', () => {
    expect(FAILURE_SCENARIOS.length).toBeGreaterThanOrEqual(8);
    const classes = new Set(FAILURE_SCENARIOS.map((s) => s.expected));
    for (const c of ['node-lost', 'python-exception', 'host-oom', 'disk-full', 'data-loader', 'bad-config', 'nccl-timeout'] as const)
      expect(classes).toContain(c);
  });

  it("no scenario's own entrypoint line decides a class (the harness does not leak the answer into the log)", async () => {
    for (const s of FAILURE_SCENARIOS) {
      if (s.unavailable?.()) continue;
      const scratch = tempDir('evf-');
      try {
        const job = await s.prepare({ cluster: cluster as RayCluster, scratch });
        const line = `Running entrypoint for job evjob-0-0: ${job.entrypoint}`; // as Ray prints it
        expect(classifyFailure(FailureEvidenceSchema.parse({ status: 'FAILED', logTail: [line] })).class, s.id).toBe('unknown');
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
  });

  it.each(SCENARIOS.map((s) => [s.id, s.expected] as const))('%s reproduces (the job FAILED) and is diagnosed as %s', (id, expected) => {
    const r = byId(id);
    const context = `${r.error ?? ''}\n${evidenceExcerpt(r)}`;
    expect(r.status, context).toBe('FAILED');
    expect(r.diagnosis?.class, context).toBe(expected);
    // Every diagnosis says why: at least one evidence line (or fact) behind the class, except for 'unknown'.
    if (expected !== 'unknown') expect(r.diagnosis?.evidence.length, context).toBeGreaterThan(0);
  });

  it.each(SCENARIOS.filter((s) => s.expectLocation).map((s) => [s.id, s.expectLocation] as const))(
    '%s points at the training code (%s:line)',
    (id, file) => {
      const r = byId(id);
      expect(r.diagnosis?.location?.file, evidenceExcerpt(r, 40)).toBe(file);
      expect(r.diagnosis?.location?.line).toBeGreaterThan(0);
    },
  );

  it('reports the accuracy over all reproduced scenarios', () => {
    const score = scoreDiagnoses(resultRows(results));
    expect(score.notReproduced).toEqual([]);
    expect(score.scored).toBe(SCENARIOS.length);
    expect(score.accuracy).toBe(1);
  });
});
