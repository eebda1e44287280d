// The Code section's store slices against the real backend: the renderer's zustand store, its API over the real
// browser host's WebSocket, and the real workspace service, codegen store and shadow-git checkpoints. Covers what the
// UI does on each action — trust, tree, open, save, conflict + keep mine, undo, binary notice, per-hunk review with
// the cursor, apply of only the accepted hunk, the security gate's override, reject with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Finding } from '../../../common/codegen/types';
import { createClient } from '../../../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../../../common/transport/wire-client';
import { diffFile } from '../../../main/services/codegen/edits';
import { startHost, type RunningHost } from '../../../main/host/server';
import { setApi } from '../../../renderer/api';
import { useStore } from '../../../renderer/app/store';
import { startTempServices, type TempServices } from '../../support/temp-services';

const LINES = Array.from({ length: 30 }, (_, i) => `x${i} = ${i}`);
const BEFORE = `${LINES.join('\n')}\n`;
// Two edits far apart: two hunks.
const AFTER = BEFORE.replace('x1 = 1\n', 'x1 = 100\n').replace('x28 = 28\n', 'x28 = 2800\n');

let t: TempServices;
let host: RunningHost;
let ws: WebSocket;
let root: string;
let projectId: string;
const st = () => useStore.getState();
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

async function generation(rel: string, after: string, findings: Finding[] = []): Promise<string> {
  const store = t.services.workspace.codegen;
  const g = await store.create({ projectId, request: `edit ${rel}`, type: 'edit', lang: 'python', model: 'm' });
  await store.finish({ generationId: g.id, status: 'done', code: after, diff: [diffFile(rel, read(rel), after)], score: 70, findings });
  return g.id;
}

beforeAll(async () => {
  t = await startTempServices();
  root = path.join(t.root, 'project');
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'a.py'), 'print("a")\n');
  fs.writeFileSync(path.join(root, 'src', 'nums.py'), BEFORE);
  fs.writeFileSync(path.join(root, 'src', 'risky.py'), 'x = 1\n');
  fs.writeFileSync(path.join(root, 'src', 'other.py'), 'y = 1\n');
  fs.writeFileSync(path.join(root, 'blob.bin'), Buffer.from([0, 1, 2, 0xff, 0]));
  const rendererDir = path.join(t.root, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  host = await startHost({ dispatcher: t.dispatcher, rendererDir });
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  setApi(createClient(new WireClient(socketPipe(ws as unknown as WebSocketLike))));
  const added = await t.dispatcher.call('evolve:projects.add', { path: root }, { transport: 'host', signal: new AbortController().signal });
  if (!added.ok) throw new Error(added.error.message);
  projectId = (added.value as { id: string }).id;
}, 120_000);

afterAll(async () => {
  ws?.close();
  await host?.close();
  await t?.cleanup();
});

describe('Code section slices on the real backend', () => {
  it('opens the project untrusted, lists the root, and records the trust decision', async () => {
    await st().openCodeProject(projectId);
    expect(st().code.trust).toEqual({ projectId, trusted: false, decidedAt: null });
    expect(st().code.tree['']?.entries.map((e) => e.path)).toEqual(['src', 'blob.bin']);
    await st().toggleDir('src');
    expect(st().code.tree['src']?.entries.map((e) => e.name)).toEqual(['a.py', 'nums.py', 'other.py', 'risky.py']);
    await st().setProjectTrust(true);
    expect(st().code.trust?.trusted).toBe(true);
    expect(st().code.trust?.decidedAt).toBeGreaterThan(0);
  });

  it('saves, refuses a stale save as a conflict, keeps mine on request, and undoes it', async () => {
    await st().openFile('src/a.py');
    const rev = st().code.file?.revision ?? 0;
    await st().saveFile('print("b")\n');
    expect(read('src/a.py')).toBe('print("b")\n');
    expect(st().code.saved?.path).toBe('src/a.py');
    expect(st().code.checkpoints.length).toBe(1);

    fs.writeFileSync(path.join(root, 'src', 'a.py'), 'print("outside")\n');
    await st().saveFile('print("mine")\n');
    expect(st().code.conflict).toEqual({ path: 'src/a.py', mine: 'print("mine")\n' });
    expect(read('src/a.py')).toBe('print("outside")\n');
    await st().keepMine();
    expect(st().code.conflict).toBeNull();
    expect(read('src/a.py')).toBe('print("mine")\n');
    // Keep mine did not replace the editor's text (no new revision), only the hash it saves against.
    expect(st().code.file?.revision).toBe(rev);

    await st().undoCheckpoint();
    expect(read('src/a.py')).toBe('print("outside")\n');
    expect(st().code.restored?.files).toBeGreaterThan(0);
    // The editor takes the restored file (a new revision with the disk text).
    expect(st().code.file?.disk.content).toBe('print("outside")\n');
    expect(st().code.file?.revision).toBe(rev + 1);
  });

  it('shows a notice instead of opening a binary file', async () => {
    await st().openFile('blob.bin');
    expect(st().code.notice?.kind).toBe('binary');
    expect(st().code.file).toBeNull();
    expect(st().code.error).toBeNull();
  });

  it('reviews per hunk with the cursor and applies only the accepted hunk', async () => {
    const id = await generation('src/nums.py', AFTER);
    await st().loadGenerations();
    expect(st().review.generations.map((g) => g.id)).toContain(id);
    await st().reviewGeneration(id);
    expect(st().review.tab).toBe('review');
    expect(st().review.current?.diff?.[0]?.hunks.length).toBe(2);
    st().decideCurrentHunk('accepted'); // a on hunk 1 → cursor to hunk 2
    expect(st().review.cursor).toBe(1);
    st().decideCurrentHunk('rejected'); // r on hunk 2
    st().moveHunk(-1);
    expect(st().review.cursor).toBe(0);
    await st().applyReview();
    expect(st().review.error).toBeNull();
    expect(st().review.applied?.written.map((w) => w.path)).toEqual(['src/nums.py']);
    expect(read('src/nums.py')).toBe(BEFORE.replace('x1 = 1\n', 'x1 = 100\n'));
    expect(st().code.checkpoints[0]?.id).toBe(st().review.applied?.checkpointId);
  });

  it('asks for a reason when the gate blocks high-severity findings, then applies with the override', async () => {
    const high: Finding = { tool: 'bandit', ruleId: 'B602', severity: 'high', file: 'src/risky.py', line: 1, message: 'shell=True' };
    const id = await generation('src/risky.py', 'import subprocess\nsubprocess.call("ls", shell=True)\n', [high]);
    await st().reviewGeneration(id);
    st().decideCurrentHunk('accepted');
    await st().applyReview();
    expect(st().review.overrideNeeded).toMatch(/./);
    expect(read('src/risky.py')).toBe('x = 1\n');
    await st().applyReview('fixture command, reviewed');
    expect(st().review.overrideNeeded).toBeNull();
    expect(st().review.applied?.overridden).toBe(true);
    expect(read('src/risky.py')).toContain('shell=True');
  });

  it('refuses Apply with nothing accepted, and rejects a generation with the reason kept', async () => {
    const id = await generation('src/other.py', 'y = 2\n');
    await st().reviewGeneration(id);
    await st().applyReview();
    expect(st().review.error?.code).toBe('INVALID_ARGUMENT');
    expect(read('src/other.py')).toBe('y = 1\n');
    await st().rejectGeneration('wrong variable');
    expect(st().review.current?.decision).toMatchObject({ decision: 'rejected', reason: 'wrong variable' });
    expect(st().review.generations.find((g) => g.id === id)?.decision?.decision).toBe('rejected');
  });
});
