// Integration: catalog → resumable download from a local server → registry → fit estimate → load in the real
// worker → stream a turn → unload; plus manual overrides and unusable (corrupt) entries.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry, DownloadProgress } from '../../../common/inference/models';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { ModelManager } from '../../../main/services/models/model-manager';
import { ModelRegistry } from '../../../main/services/models/registry';
import { MemoryModelRepository } from '../../../main/services/models/repository';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { inspectGguf } from '../../../native/inference/gguf-file';
import { DEFAULT_MODEL_SHA256, DEFAULT_MODEL_SIZE, HAVE_MODEL, MODEL_PATH, SKIP_REASON } from '../../fixtures/models/default-model';
import { startRangeServer, type RangeServer } from '../../fixtures/models/range-server';
import { tempDir } from '../../support/temp-tree';
import { startInferenceWorker } from '../inference/worker-harness';

describe.skipIf(!HAVE_MODEL)(`model manager end to end${HAVE_MODEL ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let sup: WorkerSupervisor;
  let server: RangeServer;
  let manager: ModelManager;
  let registry: ModelRegistry;
  let cacheDir: string;
  let cleanup: (() => void) | undefined;

  beforeAll(async () => {
    ({ dir: cacheDir, cleanup } = tempDir('evolve-mm-'));
    server = await startRangeServer(MODEL_PATH, { cutAfterBytes: 64_000_000 });
    sup = startInferenceWorker();
    registry = await ModelRegistry.open(new MemoryModelRepository(), async (p) => (await inspectGguf(p)).metadata);
    manager = new ModelManager({ registry, client: new LocalInferenceClient(sup), cacheDir });
  });
  afterAll(async () => {
    await sup?.stop();
    await server?.close();
    cleanup?.();
  });

  it('downloads a catalog model (resuming after a cut), registers it, estimates, loads, chats and unloads', async () => {
    const entry: CatalogEntry = {
      id: 'gemma-test',
      name: 'Gemma test',
      description: '',
      url: server.url(),
      fileName: 'gemma.gguf',
      sizeBytes: DEFAULT_MODEL_SIZE,
      sizeIsApproximate: false,
      quantization: 'Q4_K_M',
      parameters: '270M',
      contextLength: 32768,
      license: 'Gemma',
      licenseFiles: [],
      instructionTuned: false,
      sha256: DEFAULT_MODEL_SHA256,
      recommendedFor: [],
    };
    const progress: DownloadProgress[] = [];
    const reg = await manager.download(entry, (p) => progress.push(p));
    expect(server.requests.map((r) => r.status)).toEqual([200, 206]);
    expect(reg).toMatchObject({
      source: 'download',
      displayName: 'Gemma test',
      metadata: { architecture: 'gemma3', quantization: 'Q4_K_M' },
    });
    expect(reg.path).toBe(join(cacheDir, 'gemma-test', 'gemma.gguf'));
    expect(progress.at(-1)?.receivedBytes).toBe(DEFAULT_MODEL_SIZE);

    const fit = await manager.estimate(reg.id);
    expect(fit).toMatchObject({ fits: true, contextSize: 8192 });
    await registry.setOverrides(reg.id, { contextSize: 1024 });
    expect((await manager.estimate(reg.id)).contextSize).toBe(1024);

    const loaded = await manager.load(reg.id);
    expect(loaded).toMatchObject({ modelId: reg.id, contextSize: 1024, promptFormat: 'base-transcript' });
    const tokens: string[] = [];
    const r = await new LocalInferenceClient(sup).generate(
      {
        modelId: reg.id,
        threadId: 't',
        messages: [{ role: 'user', content: 'Write a Python function that returns the nth Fibonacci number.' }],
        sampling: { temperature: 0, maxTokens: 16 },
      },
      { onToken: (t) => tokens.push(t) },
    );
    expect(tokens.join('')).toBe(r.text);
    expect(r.usage.completionTokens).toBeGreaterThan(0);
    expect(await manager.unload(reg.id)).toBe(true);
  });

  it('measures speculative decoding on this machine, saves it, and auto loads use the winner', async () => {
    const e = await registry.importFile(MODEL_PATH);
    const trials: string[] = [];
    const measured = await manager.measureSpeculation(e.id, { maxTokens: 32, onTrial: (t) => trials.push(t.mode) });
    const probe = measured.speculationProbe;
    expect(trials).toEqual(['off', 'lookup']);
    expect(probe?.trials.map((t) => t.mode)).toEqual(['off', 'lookup']);
    for (const t of probe?.trials ?? []) {
      expect(t.completionTokens).toBeGreaterThan(0);
      expect(t.generationTokensPerSecond).toBeGreaterThan(0);
    }
    expect(probe?.trials[0]?.ratio).toBe(1);
    // Only one model is registered besides broken ones: nothing can draft for it, and the probe says so.
    expect(probe?.draftSkipped).toMatch(/no smaller registered model/);
    const lookupRatio = probe?.trials[1]?.ratio ?? 0;
    expect(probe?.winner).toBe(lookupRatio >= 1.1 ? 'lookup' : 'off');
    // Saved on the registry entry; the probe copies are unloaded again.
    expect(registry.get(e.id).speculationProbe).toEqual(probe);
    expect((await new LocalInferenceClient(sup).listLoaded()).map((l) => l.modelId)).not.toContain(`${e.id}#probe-off`);

    const auto = await manager.load(e.id);
    expect(auto.speculative).toBe(probe?.winner === 'lookup');
    await manager.unload(e.id);
    await registry.setOverrides(e.id, { speculation: 'lookup' });
    expect((await manager.load(e.id)).speculative).toBe(true);
    await manager.unload(e.id);
    await registry.setOverrides(e.id, { speculation: 'draft', draftModelId: 'not-registered' });
    await expect(manager.load(e.id)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: /draft model not-registered/ });
    await registry.setOverrides(e.id, {});
  });

  it('refuses to load a registered file that is corrupt, with its reason', async () => {
    const p = join(cacheDir, 'broken.gguf');
    writeFileSync(p, 'GGUF but not really');
    const e = await registry.importFile(p);
    await expect(manager.load(e.id)).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(manager.load('unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
