// Picks the CPU thread count by measuring, not assuming: a short probe on the first loaded model, cached per machine.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { LlamaModel, Token } from 'node-llama-cpp';

export const ThreadProbeResultSchema = z.object({
  key: z.string(),
  results: z.array(z.object({ threads: z.number().int(), promptTps: z.number(), genTps: z.number() })),
  chosen: z.number().int().min(1),
  measuredAt: z.string(),
  /** The 1-minute load average per core while measuring (absent in probes cached before it was recorded). */
  loadPerCore: z.number().min(0).optional(),
});
export type ThreadProbeResult = z.infer<typeof ThreadProbeResultSchema>;

/** Cache key: the CPU and core count decide the answer; a new llama.cpp build may change it too. */
export function machineKey(backend: string, llamaRelease: string): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown-cpu';
  const raw = `${cpu}|${os.availableParallelism()}|${os.arch()}|${backend}|${llamaRelease}`;
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

/** Candidate counts: 1, 2, 4, … up to the cores the OS gives us (hyperthreads rarely help llama.cpp). */
export function candidateThreads(cores: number): number[] {
  const out: number[] = [];
  for (let t = 1; t <= Math.max(1, cores); t *= 2) out.push(t);
  if (!out.includes(cores) && cores > 1) out.push(cores);
  return out;
}

/**
 * Scores a thread count by the time of a typical chat turn with KV reuse: ~256 new prompt tokens plus
 * ~128 generated ones. Generation usually dominates, but a machine where more threads double prompt speed
 * and barely slow generation should still pick them.
 */
export function chooseThreads(results: ThreadProbeResult['results']): number {
  let best = results[0];
  let bestTime = Infinity;
  for (const r of results) {
    const time = 256 / Math.max(r.promptTps, 1e-6) + 128 / Math.max(r.genTps, 1e-6);
    if (time < bestTime) {
      bestTime = time;
      best = r;
    }
  }
  return best?.threads ?? 1;
}

/** Load per core at or above which a probe is provisional: other work was competing with the candidates. */
export const PROBE_BUSY_LOAD = 0.75;
/** Load per core below which the machine is quiet enough to measure again. */
export const PROBE_QUIET_LOAD = 0.5;

/** The machine's 1-minute load average per core (0 where the OS has none, e.g. Windows). */
export function loadPerCore(): number {
  return (os.loadavg()[0] ?? 0) / Math.max(1, os.availableParallelism());
}

/**
 * Whether a cached probe should be measured again now: it was taken on a busy machine (or before the load was
 * recorded) and the machine is quiet. A probe taken under load can pick the wrong count for good — one cached on
 * this 2-core machine at 01:56 measured 2 threads at 4.7 tokens/s against 20.8 for 1, and kept every later run
 * on one thread.
 */
export function probeIsProvisional(cached: ThreadProbeResult, loadNow: number): boolean {
  const busyThen = cached.loadPerCore === undefined || cached.loadPerCore >= PROBE_BUSY_LOAD;
  return busyThen && loadNow < PROBE_QUIET_LOAD;
}

/** Per thread count, the best prompt and generation speed over repeated passes: load only ever slows a pass. */
export function bestOfPasses(passes: ThreadProbeResult['results'][]): ThreadProbeResult['results'] {
  const best = new Map<number, ThreadProbeResult['results'][number]>();
  for (const pass of passes)
    for (const r of pass) {
      const b = best.get(r.threads);
      best.set(
        r.threads,
        b ? { threads: r.threads, promptTps: Math.max(b.promptTps, r.promptTps), genTps: Math.max(b.genTps, r.genTps) } : { ...r },
      );
    }
  return [...best.values()];
}

export async function readCachedProbe(file: string, key: string): Promise<ThreadProbeResult | undefined> {
  try {
    const parsed = ThreadProbeResultSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success && parsed.data.key === key ? parsed.data : undefined;
  } catch {
    return undefined; // absent or unreadable cache: measure again
  }
}

export async function writeCachedProbe(file: string, result: ThreadProbeResult): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(result, null, 2));
  await rename(tmp, file);
}

/**
 * Measures prompt and generation speed for each candidate on `model`. Kept short (≈100 prompt tokens, 8
 * generated) because a slow candidate on a busy machine can be 10× slower; a discarded warm-up run first
 * pages the weights in so the first candidate is not penalised. The candidates are measured in interleaved passes
 * and each keeps its best, so a burst of other work during one measurement does not decide the count.
 */
export async function probeThreads(model: LlamaModel, candidates: number[], passes = 2): Promise<ThreadProbeResult['results']> {
  const promptTokens = model.tokenize('The quick brown fox jumps over the lazy dog while the cat sleeps. '.repeat(7));
  const first = candidates[0];
  if (first === undefined) return [];
  await measure(model, first, promptTokens); // warm-up, discarded
  const all: ThreadProbeResult['results'][] = [];
  for (let p = 0; p < passes; p++) {
    const pass: ThreadProbeResult['results'] = [];
    for (const threads of candidates) pass.push({ threads, ...(await measure(model, threads, promptTokens)) });
    all.push(pass);
  }
  return bestOfPasses(all);
}

async function measure(model: LlamaModel, threads: number, promptTokens: Token[]): Promise<{ promptTps: number; genTps: number }> {
  const ctx = await model.createContext({ contextSize: 256, threads, sequences: 1 });
  try {
    const seq = ctx.getSequence();
    let t = performance.now();
    await seq.evaluateWithoutGeneratingNewTokens(promptTokens);
    const promptTps = (promptTokens.length / (performance.now() - t)) * 1000;
    const last = promptTokens[promptTokens.length - 1];
    if (last === undefined) throw new Error('probe prompt tokenized to nothing');
    t = performance.now();
    let n = 0;
    for await (const _tok of seq.evaluate([last], { temperature: 0 })) if (++n >= 8) break;
    return { promptTps, genTps: (n / (performance.now() - t)) * 1000 };
  } finally {
    await ctx.dispose();
  }
}

/**
 * The thread probe for `key`: the cached one unless it is provisional (probeIsProvisional), else measured now on
 * `model` and cached with the load per core (the higher of before and after: a burst during the probe counts).
 */
export async function cachedOrProbe(
  model: LlamaModel,
  file: string,
  key: string,
  log?: (msg: string) => void,
): Promise<ThreadProbeResult & { cached: boolean }> {
  const cached = await readCachedProbe(file, key);
  const load = loadPerCore();
  if (cached && !probeIsProvisional(cached, load)) return { ...cached, cached: true };
  const results = await probeThreads(model, candidateThreads(os.availableParallelism()));
  const result: ThreadProbeResult = {
    key,
    results,
    chosen: chooseThreads(results),
    measuredAt: new Date().toISOString(),
    loadPerCore: Math.max(load, loadPerCore()),
  };
  await writeCachedProbe(file, result).catch((e: unknown) => log?.(`could not cache thread probe: ${String(e)}`));
  return { ...result, cached: false };
}

export function defaultProbeCacheFile(cacheDir: string): string {
  return join(cacheDir, 'thread-probe.json');
}
