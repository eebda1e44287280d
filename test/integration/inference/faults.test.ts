// Integration: bad model files, impossible memory requests and a native crash, against the real worker.
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineInfoSchema, GenerateResultSchema } from '../../../common/inference/engine';
import type { CrashInfo, WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { tempDir } from '../../support/temp-tree';
import { startInferenceWorker } from './worker-harness';

function headOf(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(bytes);
    readSync(fd, b, 0, bytes, 0);
    return b;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!HAVE_MODEL)(`inference faults${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let sup: WorkerSupervisor;
  let dir: string;
  let cleanup: (() => void) | undefined;
  const crashes: CrashInfo[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('evolve-faults-'));
    sup = startInferenceWorker({ EVOLVE_INFERENCE_TEST_HOOKS: '1' });
    sup.onCrash((c) => crashes.push(c));
    await sup.start();
  });
  afterAll(async () => {
    await sup?.stop();
    cleanup?.();
  });

  const alive = async () => EngineInfoSchema.parse(await sup.request('info', {}));

  it('a truncated real model → CORRUPT from load, and the worker keeps serving', async () => {
    const p = join(dir, 'truncated.gguf');
    writeFileSync(p, headOf(MODEL_PATH, 20_000_000)); // header intact, tensor data cut
    await expect(sup.request('load', { path: p })).rejects.toMatchObject({ code: 'CORRUPT', message: /truncated/ });
    await alive();
  });

  it('bad magic, garbage header and a non-GGUF file → CORRUPT; a missing file → NOT_FOUND', async () => {
    const badMagic = Buffer.from(headOf(MODEL_PATH, 1_000_000));
    badMagic.write('GGUX', 0);
    writeFileSync(join(dir, 'magic.gguf'), badMagic);
    const garbage = Buffer.alloc(65_536, 0xab);
    garbage.write('GGUF', 0);
    writeFileSync(join(dir, 'garbage.gguf'), garbage);
    writeFileSync(join(dir, 'readme.gguf'), '# Not a model\nJust markdown pretending to be a model file.\n');
    for (const f of ['magic.gguf', 'garbage.gguf', 'readme.gguf']) {
      await expect(sup.request('load', { path: join(dir, f) })).rejects.toMatchObject({ code: 'CORRUPT' });
    }
    await expect(sup.request('load', { path: join(dir, 'absent.gguf') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(crashes).toHaveLength(0);
    await alive();
  });

  it('a context too big for memory → RESOURCE_EXHAUSTED with a concrete suggestion', async () => {
    const e = await sup.request('load', { path: MODEL_PATH, modelId: 'huge', contextSize: 50_000_000 }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    const err = e as { message: string; details: { suggestedContextSize?: number } };
    expect(err.message).toMatch(/context size of \d+ or less/);
    expect(err.message).toMatch(/smaller quantization/);
    expect(err.details.suggestedContextSize).toBeGreaterThan(0);
    expect(err.details.suggestedContextSize).toBeLessThan(50_000_000);
    // Nothing half-loaded stays behind.
    expect(await sup.request('list-loaded', {})).toEqual({ models: [] });
  });

  it('a native crash (SIGABRT) is reported with its reason, the worker restarts and can load again', async () => {
    await sup.request('load', { path: MODEL_PATH, modelId: 'g', contextSize: 512 });
    const restarted = new Promise<void>((resolve) => {
      const off = sup.onReady(() => {
        off();
        resolve();
      });
    });
    await expect(sup.request('debug-crash', {})).rejects.toMatchObject({ code: 'UNAVAILABLE', message: /SIGABRT/ });
    expect(crashes.at(-1)).toMatchObject({ worker: 'inference', restarting: true, exit: { signal: 'SIGABRT' } });
    await restarted;
    // A fresh process: nothing loaded any more (the UI reloads what the user had).
    expect(await sup.request('list-loaded', {})).toEqual({ models: [] });
    await sup.request('load', { path: MODEL_PATH, modelId: 'g', contextSize: 512 });
    const r = GenerateResultSchema.parse(
      await sup.request('generate', {
        modelId: 'g',
        threadId: 't',
        messages: [{ role: 'user', content: 'Hello' }],
        sampling: { temperature: 0, maxTokens: 3 },
      }),
    );
    expect(r.usage.completionTokens).toBeGreaterThan(0);
  });
});
