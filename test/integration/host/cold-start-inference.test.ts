// Cold start leaves the inference worker alone: services.start() schedules it (5 s by default) instead of spawning it,
// so node-llama-cpp's load does not compete with the first page load; a request before then starts it at once. And
// building and starting the services starts none of the on-first-use loads (SDKs, undici, the codegen engine).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadUndici } from '../../../main/platform/egress';
import { createAppServices, type AppServices } from '../../../main/services';
import { loadEngine } from '../../../main/services/codegen/engine/service';
import { loadAnthropicSdk } from '../../../main/services/providers/anthropic-adapter';
import { loadHuggingFaceSdk } from '../../../main/services/providers/huggingface-adapter';
import { loadOpenAISdk } from '../../../main/services/providers/openai-adapter';
import { PassphraseKeychain } from '../../../native/keychain/passphrase-keychain';

const made: { services: AppServices; root: string }[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) {
    await m.services.dispose();
    fs.rmSync(m.root, { recursive: true, force: true });
  }
});

function services(inferenceStartDelayMs: number): AppServices {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-cold-start-'));
  const s = createAppServices({
    mode: 'host',
    paths: { dataDir: path.join(root, 'data'), modelCacheDir: path.join(root, 'models') },
    log: () => undefined,
    stderrLevel: 'silent',
    keychain: () => PassphraseKeychain.unlock(path.join(root, 'kc.json'), 'test-passphrase', { scryptN: 2 ** 12 }),
    scryptN: 2 ** 12,
    modelFolders: [],
    inferenceStartDelayMs,
  });
  made.push({ services: s, root });
  return s;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

describe('inference worker at cold start', () => {
  it('is not spawned by start(): the store opens and the worker stays idle', async () => {
    const s = services(60_000);
    await s.start();
    expect(s.store.status().state).toBe('ready');
    expect(s.localAi.supervisor.state).toBe('idle');
    expect(s.localAi.supervisor.pid).toBeUndefined();
    expect(s.localAi.backendState().state).toBe('pending');
  });

  it('building and starting the services starts none of the on-first-use loads', async () => {
    const s = services(60_000);
    await s.start();
    await s.status();
    const loads = { loadUndici, loadOpenAISdk, loadAnthropicSdk, loadHuggingFaceSdk, loadEngine };
    expect(
      Object.entries(loads)
        .filter(([, l]) => l.started)
        .map(([name]) => name),
    ).toEqual([]);
    await loadOpenAISdk(); // the flag does flip on use (the check above can fail)
    expect(loadOpenAISdk.started).toBe(true);
  });

  it('is spawned once the delay has passed (the check above can fail)', async () => {
    const s = services(50);
    await s.start();
    expect(await until(() => s.localAi.supervisor.state !== 'idle', 10_000)).toBe(true);
    expect(s.localAi.supervisor.pid).toBeGreaterThan(0);
  });
});
