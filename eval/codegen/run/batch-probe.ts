// Measures what batching k candidates buys on this machine: completion tokens/s of one chat thread alone versus k
// threads generating at once on the same loaded model (llama.cpp batches their decode steps). Usage:
//   tsx eval/codegen/run/batch-probe.ts [--model ID|PATH] [--k 3] [--tokens 96] [--threads 2]
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InferenceEngine } from '../../../native/inference/engine';
import { resolveEvalModel } from './model';

const REPO = path.resolve(import.meta.dirname, '../../..');
const PROMPT = 'Write a Python function `merge_intervals(xs: list[tuple[int, int]]) -> list[tuple[int, int]]` with a docstring.';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, k: { type: 'string' }, tokens: { type: 'string' }, threads: { type: 'string' } },
  });
  const k = Number(values.k ?? 3);
  const maxTokens = Number(values.tokens ?? 96);
  const m = await resolveEvalModel(values.model, REPO);
  const engine = await InferenceEngine.create({
    cacheDir: path.join(os.homedir(), '.cache', 'evolve-studio', 'inference'),
    ...(values.threads ? { threadsOverride: Number(values.threads) } : {}),
  });
  try {
    await engine.load({ path: m.path, modelId: m.label, contextSize: 2048, sequences: k + 2, completionSequences: 0 });
    const one = (i: number, seed: number) =>
      engine.generate(
        {
          modelId: m.label,
          threadId: `probe-${seed}-${i}`,
          messages: [{ role: 'user', content: PROMPT }],
          sampling: { temperature: 0.8, seed: seed + i, maxTokens },
        },
        new AbortController().signal,
        () => undefined,
      );
    await one(0, 999); // warm-up: pages the weights in
    process.stderr.write('warm\n');
    let t = performance.now();
    const single = await one(0, 1);
    const singleS = (performance.now() - t) / 1000;
    t = performance.now();
    const batch = await Promise.all(Array.from({ length: k }, (_, i) => one(i, 2)));
    const batchS = (performance.now() - t) / 1000;
    const batchTokens = batch.reduce((s, r) => s + r.usage.completionTokens, 0);
    const load = os.loadavg()[0]!.toFixed(2);
    process.stdout.write(
      `${m.label}: single ${single.usage.completionTokens} tokens in ${singleS.toFixed(1)} s (${(single.usage.completionTokens / singleS).toFixed(1)} tok/s); ` +
        `${k} at once ${batchTokens} tokens in ${batchS.toFixed(1)} s (${(batchTokens / batchS).toFixed(1)} tok/s); load ${load}\n`,
    );
  } catch (e) {
    process.stderr.write(`batch-probe failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  } finally {
    await engine.dispose().catch(() => undefined);
  }
}

void main();
