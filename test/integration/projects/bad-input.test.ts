// Bad input for the index: an unparsable file, a 200 MB (sparse) file, a symlink loop, a symlink out of the
// root, a path outside the root, a folder that disappears mid-run, a root that disappears — each gives a clear
// per-file or per-project outcome and the index stays consistent (no rows for what is not there).
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, writeManyFiles, type Harness } from './harness';

describe('project index bad input', () => {
  let h: Harness;
  let root = '';
  let outside = '';
  let projectId = '';
  beforeAll(async () => {
    // BM25 only: these cases are about the walk, the catalog and errors, not about vectors.
    h = await makeHarness({ vectors: false });
    root = path.join(h.dir, 'bad');
    outside = path.join(h.dir, 'outside');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.ts'), 'export const outsideTheRootMarker = 1;\n');
    writeFileSync(path.join(root, 'src/ok.ts'), 'export function perfectlyFineFunction() { return 1; }\n');
    writeFileSync(path.join(root, 'src/broken.ts'), 'export function ((( {{{ brokenSyntaxMarker ]]] <<< class {\n'.repeat(20));
    writeFileSync(path.join(root, 'huge.log'), '');
    truncateSync(path.join(root, 'huge.log'), 200 * 1024 * 1024); // sparse: 200 MB apparent, no disk used
    symlinkSync('.', path.join(root, 'src/loop'));
    symlinkSync(outside, path.join(root, 'escape'));
    projectId = (await h.service.add({ path: root })).id;
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  it('indexes what it can and reports the rest per file', async () => {
    const r = await h.service.index(projectId);
    expect(r.phase).toBe('done');
    const cat = await h.store.client.call('index.catalog', { projectId });
    const rels = cat.map((c) => c.rel).sort();
    expect(rels).toContain('src/ok.ts');
    // An unparsable file still goes in (line windows), so its words are searchable.
    expect(rels).toContain('src/broken.ts');
    expect((await h.service.search(projectId, 'brokenSyntaxMarker')).chunks[0]?.rel).toBe('src/broken.ts');
    // Too large, the loop and the escape are skipped on purpose: no rows, no hang, nothing from outside.
    expect(rels).not.toContain('huge.log');
    expect(rels.some((x) => x.startsWith('src/loop/') || x.startsWith('escape'))).toBe(false);
    expect(r.skipped).toBeGreaterThanOrEqual(2);
    expect((await h.service.search(projectId, 'outsideTheRootMarker')).chunks.some((c) => c.text.includes('outsideTheRootMarker'))).toBe(
      false,
    );
  }, 120_000);

  it('ignores a changed path outside the root', async () => {
    await h.service.indexPaths(projectId, ['../outside/secret.ts', '/etc/passwd']);
    const rels = (await h.store.client.call('index.catalog', { projectId })).map((c) => c.rel);
    expect(rels.some((x) => x.includes('..') || x.startsWith('/'))).toBe(false);
    expect((await h.service.search(projectId, 'outsideTheRootMarker')).chunks.some((c) => c.text.includes('outsideTheRootMarker'))).toBe(
      false,
    );
  }, 60_000);

  it('stays consistent when a folder disappears mid-run', async () => {
    writeManyFiles(root, 150);
    let removed = false;
    const r = await h.service.index(projectId, (p) => {
      if (!removed && p.filesDone >= 10) {
        removed = true;
        for (let d = 5; d < 10; d++) rmSync(path.join(root, 'gen', `d${d}`), { recursive: true, force: true });
      }
    });
    expect(removed).toBe(true);
    expect(r.phase).toBe('done');
    // Whatever was caught mid-read is an error row for the file; a second run drops everything that is gone.
    const again = await h.service.index(projectId);
    expect(again.phase).toBe('done');
    const rels = (await h.store.client.call('index.catalog', { projectId })).map((c) => c.rel);
    expect(rels.filter((x) => /^gen\/d[5-9]\//.test(x))).toEqual([]);
    expect(rels.filter((x) => /^gen\/d[0-4]\//.test(x))).toHaveLength(75);
  }, 180_000);

  it('reports a project whose folder is gone as a per-project error, keeping its index', async () => {
    const before = (await h.service.get(projectId)).files;
    rmSync(root, { recursive: true, force: true });
    await expect(h.service.index(projectId)).rejects.toMatchObject({ message: expect.stringMatching(/bad|ENOENT|not|exist|gone/i) });
    const p = await h.service.get(projectId);
    expect(p.state.status).toBe('error');
    expect(p.state.message).toBeTruthy();
    expect(p.files).toBe(before);
  }, 60_000);
});
