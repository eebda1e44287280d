// The Experience panel's store slice against the real backend: the renderer's zustand store, its API over the real
// browser host's WebSocket, the real workspace service and codegen store. Apply a generation, edit and save the file,
// and the panel lists the decision (with the user's edits) and the convention learned from them with its source; a
// rejection shows its reason; a blank rewrite is a typed error, a real one sticks, and a removed one is gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from '../../../common/transport/client';
import { WireClient, socketPipe, type WebSocketLike } from '../../../common/transport/wire-client';
import { diffFile } from '../../../main/services/codegen/edits';
import { startHost, type RunningHost } from '../../../main/host/server';
import { setApi } from '../../../renderer/api';
import { useStore } from '../../../renderer/app/store';
import { startTempServices, type TempServices } from '../../support/temp-services';

const BEFORE = 'def parse_order_id(text):\n    pass\n';
const GENERATED = 'def parse_order_id(text):\n    if not text.startswith("ORD-"):\n        return None\n    return int(text[4:])\n';
const USER = 'def parse_order_id(text):\n    if not text.startswith("ORD-"):\n        raise ValueError(text)\n    return int(text[4:])\n';

let t: TempServices;
let host: RunningHost;
let ws: WebSocket;
let root: string;
let projectId: string;
const st = () => useStore.getState();

async function generation(rel: string, before: string, after: string, request: string): Promise<string> {
  const store = t.services.workspace.codegen;
  const g = await store.create({ projectId, request, type: 'edit', lang: 'python', model: 'm' });
  await store.finish({ generationId: g.id, status: 'done', code: after, diff: [diffFile(rel, before, after)], score: 70 });
  return g.id;
}

beforeAll(async () => {
  t = await startTempServices();
  root = path.join(t.root, 'project');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'orders.py'), BEFORE);
  fs.writeFileSync(path.join(root, 'slug.py'), 'def slug(t):\n    pass\n');
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
  await st().openCodeProject(projectId);
  await st().setProjectTrust(true);
}, 120_000);

afterAll(async () => {
  ws?.close();
  await host?.close();
  await t?.cleanup();
});

describe('Experience panel slice on the real backend', () => {
  it('lists the accepted decision with the edits saved after it, and the convention learned from them', async () => {
    const id = await generation('orders.py', BEFORE, GENERATED, 'parse an order id like ORD-12');
    await st().reviewGeneration(id);
    st().decideCurrentHunk('accepted');
    await st().applyReview();
    expect(st().review.error).toBeNull();
    await st().openFile('orders.py');
    await st().saveFile(USER);
    expect(fs.readFileSync(path.join(root, 'orders.py'), 'utf8')).toBe(USER);

    await st().loadExperience();
    const x = st().experience;
    expect(x.error).toBeNull();
    expect(x.decisions[0]).toMatchObject({ generationId: id, decision: 'accepted', request: 'parse an order id like ORD-12' });
    expect(x.decisions[0]!.userEdits).toContain('+        raise ValueError(text)');
    const errorStyle = x.conventions.find((c) => c.kind === 'error-style')!;
    expect(errorStyle).toMatchObject({ value: 'raise', inEffect: true, lang: 'python' });
    expect(errorStyle.sources).toEqual([expect.objectContaining({ generationId: id, evidence: 'edited' })]);
  });

  it('lists a rejection with its reason', async () => {
    const id = await generation('slug.py', 'def slug(t):\n    pass\n', 'def slug(t):\n    return t\n', 'slugify a title');
    await st().reviewGeneration(id);
    await st().rejectGeneration('keeps capitals and spaces');
    await st().loadExperience();
    expect(st().experience.decisions[0]).toMatchObject({ generationId: id, decision: 'rejected', reason: 'keeps capitals and spaces' });
  });

  it('refuses a blank rewrite as a typed error, keeps a real one, and removes one for good', async () => {
    const target = st().experience.conventions.find((c) => c.kind === 'error-style')!;
    expect(await st().editLearnedConvention(target.id, '   ')).toBe(false);
    expect(st().experience.error?.code).toBe('INVALID_ARGUMENT');
    expect(st().experience.conventions.find((c) => c.id === target.id)?.text).toBe(target.text);

    expect(await st().editLearnedConvention(target.id, 'Raise InvalidOrderId from errors.py.')).toBe(true);
    expect(st().experience.conventions.find((c) => c.id === target.id)).toMatchObject({
      text: 'Raise InvalidOrderId from errors.py.',
      userEdited: true,
    });

    await st().removeLearnedConvention(target.id);
    expect(st().experience.error).toBeNull();
    expect(st().experience.conventions.some((c) => c.id === target.id)).toBe(false);
    expect(await st().editLearnedConvention(target.id, 'again')).toBe(false);
    expect(st().experience.error?.code).toBe('NOT_FOUND');
  });
});
