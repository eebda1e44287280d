// Integration: reruns the Python reference (scripts/models/embedding-reference.py, tokenizers + onnxruntime) on a few
// strings that are not in the fixture and compares with the worker: ids exactly, vectors within 1e-4. Runs where the
// reference venv exists (the test line's setup makes it: `python3 scripts/models/embedding-reference.py --setup-only`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EmbeddingService } from '../../../main/services/embeddings/embedding-service';
import { compareVectors, embedWorkerSpawner, HAVE_EMBED_MODEL, MODEL_CACHE, REFERENCE_SCRIPT } from '../../fixtures/embeddings/model';

const VENV_PY = join(process.env.EVOLVE_EMBED_REF_VENV ?? resolve(__dirname, '../../../.cache/embedding-reference-venv'), 'bin', 'python');
const READY = HAVE_EMBED_MODEL && existsSync(VENV_PY);
const WHY = !HAVE_EMBED_MODEL
  ? 'no embedding model'
  : `no reference venv at ${VENV_PY}: python3 scripts/models/embedding-reference.py --setup-only`;

// Fresh each run (the time makes them differ), so the fixture cannot hide a regression in code it never exercised.
const stamp = new Date().toISOString();
const STRINGS = [
  `// generated ${stamp}\nfn retry<F: Fn() -> Result<(), E>, E>(f: F, times: u32) -> Result<(), E> { for _ in 1..times { if f().is_ok() { return Ok(()); } } f() }`,
  `Résumé naïve café — 日本語テキスト and 中文 mixed with emoji 🧪🔬 at ${stamp}`,
  `${'The quick brown fox jumps over the lazy dog while the index embeds every chunk. '.repeat(40)}${stamp}`,
];

describe.skipIf(!READY)(`embedding worker vs a fresh Python reference run${READY ? '' : ` (skipped: ${WHY})`}`, () => {
  const svc = new EmbeddingService({ modelCacheDir: MODEL_CACHE, spawn: embedWorkerSpawner(), log: () => {} });
  afterAll(() => svc.stop());

  it('matches ids exactly and vectors within 1e-4 (max abs diff and cosine)', async () => {
    const py = spawnSync(VENV_PY, [REFERENCE_SCRIPT, '--stdin'], {
      input: JSON.stringify(STRINGS),
      encoding: 'utf8',
      timeout: 25_000,
      env: { ...process.env, EVOLVE_MODEL_CACHE: MODEL_CACHE },
    });
    expect(py.status, py.stderr).toBe(0);
    const ref = z.object({ ids: z.array(z.array(z.number().int())), vectors: z.array(z.array(z.number())) }).parse(JSON.parse(py.stdout));
    const [ids, vectors] = await Promise.all([svc.client.tokenize(STRINGS), svc.client.embed(STRINGS)]);
    expect(ids).toEqual(ref.ids);
    expect(ref.ids[2]).toHaveLength(256);
    for (const [i, v] of vectors.entries()) {
      const c = compareVectors(v, ref.vectors[i] ?? []);
      expect(c.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      expect(c.cosine).toBeGreaterThanOrEqual(1 - 1e-4);
    }
  });
});
