// Benchmark: the prompt-injection detector. Hit rate and false flags on the corpus (measured half reported apart from
// the tuning half), false-positive rate per file on the project-index benchmark's tree (pinned npm packages; source
// files as the index counts them, and their Markdown docs), the worst false positives, and throughput in chars/s.
// Run: npm run bench:injection [-- --json] [--worst N]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { detectInjection, type InjectionReport } from '../main/services/security/injection';
import { listIndexBenchTree } from './lib/index-tree';

const ROOT = path.resolve(__dirname, '..');
const CorpusSchema = z.object({
  half: z.enum(['measured', 'tuning']),
  cases: z.array(
    z.object({
      id: z.string(),
      family: z.string(),
      carrier: z.string(),
      source: z.string(),
      text: z.string(),
      expect: z.enum(['flag', 'clean']),
    }),
  ),
});
const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');

function corpus(half: 'measured' | 'tuning') {
  const file = path.join(ROOT, 'test', 'fixtures', 'security', 'injection', half, 'cases.json');
  const { cases } = CorpusSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const injections = cases.filter((c) => c.expect === 'flag');
  const benign = cases.filter((c) => c.expect === 'clean');
  const missed = injections.filter((c) => !detectInjection(c.text).flagged).map((c) => c.id);
  const falseFlags = benign.filter((c) => detectInjection(c.text).flagged).map((c) => c.id);
  const families: Record<string, { n: number; hit: number }> = {};
  for (const c of injections) {
    const f = (families[c.family] ??= { n: 0, hit: 0 });
    f.n++;
    if (!missed.includes(c.id)) f.hit++;
  }
  return {
    half,
    injections: injections.length,
    hits: injections.length - missed.length,
    benign: benign.length,
    falseFlags,
    missed,
    families,
  };
}

function tree(worstN: number) {
  const files = listIndexBenchTree();
  let chars = 0;
  let ms = 0;
  const flagged: { rel: string; source: boolean; report: InjectionReport }[] = [];
  for (const f of files) {
    if (!f.source && !/\.(md|markdown)$/i.test(f.rel)) continue;
    const text = readFileSync(f.abs, 'utf8');
    const t0 = performance.now();
    const report = detectInjection(text);
    ms += performance.now() - t0;
    chars += text.length;
    if (report.flagged) flagged.push({ rel: f.rel, source: f.source, report });
  }
  const source = files.filter((f) => f.source).length;
  const docs = files.filter((f) => !f.source && /\.(md|markdown)$/i.test(f.rel)).length;
  const worst = [...flagged]
    .sort((a, b) => b.report.score - a.report.score)
    .slice(0, worstN)
    .map((f) => ({
      rel: f.rel,
      score: f.report.score,
      hits: f.report.hits
        .filter((h) => h.weight > 0.2)
        .slice(0, 4)
        .map((h) => `${h.rule}: "${h.excerpt.slice(0, 90)}"`),
    }));
  return {
    sourceFiles: source,
    sourceFlagged: flagged.filter((f) => f.source).length,
    markdownFiles: docs,
    markdownFlagged: flagged.filter((f) => !f.source).length,
    chars,
    seconds: ms / 1000,
    charsPerSecond: Math.round(chars / (ms / 1000)),
    worst,
  };
}

function main(): void {
  const measured = corpus('measured');
  const tuning = corpus('tuning');
  const t = tree(Number(argValue('worst') ?? 10));
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ measured, tuning, tree: t }, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  for (const c of [measured, tuning]) {
    lines.push(
      `${c.half.padEnd(9)} hit rate ${c.hits}/${c.injections} (${pct(c.hits, c.injections)}), benign flagged ${c.falseFlags.length}/${c.benign}` +
        `${c.missed.length ? `; missed: ${c.missed.join(', ')}` : ''}${c.falseFlags.length ? `; false flags: ${c.falseFlags.join(', ')}` : ''}`,
    );
    lines.push(
      `          by family: ${Object.entries(c.families)
        .map(([f, v]) => `${f} ${v.hit}/${v.n}`)
        .join(', ')}`,
    );
  }
  lines.push(
    `tree      source files flagged ${t.sourceFlagged}/${t.sourceFiles} (${pct(t.sourceFlagged, t.sourceFiles)} per file); ` +
      `Markdown docs flagged ${t.markdownFlagged}/${t.markdownFiles} (${pct(t.markdownFlagged, t.markdownFiles)})`,
  );
  lines.push(
    `throughput ${(t.chars / 2 ** 20).toFixed(1)} MiB in ${t.seconds.toFixed(2)} s = ${(t.charsPerSecond / 1e6).toFixed(2)} M chars/s (one thread)`,
  );
  if (t.worst.length) {
    lines.push('worst false positives on the tree:');
    for (const w of t.worst) lines.push(`  ${w.score.toFixed(2)}  ${w.rel}\n        ${w.hits.join('\n        ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
