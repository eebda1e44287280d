// Benchmark: the project index on a fixed real tree the project does not write (17 pinned packages copied
// from node_modules, ~5,400 source files), through the real stack (SQLCipher DB worker, index worker,
// embedding worker, ProjectService): full index time, files/s, DB size, one-file re-index, peak RSS, and
// recall@5 (top five distinct files) of hybrid vs BM25-only vs vectors-only on bench/index-questions.json
// (written before any tuning).
// Run: npm run bench:index [-- --no-vectors] [--keep] [--json] [--out FILE] [--explore] [--dump FILE] [--expand [MODEL]];
// --chunk-only times the worker's part alone; --explore also prints recall@5 of other fusion parameters on the same
// lists; --expand also measures hybrid search with query expansion by the local coding model (default: the catalog's
// default coding model) on the same index, side by side.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { localModel } from '../main/services/codegen/engine/models';
import { modelQueryExpander } from '../main/services/projects/query-expansion';
import { fuseHits } from '../main/services/projects/retrieval';
import { resolveEvalModel, startEvalModel } from '../eval/codegen/run/model';
import { int8ToBase64, quantizeInt8 } from '../native/db/ops/index-vectors';
import { languageForPath } from '../native/index/languages';
import { makeHarness } from '../test/integration/projects/harness';

const ROOT = path.resolve(__dirname, '..');
const flag = (name: string) => process.argv.includes(`--${name}`);

interface Question {
  id: string;
  question: string;
  file: string;
  accept?: string[];
  noIdentifiers: boolean;
}
interface QuestionsFile {
  tree: { packages: Record<string, string>; exclude: string[] };
  questions: Question[];
}

const spec = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'index-questions.json'), 'utf8')) as QuestionsFile;

/** Copies the pinned packages (nested node_modules left out) and counts their source files. */
function buildTree(dest: string): { files: number; sourceFiles: number; bytes: number } {
  for (const [name, version] of Object.entries(spec.tree.packages)) {
    const src = path.join(ROOT, 'node_modules', name);
    const installed = (JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8')) as { version: string }).version;
    if (installed !== version) throw new Error(`${name} is ${installed}, the questions were written for ${version}`);
    cpSync(src, path.join(dest, name), {
      recursive: true,
      filter: (p) => !path.relative(src, p).split(path.sep).includes('node_modules'),
    });
  }
  let files = 0;
  let sourceFiles = 0;
  let bytes = 0;
  const visit = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(dir, e.name), r);
      else if (e.isFile() && !r.endsWith('.map')) {
        files++;
        bytes += statSync(path.join(dir, e.name)).size;
        if (languageForPath(r)) sourceFiles++;
      }
    }
  };
  visit(dest, '');
  return { files, sourceFiles, bytes };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

/** Peak RSS (VmHWM) of this process and of each child process (the workers), from /proc; Linux only. */
function peakRss(): { bench: number; workers: { pid: number; name: string; mb: number }[] } {
  const hwm = (pid: number | 'self') => {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  };
  const workers: { pid: number; name: string; mb: number }[] = [];
  if (!existsSync('/proc/self/status')) return { bench: process.resourceUsage().maxRSS / 1024, workers };
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd =
        readFileSync(`/proc/${d}/cmdline`, 'utf8')
          .split('\0')
          .find((a) => a.includes('worker')) ?? '?';
      workers.push({ pid: Number(d), name: path.relative(ROOT, cmd), mb: hwm(Number(d)) });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return { bench: hwm('self'), workers };
}

const fmt = (n: number, d = 1) => n.toFixed(d);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

/**
 * CPU seconds (user + system) of this process and of each worker, from /proc (Linux; empty elsewhere). Taken
 * before and after the index, it shows what the index costs whatever else the machine runs at the time.
 */
function cpuSeconds(): Record<string, number> {
  const out: Record<string, number> = {};
  if (!existsSync('/proc/self/stat')) return out;
  const ticks = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  };
  out.bench = ticks(readFileSync('/proc/self/stat', 'utf8'));
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8')
        .split('\0')
        .find((a) => a.includes('worker'));
      if (cmd) out[path.basename(path.dirname(cmd))] = ticks(stat);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

/** The first five distinct files of a ranking: recall@5 counts files for every method alike (a file = 1 slot). */
const top5Files = (hits: { rel: string }[]): string[] => [...new Set(hits.map((h) => h.rel))].slice(0, 5);

/** Walk + hash + parse + chunk + tags in this process, no store: the index worker's own share of the time. */
async function chunkOnly(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { walkAndChunk } = await import('../native/index/pipeline');
  const { countTokens } = await import('../native/index/tokens');
  const dir = mkdtempSync(path.join(tmpdir(), 'evolve-bench-chunk-'));
  try {
    const counts = buildTree(dir);
    const ac = new AbortController();
    const kinds = new Map<string, number>();
    // What embedding would cost: estimated tokens of the distinct chunks (content-addressed, so copies are free).
    const seen = new Set<string>();
    const tokensByKind = new Map<string, number>();
    let parseErrors = 0;
    const t = performance.now();
    const r = await walkAndChunk({ root: dir, exclude: spec.tree.exclude }, ac.signal, (e) => {
      if (e.type !== 'file') return;
      if (e.parseError) parseErrors++;
      for (const c of e.chunks) {
        kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        tokensByKind.set(c.kind, (tokensByKind.get(c.kind) ?? 0) + Math.min(256, countTokens(c.text)));
      }
    });
    const sec = (performance.now() - t) / 1000;
    process.stdout.write(
      `tree ${counts.sourceFiles} source files; walk+chunk+tags ${fmt(sec)} s, ${fmt(r.files / sec)} files/s, ${r.chunks} chunks ` +
        `(${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${parseErrors} files chunked by lines after a parse error, ` +
        `${r.skipped} skipped, ${r.errors} errors; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB\n` +
        `distinct chunks ${seen.size}; estimated tokens to embed (≤ 256 each): ${[...tokensByKind].map(([k, n]) => `${k} ${n}`).join(', ')}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (flag('chunk-only')) return chunkOnly();
  const vectors = !flag('no-vectors');
  const expandAt = process.argv.indexOf('--expand');
  const expandArg = expandAt >= 0 && !(process.argv[expandAt + 1] ?? '--').startsWith('--') ? process.argv[expandAt + 1] : undefined;
  const modelHost = expandAt >= 0 ? await startEvalModel(await resolveEvalModel(expandArg, ROOT), ROOT) : null;
  const expand = modelHost
    ? modelQueryExpander({
        model: (signal) => localModel(modelHost.sources, undefined, signal),
        timeoutMs: 120_000,
        log: (_l, m) => process.stderr.write(`  ${m}\n`),
      })
    : undefined;
  const h = await makeHarness({ vectors, watch: false, ...(expand ? { expand } : {}) });
  const out: Record<string, unknown> = {};
  try {
    const tree = path.join(h.dir, 'tree');
    mkdirSync(tree);
    const t0 = performance.now();
    const counts = buildTree(tree);
    out.tree = { ...counts, mb: counts.bytes / 2 ** 20, copySec: (performance.now() - t0) / 1000 };
    process.stderr.write(
      `tree: ${counts.sourceFiles} source files (${counts.files} files, ${fmt(counts.bytes / 2 ** 20)} MiB) in ${tree}\n`,
    );
    if (counts.sourceFiles < 5000) throw new Error(`only ${counts.sourceFiles} source files; the bench needs >= 5000`);

    const project = await h.service.add({ path: tree, name: 'bench', exclude: spec.tree.exclude });
    const cpuBefore = cpuSeconds();
    const started = performance.now();
    let lastPrint = 0;
    const final = await h.service.index(project.id, (p) => {
      const now = performance.now();
      if (now - lastPrint < 5000) return;
      lastPrint = now;
      process.stderr.write(
        `  ${p.phase} ${p.filesDone + p.unchanged}/${p.filesTotal ?? p.filesSeen} files, ${p.chunks} chunks (${p.chunksEmbedded} embedded), ${fmt(p.filesPerSec)} files/s, ETA ${p.etaSec === null ? '?' : fmt(p.etaSec, 0)} s\n`,
      );
    });
    const indexSec = (performance.now() - started) / 1000;
    const cpuAfter = cpuSeconds();
    out.indexCpuSec = Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, v - (cpuBefore[k] ?? 0)]));
    out.index = {
      phase: final.phase,
      seconds: indexSec,
      files: final.filesDone,
      skipped: final.skipped,
      errors: final.errors,
      chunks: final.chunks,
      chunksEmbedded: final.chunksEmbedded,
      filesPerSec: final.filesDone / indexSec,
      vectorsOff: final.vectorsOff,
      dbMiB: dirBytes(path.join(h.dir, 'data')) / 2 ** 20,
    };

    // Retrieval quality: recall@5 for the fused ranking and for each ranking alone.
    const accept = (q: Question) => new Set([q.file, ...(q.accept ?? [])]);
    // --explore: the same two lists fused with other parameters (what the shipped ones were chosen from).
    const FUSION_VARIANTS = flag('explore')
      ? [60, 20, 10, 5].flatMap((rrfK) => [0, 0.25, 0.5].map((bm25Floor) => ({ rrfK, bm25Floor })))
      : [];
    const variantHits = new Map<string, number>();
    const searchMs: number[] = [];
    const rows: { id: string; noIdentifiers: boolean; hybrid: boolean; bm25: boolean; vector: boolean; expanded?: boolean }[] = [];
    const expandMs: number[] = [];
    // --dump FILE: each question's raw BM25 and vector lists (file, kind, score) and the fused top five, to study misses.
    const dump: unknown[] = [];
    for (const q of spec.questions) {
      const ok = accept(q);
      const ts = performance.now();
      const hybrid = await h.service.search(project.id, q.question, 5, 1_000_000, { expand: false });
      searchMs.push(performance.now() - ts);
      let expanded: { chunks: { rel: string }[]; expansion?: string[] } | undefined;
      if (expand) {
        const te = performance.now();
        expanded = await h.service.search(project.id, q.question, 5, 1_000_000, { expand: true });
        expandMs.push(performance.now() - te);
      }
      let vector: string | undefined;
      if (h.embeddings) {
        const [v] = await h.embeddings.client.embed([q.question]);
        if (v) vector = int8ToBase64(quantizeInt8(v));
      }
      const single = await h.store.client.call('index.search', { projectId: project.id, query: q.question, vector, k: 60 });
      for (const v of FUSION_VARIANTS) {
        const key = `rrfK=${v.rrfK} floor=${v.bm25Floor}`;
        const hit = top5Files(fuseHits(single, 5, v)).some((rel) => ok.has(rel));
        variantHits.set(key, (variantHits.get(key) ?? 0) + (hit ? 1 : 0));
      }
      if (flag('dump')) {
        const brief = (hs: { rel: string; kind: string; score: number }[]) =>
          hs.map((x) => [x.rel, x.kind, Math.round(x.score * 1000) / 1000]);
        dump.push({
          id: q.id,
          file: q.file,
          accept: [...ok],
          bm25: brief(single.bm25),
          vector: brief(single.vector),
          hybrid: top5Files(hybrid.chunks),
          ...(expanded ? { expansion: expanded.expansion ?? [], expanded: top5Files(expanded.chunks) } : {}),
        });
      }
      rows.push({
        id: q.id,
        noIdentifiers: q.noIdentifiers,
        hybrid: top5Files(hybrid.chunks).some((rel) => ok.has(rel)),
        bm25: top5Files(single.bm25).some((rel) => ok.has(rel)),
        vector: top5Files(single.vector).some((rel) => ok.has(rel)),
        ...(expanded ? { expanded: top5Files(expanded.chunks).some((rel) => ok.has(rel)) } : {}),
      });
    }
    const recall = (sel: (r: (typeof rows)[number]) => boolean, subset = rows) => subset.filter(sel).length / subset.length;
    const plain = rows.filter((r) => r.noIdentifiers);
    if (flag('dump'))
      writeFileSync(process.argv[process.argv.indexOf('--dump') + 1] ?? 'bench-index-dump.json', JSON.stringify(dump, null, 1));
    out.recallAt5 = {
      questions: rows.length,
      hybrid: recall((r) => r.hybrid),
      bm25: recall((r) => r.bm25),
      vector: recall((r) => r.vector),
      noIdentifiers: {
        questions: plain.length,
        hybrid: recall((r) => r.hybrid, plain),
        bm25: recall((r) => r.bm25, plain),
        vector: recall((r) => r.vector, plain),
      },
      perQuestion: rows,
      searchMs: { p50: quantile(searchMs, 0.5), max: Math.max(...searchMs) },
      ...(expand
        ? {
            expanded: recall((r) => r.expanded === true),
            expandedNoIdentifiers: recall((r) => r.expanded === true, plain),
            expandedSearchMs: { p50: quantile(expandMs, 0.5), max: Math.max(...expandMs) },
          }
        : {}),
      ...(variantHits.size ? { fusionVariants: Object.fromEntries([...variantHits].map(([k, n]) => [k, n / rows.length])) } : {}),
    };
    // One changed file: append a unique line, re-index just that path, and find it by search.
    const reindex: number[] = [];
    const reindexMisses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const rel = 'lodash/debounce.js';
      const marker = `benchmarkreindexmarker${i}x${Date.now()}`;
      appendFileSync(path.join(tree, rel), `\n// ${marker}\n`);
      const t = performance.now();
      await h.service.indexPaths(project.id, [rel]);
      reindex.push(performance.now() - t);
      const hit = await h.service.search(project.id, marker, 5, 100_000);
      if (!hit.chunks.some((c) => c.rel === rel)) reindexMisses.push(marker);
    }
    out.reindexMs = { runs: reindex, median: [...reindex].sort((a, b) => a - b)[1], searchMisses: reindexMisses.length };

    out.peakRssMiB = peakRss();
  } finally {
    if (!flag('keep')) await h.close();
    await modelHost?.close();
  }

  if (flag('json')) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const t = out.tree as { sourceFiles: number; files: number; mb: number };
  const ix = out.index as {
    seconds: number;
    files: number;
    chunks: number;
    chunksEmbedded: number;
    filesPerSec: number;
    dbMiB: number;
    errors: number;
    skipped: number;
    vectorsOff: string | null;
  };
  const r = out.recallAt5 as {
    questions: number;
    hybrid: number;
    bm25: number;
    vector: number;
    noIdentifiers: { questions: number; hybrid: number; bm25: number; vector: number };
    perQuestion: { id: string; hybrid: boolean; bm25: boolean; vector: boolean }[];
    searchMs: { p50: number; max: number };
    expanded?: number;
    expandedNoIdentifiers?: number;
    expandedSearchMs?: { p50: number; max: number };
  };
  const rss = out.peakRssMiB as { bench: number; workers: { name: string; mb: number }[] };
  const re = out.reindexMs as { median: number; searchMisses: number };
  const lines = [
    `tree                ${t.sourceFiles} source files (${t.files} files, ${fmt(t.mb)} MiB)`,
    `full index          ${fmt(ix.seconds)} s, ${ix.files} files, ${ix.chunks} chunks (${ix.chunksEmbedded} embedded), ${ix.skipped} skipped, ${ix.errors} errors${ix.vectorsOff ? `, vectors off: ${ix.vectorsOff}` : ''}`,
    `files/s             ${fmt(ix.filesPerSec)}`,
    `CPU while indexing  ${Object.entries(out.indexCpuSec as Record<string, number>)
      .map(([k, v]) => `${k} ${fmt(v)} s`)
      .join(', ')}`,
    `DB size             ${fmt(ix.dbMiB)} MiB`,
    `one-file re-index   ${fmt(re.median, 0)} ms (median of 3)${re.searchMisses ? `; its new line NOT found ${re.searchMisses}/3 times` : ', new line found each time'}`,
    `peak RSS            bench ${fmt(rss.bench, 0)} MiB; ${rss.workers.map((w) => `${w.name} ${fmt(w.mb, 0)} MiB`).join('; ')}`,
    `search (hybrid)     p50 ${fmt(r.searchMs.p50, 0)} ms, max ${fmt(r.searchMs.max, 0)} ms (embedding, BM25, k-NN, fusion, repo map)`,
    `recall@5            hybrid ${fmt(r.hybrid, 2)} | BM25 ${fmt(r.bm25, 2)} | vectors ${fmt(r.vector, 2)}  (${r.questions} questions)`,
    `  no identifiers    hybrid ${fmt(r.noIdentifiers.hybrid, 2)} | BM25 ${fmt(r.noIdentifiers.bm25, 2)} | vectors ${fmt(r.noIdentifiers.vector, 2)}  (${r.noIdentifiers.questions} questions)`,
    ...(r.expanded !== undefined
      ? [
          `  + expansion       hybrid ${fmt(r.expanded, 2)} (no identifiers ${fmt(r.expandedNoIdentifiers ?? 0, 2)}); search p50 ${fmt(r.expandedSearchMs?.p50 ?? 0, 0)} ms, max ${fmt(r.expandedSearchMs?.max ?? 0, 0)} ms with the model call`,
        ]
      : []),
    ...Object.entries((out.recallAt5 as { fusionVariants?: Record<string, number> }).fusionVariants ?? {}).map(
      ([k, v]) => `  variant ${k.padEnd(22)} hybrid ${fmt(v, 2)}`,
    ),
    `  misses (hybrid)   ${
      r.perQuestion
        .filter((q) => !q.hybrid)
        .map((q) => q.id)
        .join(' ') || 'none'
    }`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (flag('out')) writeFileSync(process.argv[process.argv.indexOf('--out') + 1] ?? 'bench-index.json', JSON.stringify(out, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:index failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
