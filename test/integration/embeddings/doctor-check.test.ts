// Integration: the doctor's embedding check against the real worker and model, and its verdict when the model is missing.
import { describe, expect, it, onTestFinished } from 'vitest';
import { embeddingCheck } from '../../../main/services/doctor/embedding-check';
import { doctorContext } from '../../support/doctor-context';
import { EMBED_SKIP_REASON, HAVE_EMBED_MODEL, MODEL_CACHE } from '../../fixtures/embeddings/model';
import { tempDir } from '../../support/temp-tree';

const ctx = (modelCacheDir: string) => doctorContext({ modelCacheDir });

describe('doctor: embedding model', () => {
  it.skipIf(!HAVE_EMBED_MODEL)(
    `is ok with the real model and says what ran${HAVE_EMBED_MODEL ? '' : ` (skipped: ${EMBED_SKIP_REASON})`}`,
    async () => {
      const r = await embeddingCheck.run(ctx(MODEL_CACHE));
      expect(r.status, r.detail).toBe('ok');
      expect(r.detail).toMatch(
        /all-minilm-l6-v2 \(384-d, 256 tokens\) on onnxruntime-node 1\.30\.0 \(cpu\), 1 thread\(s\); 3 texts in \d+ ms/,
      );
    },
  );

  it('warns with the setup command when the model is not installed', async () => {
    const empty = tempDir('evolve-doctor-embed-');
    onTestFinished(empty.cleanup); // removed whether the test passes or fails
    const r = await embeddingCheck.run(ctx(empty.dir));
    expect(r.status).toBe('warn');
    expect(r.hint).toContain('scripts/models/setup-embedding-model.sh');
  });
});
