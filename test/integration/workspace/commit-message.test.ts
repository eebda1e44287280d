// workspace.draftCommitMessage end to end below the contract: real encrypted store (trust), real git on a real repo,
// and the real Qwen2.5-Coder 0.5B in the inference worker behind the codegen engine's localModel port. Typed errors
// (untrusted, not a repo, nothing to commit) come before any model is asked; a real draft leaves the user's git as it
// was (nothing is committed). The model part is skipped, with the reason, when the 0.5B is not installed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadedModelSchema } from '../../../common/inference/engine';
import { isEvolveError } from '../../../common/errors';
import { LocalInferenceClient } from '../../../main/services/chat/inference-client';
import { localModel } from '../../../main/services/codegen/engine/models';
import type { EngineModel } from '../../../main/services/codegen/engine/types';
import { WorkspaceService } from '../../../main/services/workspace/workspace-service';
import type { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { CODER_0_5B } from '../../fixtures/models/coding-models';
import { startInferenceWorker } from '../inference/worker-harness';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const Q = 'qwen2.5-coder-0.5b-instruct';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' },
    encoding: 'utf8',
  });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEvolveError(e)) return e.code;
    throw e;
  }
  return 'resolved';
}

describe('draftCommitMessage (real store, real git)', () => {
  const tmp = tempDir('evolve-commit-msg-');
  let s: TestStore;
  let ws: WorkspaceService;
  let sup: WorkerSupervisor | undefined;
  let model: EngineModel | undefined;
  let modelAsked = 0;
  const repo = path.join(tmp.dir, 'repo');
  const plain = path.join(tmp.dir, 'plain');
  let repoId = '';
  let plainId = '';

  beforeAll(async () => {
    fs.mkdirSync(plain, { recursive: true });
    fs.writeFileSync(path.join(plain, 'a.py'), 'x = 1\n');
    fs.mkdirSync(repo, { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'User');
    git(repo, 'config', 'user.email', 'user@example.invalid');
    fs.writeFileSync(path.join(repo, 'cart.py'), 'def total(prices):\n    return sum(prices)\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first');
    s = makeStore(path.join(tmp.dir, 'ws.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    ws = new WorkspaceService({
      store: s.client,
      dataDir: path.join(tmp.dir, 'data'),
      commitModel: async () => {
        modelAsked += 1;
        if (!model) throw new Error('the model was asked although this case must fail before it');
        return model;
      },
    });
    repoId = (await s.client.call('index.project.add', { name: 'repo', rootPath: repo })).id;
    plainId = (await s.client.call('index.project.add', { name: 'plain', rootPath: plain })).id;
  }, 60_000);
  afterAll(async () => {
    await sup?.stop();
    await s?.client.close();
    tmp.cleanup();
  });

  it('refuses an untrusted project, a folder without git and a clean repo with typed errors, before any model', async () => {
    expect(await codeOf(ws.draftCommitMessage(repoId))).toBe('FORBIDDEN');
    await ws.setTrust(repoId, true);
    await ws.setTrust(plainId, true);
    expect(await codeOf(ws.draftCommitMessage(plainId))).toBe('NOT_FOUND');
    expect(await codeOf(ws.draftCommitMessage(repoId))).toBe('CONFLICT');
    expect(await codeOf(ws.draftCommitMessage('no-such-project'))).toBe('NOT_FOUND');
    expect(modelAsked).toBe(0);
  });

  it.skipIf(!CODER_0_5B.present)(
    `drafts a one-line subject and a body with the real 0.5B; the user's git is untouched${CODER_0_5B.present ? '' : ` (skipped: ${CODER_0_5B.skipReason})`}`,
    async () => {
      sup = startInferenceWorker({ EVOLVE_INFERENCE_THREADS: '2' });
      await sup.start();
      const client = new LocalInferenceClient(sup);
      const worker = sup;
      model = await localModel(
        {
          manager: async () => ({
            load: async () =>
              LoadedModelSchema.parse(await worker.request('load', { path: CODER_0_5B.path, modelId: Q, contextSize: 4096, sequences: 1 })),
          }),
          client,
          defaultModel: { ensureLoaded: async () => Q },
        },
        undefined,
      );
      fs.writeFileSync(
        path.join(repo, 'cart.py'),
        'def total(prices, discount=0.0):\n    """Sum of prices minus a discount fraction."""\n    return sum(prices) * (1 - discount)\n',
      );
      const before = {
        status: git(repo, 'status', '--porcelain'),
        log: git(repo, 'log', '--format=%H'),
        index: fs.readFileSync(path.join(repo, '.git', 'index')),
      };
      const d = await ws.draftCommitMessage(repoId);
      console.log(
        `commit draft (${Math.round(d.ms)} ms, conventional ${d.conventional}): ${JSON.stringify(d.subject)} / ${JSON.stringify(d.body)}`,
      );
      expect(d.model).toBe(Q);
      expect(d.subject.length).toBeGreaterThan(0);
      expect(d.subject.length).toBeLessThanOrEqual(72);
      expect(d.subject).not.toContain('\n');
      expect(d.subject).not.toMatch(/```/);
      // About this change, not a copy of the instructions' placeholder.
      expect(d.subject).not.toMatch(/<summary>|<type>|<scope>/);
      expect(d).toMatchObject({ files: 1, cut: false });
      expect(d.sentChars).toBe(d.diffChars);
      // Nothing committed, staged or re-indexed.
      expect(git(repo, 'status', '--porcelain')).toBe(before.status);
      expect(git(repo, 'log', '--format=%H')).toBe(before.log);
      expect(fs.readFileSync(path.join(repo, '.git', 'index')).equals(before.index)).toBe(true);
    },
    600_000,
  );
});
