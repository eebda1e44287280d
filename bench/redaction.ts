// Benchmark: every redaction detector on 4 MiB adversarial inputs (goal < 1 s each), the old quadratic SECRET regex beside
// the new scanner at 10/20/40 KB, and a full 8 MiB request through the worker. Run: npm run bench:redaction
import { cpus, loadavg } from 'node:os';
import { DETECTORS, type Detector } from '../native/redact/patterns';
import { MAX_REDACTION_INPUT_BYTES, RedactionSession } from '../native/redact/session';
import { WorkerRedactor } from '../main/services/redaction/worker-redactor';

const SIZE = Number(process.env.EVOLVE_BENCH_BYTES ?? 4 * 1024 * 1024);
const GOAL_MS = 1000;

/** The SECRET pattern as it was before the rewrite (kept here only to show its growth). */
const OLD_SECRET =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key))(["']?)(\s*(?::|=|:=)\s*|\s+)(["'`]?)([^\s"'`,;]{4,})\4/gi;

/** Units that make backtracking engines re-read what they read: run characters, separators, each detector's trigger. */
const UNITS = [
  'a',
  'a_',
  'a.',
  'a-',
  'a%',
  'a:',
  'a+',
  'a/',
  '1.',
  '1:',
  'f:',
  'a ',
  ' ',
  '\n',
  '@',
  'a@',
  '.a@',
  'a@a.',
  'a@a-',
  'sk-',
  'sk-ant-',
  'sk-ant-api-',
  'AKIA',
  'aws_secret_key=',
  'aws_secret_key = "',
  'ghp_',
  'github_pat_',
  'glpat-',
  'glpat--',
  'https://hooks.slack.com/services/T',
  'https://hooks.slack.com/services/Ta/B',
  'xoxb-',
  'AIza',
  'sk_live_',
  'whsec_',
  'hf_',
  'npm_',
  'SG.',
  'SG.aaaaaaaaaaaaaaaaaaaaaa.',
  'eyJ',
  'eyJ-',
  'eyJaaaaaaaaa.',
  'eyJaaaaaaaaa.eyJ',
  'eyJaaaaaaaaa.eyJaaaaaaaaa.',
  'Bearer ',
  'Token ',
  'token=',
  'token="',
  'token:',
  'token ',
  '--password ',
  'password=a',
  'a.token=',
  '-----BEGIN PRIVATE KEY-----',
  '-----BEGIN A ',
  '-----END PRIVATE KEY-----',
  'a://',
  'a://x:',
  'a://x:y',
  'x:y@',
  '1.1.1.',
  '1.1.1.1.',
  '255.255.255.25',
  '1:1:',
  '::1:',
  'a:a:',
  '1::',
];

/** Three shapes per unit: the unit repeated, the unit then one long run, the unit then short runs. */
function* adversarial(size: number): Generator<{ name: string; text: string }> {
  for (const u of UNITS) {
    yield { name: `${JSON.stringify(u)}×n`, text: u.repeat(Math.ceil(size / u.length)).slice(0, size) };
    yield { name: `${JSON.stringify(u)}+a…`, text: (u + 'a'.repeat(size)).slice(0, size) };
    const block = `${u}${'a'.repeat(40)}`;
    yield { name: `(${JSON.stringify(u)}+a×40)×n`, text: block.repeat(Math.ceil(size / block.length)).slice(0, size) };
  }
}

/**
 * CPU time of `fn` in ms (user + system of this process) and wall time. This machine may be shared with other work:
 * CPU time is what the detector itself costs, so the goal is judged on it; wall time is printed beside it.
 */
function measure(fn: () => void): { cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
}

const timeDetector = (d: Detector, text: string) => measure(() => new RedactionSession([d]).redact(text));

const timeOld = (text: string) =>
  measure(() => {
    OLD_SECRET.lastIndex = 0;
    while (OLD_SECRET.exec(text) !== null);
  });

const fmt = (t: { cpu: number; wall: number }, digits = 0) => `${t.cpu.toFixed(digits)} ms CPU (${t.wall.toFixed(digits)} wall)`;

async function main(): Promise<void> {
  const shapes = UNITS.length * 3;
  process.stdout.write(
    `redaction: ${DETECTORS.length} detectors × ${shapes} adversarial inputs of ${(SIZE / 1048576).toFixed(1)} MiB; ` +
      `goal < ${GOAL_MS} ms CPU each (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores)\n`,
  );
  // One input in memory at a time; every detector runs on it.
  const worst = new Map<Detector, { cpu: number; wall: number; name: string }>(DETECTORS.map((d) => [d, { cpu: 0, wall: 0, name: '' }]));
  for (const input of adversarial(SIZE)) {
    for (const d of DETECTORS) {
      const t = timeDetector(d, input.text);
      if (t.cpu > (worst.get(d)?.cpu ?? 0)) worst.set(d, { ...t, name: input.name });
    }
  }
  let failed = false;
  for (const d of DETECTORS) {
    const w = worst.get(d) as { cpu: number; wall: number; name: string };
    const ok = w.cpu < GOAL_MS;
    failed ||= !ok;
    process.stdout.write(`  ${d.kind.padEnd(15)} worst ${fmt(w).padEnd(26)} on ${w.name}  ${ok ? 'ok' : 'FAIL'}\n`);
  }

  process.stdout.write('SECRET, the old regex beside the new scanner on "a_a_…" (the issue\'s case):\n');
  const secret = DETECTORS.find((d) => d.kind === 'SECRET') as Detector;
  for (const kb of [10, 20, 40]) {
    const text = 'a_'.repeat((kb * 1024) / 2);
    process.stdout.write(
      `  ${String(kb).padStart(3)} KB   old ${fmt(timeOld(text), 1).padEnd(28)} new ${fmt(timeDetector(secret, text), 2)}\n`,
    );
  }
  const b64 = 'QUJD_-'.repeat(Math.ceil((100 * 1024) / 6)).slice(0, 100 * 1024);
  process.stdout.write(`  100 KB base64url   old ${fmt(timeOld(b64), 1)}   new ${fmt(timeDetector(secret, b64), 2)}\n`);

  // The whole pipeline at the size limit, through the worker as the router calls it.
  const redactor = new WorkerRedactor();
  try {
    const line = 'const config = { password: "hunter2-FAKE", host: "10.1.2.3", owner: "ops@example.com" };\n';
    const big = line.repeat(Math.floor(MAX_REDACTION_INPUT_BYTES / line.length));
    await redactor.preview({ prompt: 'warm up' });
    const t0 = performance.now();
    const pv = await redactor.preview({ messages: [{ role: 'user', content: big }] });
    process.stdout.write(
      `worker: ${(big.length / 1048576).toFixed(2)} MiB realistic request, ${pv.total} items redacted, ${(performance.now() - t0).toFixed(0)} ms wall\n`,
    );
  } finally {
    await redactor.close();
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench:redaction failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
