// Benchmark: the embedding worker on real code — batches of 32 chunks of ~200 tokens cut from this repository's
// sources, with 1 and 2 onnxruntime intra-op threads: texts/s, tokens/s, batch and single-query latency, worker RSS.
// Run: npm run bench:embeddings   (env: EVOLVE_BENCH_BATCHES=10, EVOLVE_BENCH_THREADS=1,2)
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { EmbeddingService } from '../main/services/embeddings/embedding-service';
import { HAVE_EMBED_MODEL, EMBED_SKIP_REASON, MODEL_CACHE, embedWorkerSpawner } from '../test/fixtures/embeddings/model';

const ROOT = path.resolve(__dirname, '..');
const BATCHES = Number(process.env.EVOLVE_BENCH_BATCHES ?? 10);
const THREADS = (process.env.EVOLVE_BENCH_THREADS ?? '1,2').split(',').map(Number);
const BATCH = 32;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Line windows of the app's own code, ~640 characters each (about 200 word pieces of TypeScript). */
function codeChunks(n: number): string[] {
  const chunks: string[] = [];
  for (const f of sourceFiles(path.join(ROOT, 'main')).sort()) {
    let cur = '';
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      cur += `${line}\n`;
      if (cur.length >= 640) {
        chunks.push(cur);
        cur = '';
        if (chunks.length === n) return chunks;
      }
    }
  }
  return chunks;
}

/** CPU seconds the worker has used (user + system): a figure that other load on the machine barely changes. */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
}

function rssOf(pid: number | undefined): { rssMiB: number; peakMiB: number } {
  if (!pid) return { rssMiB: NaN, peakMiB: NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function main(): Promise<void> {
  if (!HAVE_EMBED_MODEL) throw new Error(EMBED_SKIP_REASON);
  const texts = codeChunks(BATCH * BATCHES);
  console.log(
    `embedding bench: ${texts.length} code chunks, batches of ${BATCH}; ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const threads of THREADS) {
    const svc = new EmbeddingService({ modelCacheDir: MODEL_CACHE, spawn: embedWorkerSpawner(), intraOpThreads: threads, log: () => {} });
    try {
      const tokenCounts = (await svc.client.tokenize(texts)).map((ids) => ids.length);
      const idle = rssOf(svc.supervisor.pid);
      await svc.client.embed(texts.slice(0, BATCH)); // warm-up: first run allocates and picks kernels
      const batchMs: number[] = [];
      let tokens = 0;
      const t0 = performance.now();
      const cpu0 = cpuSecondsOf(svc.supervisor.pid);
      for (let b = 0; b < BATCHES; b++) {
        const slice = texts.slice(b * BATCH, (b + 1) * BATCH);
        const s = performance.now();
        tokens += (await svc.client.embedWithUsage(slice)).tokens;
        batchMs.push(performance.now() - s);
      }
      const secs = (performance.now() - t0) / 1000;
      const cpuSecs = cpuSecondsOf(svc.supervisor.pid) - cpu0;
      const queryMs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const s = performance.now();
        await svc.client.embed([`where is the retry logic number ${i}?`], undefined, { priority: 'interactive' });
        queryMs.push(performance.now() - s);
      }
      const mem = rssOf(svc.supervisor.pid);
      const meanTok = tokenCounts.reduce((a, b) => a + b, 0) / tokenCounts.length;
      console.log(
        [
          `threads=${threads}`,
          `${(texts.length / secs).toFixed(1)} texts/s, ${(tokens / secs).toFixed(0)} tokens/s (mean ${meanTok.toFixed(0)} tokens/text)`,
          `${(tokens / cpuSecs).toFixed(0)} tokens per worker CPU-second (${(cpuSecs / secs).toFixed(2)} cores busy)`,
          `batch of ${BATCH}: p50 ${pct(batchMs, 50).toFixed(0)} ms, max ${Math.max(...batchMs).toFixed(0)} ms`,
          `1 query: p50 ${pct(queryMs, 50).toFixed(1)} ms`,
          `worker RSS ${mem.rssMiB.toFixed(0)} MiB (peak ${mem.peakMiB.toFixed(0)} MiB, ${idle.rssMiB.toFixed(0)} MiB before the first batch)`,
        ].join(' | '),
      );
    } finally {
      await svc.stop();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
