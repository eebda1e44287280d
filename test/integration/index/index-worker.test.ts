// The index worker as a process under the real supervisor: walk-and-chunk streams per-file events that parse
// with the protocol schemas, unchanged files are not re-read, bad params are typed errors, repo-map works.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSpawner } from '../../../main/supervisors/worker-process';
import { WorkerSupervisor } from '../../../main/supervisors/worker-supervisor';
import { IndexFileEventSchema, RepoMapResultSchema, WalkAndChunkResultSchema, type IndexFileEvent } from '../../../native/index/protocol';

const ROOT = path.resolve(__dirname, '../../..');
let worker: WorkerSupervisor;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'evolve-index-worker-'));
  await mkdir(path.join(dir, 'src'));
  await writeFile(path.join(dir, 'src', 'a.ts'), "import { b } from './b';\nexport function a() {\n  return b();\n}\n");
  await writeFile(path.join(dir, 'src', 'b.ts'), 'export function b() {\n  return 2;\n}\n');
  await writeFile(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
  worker = new WorkerSupervisor({
    name: 'index',
    spawn: nodeSpawner(path.join(ROOT, 'native/index/worker.ts'), { execArgv: ['--import', 'tsx'] }),
  });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function walk(params: Record<string, unknown>): Promise<{ events: IndexFileEvent[]; result: unknown }> {
  const events: IndexFileEvent[] = [];
  const result = await worker.request(
    'walk-and-chunk',
    { root: dir, ...params },
    { onEvent: (e) => events.push(IndexFileEventSchema.parse(e)) },
  );
  return { events, result: WalkAndChunkResultSchema.parse(result) };
}

describe('index worker', () => {
  it('reports all nine grammars as ready', () => {
    const info = worker.readyInfo as { grammars: { lang: string }[] };
    expect(info.grammars).toHaveLength(9);
  });

  it('streams chunks, tags and hashes per file, then skips unchanged files', async () => {
    const first = await walk({});
    const a = first.events.find((e) => e.rel === 'src/a.ts');
    expect(a).toMatchObject({ type: 'file', lang: 'typescript' });
    if (a?.type !== 'file') throw new Error('no file event');
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.tags.defs.map((d) => d.name)).toEqual(['a']);
    expect(a.tags.refs.map((r) => r.name)).toEqual(expect.arrayContaining(['b']));
    expect(first.events).toContainEqual({ type: 'skipped', rel: 'logo.png', reason: 'binary' });
    expect(first.result).toMatchObject({ files: 2, skipped: 1, errors: 0 });

    const known = first.events.flatMap((e) => (e.type === 'file' ? [{ rel: e.rel, size: e.size, mtimeMs: e.mtimeMs }] : []));
    const second = await walk({ known });
    expect(
      second.events
        .filter((e) => e.type === 'unchanged')
        .map((e) => e.rel)
        .sort(),
    ).toEqual(['src/a.ts', 'src/b.ts']);
    expect(second.result).toMatchObject({ files: 0, unchanged: 2 });

    const one = await walk({ known, paths: ['src/b.ts', 'src/gone.ts'] });
    expect(one.events.map((e) => e.type)).toEqual(['unchanged', 'gone']);
  });

  it('answers bad params and a missing root with typed errors', async () => {
    await expect(worker.request('walk-and-chunk', { root: 42 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(worker.request('walk-and-chunk', { root: path.join(dir, 'nope') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('builds a repo map from stored tags', async () => {
    const first = await walk({});
    const tags = Object.fromEntries(first.events.flatMap((e) => (e.type === 'file' ? [[e.rel, e.tags]] : [])));
    const map = RepoMapResultSchema.parse(await worker.request('repo-map', { tags, focusFiles: ['src/a.ts'], tokenBudget: 200 }));
    expect(map.files.map((f) => f.rel)).toEqual(['src/b.ts']);
    expect(map.text).toContain('function b');
  });
});
