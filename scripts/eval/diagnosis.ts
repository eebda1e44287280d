// `npm run eval:diagnosis`: reproduces the failure scenarios on a fresh local Ray cluster, classifies each failure
// with the app's rules and prints accuracy, per-class hits and confusion (progress on stderr, the table on stdout).
// Options: --only id,id (a subset) · --show-evidence (the log tail of every scenario, not only of misses) · --json FILE
import fs from 'node:fs';
import { classifyFailure } from '../../main/services/cluster/diagnosis/rules';
import { formatDiagnosisReport, scoreDiagnoses } from '../../test/support/cluster/diagnosis-report';
import { evidenceExcerpt, resultRows, runFailureScenarios, startScenarioCluster } from '../../test/support/cluster/failure-scenario-runner';
import { FAILURE_SCENARIOS } from '../../test/support/cluster/failure-scenarios';
import { rayUnavailableReason } from '../../test/support/cluster/ray-cluster';

const USAGE = 'usage: npm run eval:diagnosis -- [--only id,id] [--show-evidence] [--json results.json]';

function parseArgs(argv: string[]): { only: string[] | null; showEvidence: boolean; json: string | null } {
  const out = { only: null as string[] | null, showEvidence: false, json: null as string | null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') out.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--show-evidence') out.showEvidence = true;
    else if (a === '--json') out.json = argv[++i] ?? null;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const why = rayUnavailableReason();
  if (why) {
    process.stderr.write(`cannot run: ${why}\n`);
    return 2;
  }
  const scenarios = args.only ? FAILURE_SCENARIOS.filter((s) => args.only?.includes(s.id)) : FAILURE_SCENARIOS;
  if (scenarios.length === 0) throw new Error(`no scenario matches --only; ids: ${FAILURE_SCENARIOS.map((s) => s.id).join(', ')}`);
  const t0 = Date.now();
  const cluster = await startScenarioCluster((l) => process.stderr.write(`${l}\n`));
  process.stderr.write(`Ray cluster up in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  try {
    const t1 = Date.now();
    const results = await runFailureScenarios(cluster, scenarios, {
      classify: classifyFailure,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    const rows = resultRows(results);
    const score = scoreDiagnoses(rows);
    const secs = ((Date.now() - t1) / 1000).toFixed(0);
    process.stdout.write(
      `${formatDiagnosisReport(`Failure diagnosis on a real local Ray cluster (${scenarios.length} scenarios, ${secs} s)`, rows, score)}\n`,
    );
    for (const r of results) {
      const miss = r.diagnosis === null || r.diagnosis.class !== r.scenario.expected;
      if (miss || args.showEvidence) process.stdout.write(`\n--- ${r.scenario.id} (${r.scenario.how})\n${evidenceExcerpt(r)}\n`);
    }
    if (args.json) {
      const dump = results.map((r) => ({
        id: r.scenario.id,
        expected: r.scenario.expected,
        status: r.status,
        error: r.error,
        diagnosis: r.diagnosis,
        evidence: r.evidence,
      }));
      fs.writeFileSync(args.json, JSON.stringify({ score, results: dump }, null, 2));
    }
    return score.notReproduced.length === 0 ? 0 : 1;
  } finally {
    await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
