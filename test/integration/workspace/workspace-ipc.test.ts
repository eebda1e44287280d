// The `workspace` domain through the real dispatcher and app services (JSON in and out, as over the host's
// WebSocket): the Code section's happy path — add a project, trust it, browse, open, save, list checkpoints, undo,
// git status — with every result valid against the contract's output schema, and bad input as typed errors.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelName } from '../../../common/contracts/define';
import { workspaceContract } from '../../../common/contracts/workspace';
import type { Result } from '../../../common/result';
import { throughJson } from '../../support/fuzz';
import { ctx, startTempServices, type TempServices } from '../../support/temp-services';

let t: TempServices;
let root: string;

type Verb = keyof typeof workspaceContract.methods;

async function call(verb: Verb, input: unknown): Promise<Result<unknown>> {
  const r = await t.dispatcher.call(channelName('workspace', verb), throughJson(input), ctx());
  return throughJson(r) as Result<unknown>;
}

/** Calls a verb that must succeed, and checks the answer against the contract's output schema. */
async function ok<T = Record<string, unknown>>(verb: Verb, input: unknown): Promise<T> {
  const r = await call(verb, input);
  if (!r.ok) throw new Error(`${verb}: ${r.error.code} ${r.error.message}`);
  expect(workspaceContract.methods[verb].output.safeParse(r.value).success, verb).toBe(true);
  return r.value as T;
}

beforeAll(async () => {
  t = await startTempServices();
  root = path.join(t.root, 'project');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), 'export const answer = 41;\n');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: t.root } });
}, 120_000);
afterAll(() => t?.cleanup());

describe('workspace over the dispatcher', () => {
  it('add → trust → tree → readFile → writeFile → checkpoints → undo → gitStatus', async () => {
    const added = await t.dispatcher.call('evolve:projects.add', { path: root }, ctx());
    if (!added.ok) throw new Error(added.error.message);
    const projectId = (added.value as { id: string }).id;

    expect(await ok('trustState', { projectId })).toEqual({ projectId, trusted: false, decidedAt: null });
    const refused = await call('gitStatus', { projectId });
    expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
    expect((await ok('setTrust', { projectId, trusted: true })).trusted).toBe(true);

    const tree = await ok<{ entries: { path: string }[] }>('tree', { projectId });
    expect(tree.entries.map((e) => e.path)).toEqual(['src']);
    const file = await ok<{ content: string; hash: string }>('readFile', { projectId, path: 'src/main.ts' });
    expect(file.content).toBe('export const answer = 41;\n');

    const saved = await ok<{ checkpointId: string }>('writeFile', {
      projectId,
      path: 'src/main.ts',
      content: 'export const answer = 42;\n',
      baseHash: file.hash,
    });
    const stale = await call('writeFile', { projectId, path: 'src/main.ts', content: 'x', baseHash: file.hash });
    expect(!stale.ok && stale.error.code).toBe('CONFLICT');

    const cps = await ok<{ id: string }[]>('checkpoints', { projectId });
    expect(cps[0]?.id).toBe(saved.checkpointId);
    const diff = await ok<{ files: { path: string }[] }>('checkpointDiff', { projectId, checkpointId: saved.checkpointId });
    expect(diff.files.map((f) => f.path)).toEqual(['src/main.ts']);

    const st = await ok<{ repo: boolean; files: { path: string }[] }>('gitStatus', { projectId });
    expect(st.repo && st.files.map((f) => f.path)).toEqual(['src/main.ts']);

    await ok('undo', { projectId });
    expect(fs.readFileSync(path.join(root, 'src', 'main.ts'), 'utf8')).toBe('export const answer = 41;\n');
    const nothing = await call('undo', { projectId });
    expect(!nothing.ok && nothing.error.code).toBe('NOT_FOUND');
  });

  it('bad input comes back as typed errors', async () => {
    const cases: [Verb, unknown, string][] = [
      ['readFile', { projectId: 'x' }, 'INVALID_ARGUMENT'],
      ['writeFile', { projectId: 'x', path: 'a', content: 'c', baseHash: 'not-a-hash' }, 'INVALID_ARGUMENT'],
      ['restore', { projectId: 'x', checkpointId: 'HEAD~1' }, 'INVALID_ARGUMENT'],
      ['applyGeneration', { generationId: 'g', accept: [] }, 'INVALID_ARGUMENT'],
      ['rejectGeneration', { generationId: 'g', reason: '' }, 'INVALID_ARGUMENT'],
      ['tree', { projectId: 'no-such-project' }, 'NOT_FOUND'],
    ];
    for (const [verb, input, code] of cases) {
      const r = await call(verb, input);
      expect(!r.ok && r.error.code, verb).toBe(code);
    }
  });
});
