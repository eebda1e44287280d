// Inline completion through InlineCompletionService with the real Qwen2.5-Coder 0.5B in the real inference worker: a
// Python function body completed by FIM runs and is right, the same context again is a cache hit, a newer request
// cancels the older one in the engine, and the median latency of a few completions is printed ("under load" on a shared
// runner). Skipped, with the reason, when the 0.5B is not installed.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModelSchema } from '../../../common/inference/engine';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { InlineCompletionService } from '../../../main/services/completion/inline-completion-service';
import { WorkScheduler } from '../../../main/platform/work-scheduler';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { startInferenceWorker } from '../inference/worker-harness';

const Q = 'qwen2.5-coder-0.5b-instruct';
const PREFIX = 'def is_even(n: int) -> bool:\n    """Return True when n is even, else False."""\n    ';
const SUFFIX = '\n\n\nif __name__ == "__main__":\n    print(is_even(4), is_even(7))\n';
if (!CODER_0_5B.present) console.warn(`[integration] inline completion skipped: ${CODER_0_5B.skipReason}`);

describe.skipIf(!CODER_0_5B.present)('inline completion with the real Qwen2.5-Coder 0.5B', () => {
  let sup: WorkerSupervisor;
  let svc: InlineCompletionService;
  const work = new WorkScheduler();

  beforeAll(async () => {
    sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '2' });
    await sup.start();
    const client = new LocalInferenceClient(sup);
    svc = new InlineCompletionService({
      engine: client,
      defaultModel: {
        ensureLoaded: async () =>
          LoadedModelSchema.parse(await sup.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 4096, sequences: 1 }))
            .modelId,
      },
      projects: { get: async (id) => ({ id }) },
      interactive: (label, fn) => work.interactive(label, fn),
    });
  }, 120_000);
  afterAll(async () => {
    await sup?.stop();
  });

  it('completes a Python function body that runs and is right; the same context again is a cache hit', async () => {
    const r = await svc.complete({ projectId: 'p', path: 'calc/even.py', prefix: PREFIX, suffix: SUFFIX, language: 'python' });
    console.log(`inline completion (first, model load included: ${Math.round(r.ms)} ms): ${JSON.stringify(r.text)}`);
    expect(r).toMatchObject({ cached: false, model: Q });
    expect(r.text).toMatch(/return/);
    expect(r.text).not.toContain('\n\n');
    const program = PREFIX + r.text + SUFFIX;
    expect(execFileSync('python3', ['-c', program], { encoding: 'utf8' }).trim()).toBe('True False');

    const again = await svc.complete({ projectId: 'p', path: 'calc/even.py', prefix: PREFIX, suffix: SUFFIX, language: 'python' });
    expect(again).toMatchObject({ cached: true, text: r.text });
    expect(again.ms).toBeLessThan(r.ms);
  }, 300_000);

  it('cancels the older request of an editor in the engine when a newer one comes', async () => {
    const base = { projectId: 'p', path: 'calc/sq.py', suffix: '\n', language: 'python', editorId: 'e1' };
    const older = svc.complete({ ...base, prefix: 'def square(x):\n    ' });
    const newer = svc.complete({ ...base, prefix: 'def square(x):\n    """x squared"""\n    ' });
    await expect(older).rejects.toMatchObject({ code: 'CANCELLED' });
    const n = await newer;
    expect(n.cached).toBe(false);
    expect(n.text).toMatch(/x\s*\*\s*x|x\s*\*\*\s*2|pow\(x/);
  }, 300_000);

  it('prints the median latency of five completions at different cursor positions', async () => {
    const bodies = [
      ['def add(a, b):\n    ', '\n'],
      ['def mean(xs: list[float]) -> float:\n    ', '\n'],
      ['def greet(name: str) -> str:\n    return ', '\n'],
      ['import os\n\n\ndef home() -> str:\n    return os.', '\n'],
      ['def clamp(v, lo, hi):\n    """Limit v to [lo, hi]."""\n    ', '\n'],
    ] as const;
    const ms: number[] = [];
    for (const [prefix, suffix] of bodies) {
      const r = await svc.complete({ projectId: 'p', path: 'calc/misc.py', prefix, suffix, language: 'python' });
      expect(r.cached).toBe(false);
      ms.push(r.ms);
    }
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(
      `inline completion latency, Qwen2.5-Coder 0.5B, 5 completions: median ${Math.round(median)} ms (${ms.map((m) => Math.round(m)).join(', ')} ms)`,
    );
    expect(median).toBeGreaterThan(0);
  }, 300_000);
});
