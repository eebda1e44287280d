// WorkspaceService on the real encrypted store (DB worker) and real git: trust, tree, read/save, applying a
// generation's accepted hunks (gate, conflicts, paths outside the root, symlinks), reject, undo/restore, audit rows.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileDiff, Finding } from '../../../common/codegen/types';
import { EvolveError } from '../../../common/errors';
import { diffFile } from '../../../main/services/codegen/edits/diff-files';
import { assertTrusted } from '../../../main/services/workspace/trust';
import { WorkspaceService } from '../../../main/services/workspace/workspace-service';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EvolveError);
    const err = e as EvolveError;
    return { code: err.code, message: err.message, details: err.details };
  }
  throw new Error('expected a typed error, the call succeeded');
}

const BEFORE_A = 'def add(a, b):\n    return a + b\n\n\n\n\n\n\ndef sub(a, b):\n    return a - b\n';
const AFTER_A = 'def add(a: int, b: int) -> int:\n    return a + b\n\n\n\n\n\n\ndef sub(a: int, b: int) -> int:\n    return a - b\n';

describe('workspace service (real store, real git)', () => {
  const tmp = tempDir('evolve-workspace-');
  let s: TestStore;
  let ws: WorkspaceService;
  let root: string;
  let projectId: string;
  const outside = path.join(tmp.dir, 'outside.txt');

  /** A finished generation of this project with the given diff (and findings). */
  async function generation(diff: FileDiff[], findings: Finding[] = []): Promise<string> {
    const g = await ws.codegen.create({ projectId, request: 'add type hints', type: 'function', lang: 'python', model: 'm' });
    await ws.codegen.finish({ generationId: g.id, status: 'done', code: 'x', diff, score: 80, findings });
    return g.id;
  }
  const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');
  const auditKinds = async (): Promise<string[]> => (await s.client.call('audit.list', { limit: 1000 })).map((r) => r.kind);

  beforeAll(async () => {
    root = path.join(tmp.dir, 'project');
    fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    fs.mkdirSync(path.join(root, 'build'), { recursive: true });
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n*.log\n');
    fs.writeFileSync(path.join(root, '.evolveignore'), 'secret.txt\n');
    fs.writeFileSync(path.join(root, 'app.log'), 'log\n');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'k\n');
    fs.writeFileSync(path.join(root, 'src', 'a.py'), BEFORE_A);
    fs.writeFileSync(path.join(root, 'src', 'b.py'), 'X = 1\n');
    fs.writeFileSync(path.join(root, 'src', 'deep', 'c.py'), 'pass\n');
    fs.writeFileSync(outside, 'outside stays\n');
    fs.symlinkSync(outside, path.join(root, 'link.txt'));
    fs.symlinkSync(tmp.dir, path.join(root, 'linkdir'));
    s = makeStore(path.join(tmp.dir, 'ws.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    ws = new WorkspaceService({ store: s.client, dataDir: path.join(tmp.dir, 'data') });
    projectId = (await s.client.call('index.project.add', { name: 'fixture', rootPath: root })).id;
  }, 60_000);
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('trust: untrusted until the user decides; assertTrusted refuses; decisions are audited', async () => {
    expect(await ws.trustState(projectId)).toEqual({ projectId, trusted: false, decidedAt: null });
    const refused = await codeOf(ws.assertTrusted(projectId));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/not trusted yet/);
    expect((await codeOf(ws.gitStatus(projectId))).code).toBe('FORBIDDEN');

    const t = await ws.setTrust(projectId, true);
    expect(t.trusted).toBe(true);
    expect(t.decidedAt).toBeGreaterThan(0);
    await expect(ws.assertTrusted(projectId)).resolves.toBeUndefined();
    await ws.setTrust(projectId, false);
    expect((await codeOf(ws.assertTrusted(projectId))).message).toMatch(/marked untrusted/);
    await ws.setTrust(projectId, true);
    await expect(assertTrusted(s.client, projectId)).resolves.toBeUndefined(); // the codegen engine's entry point
    expect((await codeOf(assertTrusted(s.client, 'other-project'))).code).toBe('FORBIDDEN');

    // The DB worker audits each decision atomically with the setting: from → to.
    const rows = (await s.client.call('audit.list', { kinds: ['settings.change'], limit: 10 })).map(
      (r) => r.data as { key: string; from?: { trusted: boolean }; to: { trusted: boolean } },
    );
    expect(rows.map((r) => [r.key, r.from?.trusted ?? null, r.to.trusted])).toEqual([
      [`workspace.trust:${projectId}`, null, true],
      [`workspace.trust:${projectId}`, true, false],
      [`workspace.trust:${projectId}`, false, true],
    ]);
    expect((await codeOf(ws.setTrust('no-such-project', true))).code).toBe('NOT_FOUND');
    expect((await codeOf(ws.trustState('no-such-project'))).code).toBe('NOT_FOUND');
  });

  it('tree: one level, folders first, ignore rules applied, no symlinks, no .git', async () => {
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    const top = await ws.tree(projectId);
    expect(top.dir).toBe('');
    expect(top.entries.map((e) => `${e.kind}:${e.path}`)).toEqual([
      'dir:src',
      'file:.evolveignore',
      'file:.gitignore',
      // app.log (.gitignore), secret.txt (.evolveignore), build/, node_modules/, .git, link.txt and linkdir: left out
    ]);
    const src = await ws.tree(projectId, 'src');
    expect(src.entries).toEqual([
      { path: 'src/deep', name: 'deep', kind: 'dir', size: 0 },
      { path: 'src/a.py', name: 'a.py', kind: 'file', size: Buffer.byteLength(BEFORE_A) },
      { path: 'src/b.py', name: 'b.py', kind: 'file', size: 6 },
    ]);
    expect((await codeOf(ws.tree(projectId, '../'))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.tree(projectId, 'linkdir'))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.tree(projectId, 'build'))).code).toBe('NOT_FOUND');
    expect((await codeOf(ws.tree(projectId, 'nope'))).code).toBe('NOT_FOUND');
    expect((await codeOf(ws.tree(projectId, 'src/a.py'))).code).toBe('INVALID_ARGUMENT');
    fs.rmSync(path.join(root, '.git'), { recursive: true });
  });

  it('readFile: text with hash, EOL and BOM; binary, 5 MB, symlinks and paths outside refused with typed errors', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('one\r\ntwo\r\n')]);
    fs.writeFileSync(path.join(root, 'src', 'crlf.txt'), bytes);
    expect(await ws.readFile(projectId, 'src/crlf.txt')).toEqual({
      path: 'src/crlf.txt',
      content: 'one\r\ntwo\r\n',
      hash: sha(bytes),
      eol: 'crlf',
      bom: true,
      size: bytes.length,
    });
    fs.writeFileSync(path.join(root, 'src', 'mixed.txt'), 'a\r\nb\nc');
    expect((await ws.readFile(projectId, 'src/mixed.txt')).eol).toBe('mixed');

    fs.writeFileSync(path.join(root, 'src', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const bin = await codeOf(ws.readFile(projectId, 'src/logo.png'));
    expect(bin).toMatchObject({ code: 'INVALID_ARGUMENT', details: { binary: true } });
    expect(bin.message).toMatch(/binary/);

    const big = Buffer.alloc(5 * 1024 * 1024, 'a');
    fs.writeFileSync(path.join(root, 'src', 'big.txt'), big);
    const tooBig = await codeOf(ws.readFile(projectId, 'src/big.txt'));
    expect(tooBig).toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { size: big.length, limit: 2 * 1024 * 1024 } });
    expect(fs.statSync(path.join(root, 'src', 'big.txt')).size).toBe(big.length); // nothing lost

    expect((await codeOf(ws.readFile(projectId, 'link.txt'))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.readFile(projectId, '../../outside.txt'))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.readFile(projectId, 'linkdir/outside.txt'))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.readFile(projectId, 'src/missing.py'))).code).toBe('NOT_FOUND');
    // A FIFO (a device-like file) is refused without blocking on it.
    execFileSync('mkfifo', [path.join(root, 'src', 'pipe')]);
    expect((await codeOf(ws.readFile(projectId, 'src/pipe'))).code).toBe('FORBIDDEN');
    const fifoDiff = diffFile('src/pipe', '', 'x\n');
    const fifoGen = await generation([{ ...fifoDiff, oldHash: sha('') }]);
    const fifoApply = ws.applyGeneration({ generationId: fifoGen, accept: [{ path: 'src/pipe', hunkIds: [fifoDiff.hunks[0]!.id] }] });
    expect((await codeOf(fifoApply)).code).toBe('FORBIDDEN');
    expect((await ws.tree(projectId, 'src')).entries.map((e) => e.name)).not.toContain('pipe');
    fs.rmSync(path.join(root, 'src', 'pipe'));
    for (const f of ['crlf.txt', 'mixed.txt', 'logo.png', 'big.txt']) fs.rmSync(path.join(root, 'src', f));
  });

  it('writeFile: keeps BOM, CRLF and mode; a stale baseHash is a CONFLICT and the disk keeps the other edit; undo restores', async () => {
    const file = path.join(root, 'src', 'tool.sh');
    const original = Buffer.from('\uFEFF#!/bin/sh\r\necho one\r\n', 'utf8');
    fs.writeFileSync(file, original);
    fs.chmodSync(file, 0o755);
    const opened = await ws.readFile(projectId, 'src/tool.sh');
    // The editor hands back LF text without the BOM: the save puts CRLF and the BOM back.
    const saved = await ws.writeFile(projectId, 'src/tool.sh', '#!/bin/sh\necho two\n', opened.hash);
    const expected = Buffer.from('\uFEFF#!/bin/sh\r\necho two\r\n', 'utf8');
    expect(fs.readFileSync(file).equals(expected)).toBe(true);
    expect(saved).toMatchObject({ path: 'src/tool.sh', hash: sha(expected), size: expected.length });
    expect(saved.checkpointId).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);

    // Another program edits the file: a save from the stale buffer is refused and loses nothing.
    fs.writeFileSync(file, 'edited elsewhere\n');
    const conflict = await codeOf(ws.writeFile(projectId, 'src/tool.sh', 'from the editor\n', saved.hash));
    expect(conflict.code).toBe('CONFLICT');
    expect(fs.readFileSync(file, 'utf8')).toBe('edited elsewhere\n');
    // baseHash null means "new file": an existing one is a conflict too.
    expect((await codeOf(ws.writeFile(projectId, 'src/tool.sh', 'x', null))).code).toBe('CONFLICT');

    // Same bytes: nothing written, no checkpoint.
    const same = await ws.writeFile(projectId, 'src/tool.sh', 'edited elsewhere\n', sha('edited elsewhere\n'));
    expect(same.checkpointId).toBeNull();

    const created = await ws.writeFile(projectId, 'src/new/fresh.py', 'N = 2\n', null);
    expect(read('src/new/fresh.py')).toBe('N = 2\n');
    await ws.undo(projectId); // the new file goes away
    expect(fs.existsSync(path.join(root, 'src/new/fresh.py'))).toBe(false);
    expect(created.checkpointId).not.toBeNull();
    await ws.undo(projectId); // back to before the first save
    expect(fs.readFileSync(file).equals(original)).toBe(true);

    expect((await codeOf(ws.writeFile(projectId, 'link.txt', 'x', sha('outside stays\n')))).code).toBe('FORBIDDEN');
    expect((await codeOf(ws.writeFile(projectId, '../../outside.txt', 'x', null))).code).toBe('FORBIDDEN');
    expect(fs.readFileSync(outside, 'utf8')).toBe('outside stays\n');
    fs.rmSync(file);

    // A mixed-ending file: the editor sends LF; only the changed line is replaced, the other lines keep their endings.
    const mixed = path.join(root, 'src', 'mixed.py');
    fs.writeFileSync(mixed, 'a = 1\r\nb = 2\nc = 3\nd = 4\n');
    const m = await ws.readFile(projectId, 'src/mixed.py');
    expect(m.eol).toBe('mixed');
    await ws.writeFile(projectId, 'src/mixed.py', 'a = 1\nb = 20\nc = 3\nd = 4\ne = 5\n', m.hash);
    expect(fs.readFileSync(mixed, 'utf8')).toBe('a = 1\r\nb = 20\nc = 3\nd = 4\ne = 5\n');
    await ws.undo(projectId);
    expect(fs.readFileSync(mixed, 'utf8')).toBe('a = 1\r\nb = 2\nc = 3\nd = 4\n');
    fs.rmSync(mixed);
  });

  it('applyGeneration: only the accepted hunk is written, after a checkpoint; accepted + audited; undo restores', async () => {
    const da = diffFile('src/a.py', BEFORE_A, AFTER_A);
    const db = diffFile('src/b.py', 'X = 1\n', 'X: int = 1\n');
    expect(da.hunks).toHaveLength(2);
    const id = await generation([da, db]);
    const first = da.hunks[0]!.id;
    const cpsBefore = (await ws.checkpoints(projectId)).length;

    const r = await ws.applyGeneration({ generationId: id, accept: [{ path: 'src/a.py', hunkIds: [first] }], reason: 'hints wanted' });
    const expectedA = 'def add(a: int, b: int) -> int:\n    return a + b\n\n\n\n\n\n\ndef sub(a, b):\n    return a - b\n';
    expect(read('src/a.py')).toBe(expectedA);
    expect(read('src/b.py')).toBe('X = 1\n');
    expect(r).toEqual({
      checkpointId: expect.stringMatching(/^[0-9a-f]{40}$/),
      written: [{ path: 'src/a.py', hash: sha(expectedA) }],
      skipped: ['src/b.py'],
      overridden: false,
    });
    const cps = await ws.checkpoints(projectId);
    expect(cps).toHaveLength(cpsBefore + 1);
    expect(cps[0]?.id).toBe(r.checkpointId);

    const detail = await ws.codegen.get(id);
    expect(detail.decisions.at(-1)).toMatchObject({ decision: 'accepted', reason: 'hints wanted' });
    const applied = await s.client.call('audit.list', { kinds: ['file.applied'], limit: 100 });
    expect(applied.at(-1)?.data).toMatchObject({
      path: 'src/a.py',
      generationId: id,
      checkpointId: r.checkpointId,
      sha256: sha(expectedA),
    });
    expect(await auditKinds()).toContain('generation.accepted');

    const diff = await ws.checkpointDiff(projectId, r.checkpointId);
    expect(diff.files.map((f) => [f.path, f.status])).toEqual([['src/a.py', 'modified']]);
    const undone = await ws.undo(projectId);
    expect(undone.restored).toBe(r.checkpointId);
    expect(read('src/a.py')).toBe(BEFORE_A);
    expect(await auditKinds()).toContain('checkpoint.undo');
    // Restoring the pre-undo snapshot redoes the apply.
    await ws.restore(projectId, undone.preRestore);
    expect(read('src/a.py')).toBe(expectedA);
    await ws.restore(projectId, r.checkpointId);
    expect(read('src/a.py')).toBe(BEFORE_A);
  });

  it("the user's saves after accepting become the generation's user edits (experience learning)", async () => {
    const d = diffFile('src/b.py', 'X = 1\n', 'X: int = 1\n');
    const id = await generation([d]);
    await ws.applyGeneration({ generationId: id, accept: [{ path: 'src/b.py', hunkIds: [d.hunks[0]!.id] }] });
    const opened = await ws.readFile(projectId, 'src/b.py');
    const saved = await ws.writeFile(projectId, 'src/b.py', 'X: int = 1\nY: int = 2\n', opened.hash);
    const edits = (await ws.codegen.get(id)).decisions.at(-1)?.userEdits ?? '';
    expect(edits).toContain('--- a/src/b.py');
    expect(edits).toContain(' X: int = 1\n+Y: int = 2');
    // A second save continues the chain: the record is the whole change from what was applied.
    await ws.writeFile(projectId, 'src/b.py', 'X: int = 3\nY: int = 2\n', saved.hash);
    const again = (await ws.codegen.get(id)).decisions.at(-1)?.userEdits ?? '';
    expect(again).toContain('-X: int = 1\n+X: int = 3\n+Y: int = 2');
    // A file changed by something else in between is no longer linked to the generation.
    fs.writeFileSync(path.join(root, 'src', 'b.py'), 'X = 9\n');
    await ws.writeFile(projectId, 'src/b.py', 'X = 10\n', sha('X = 9\n'));
    expect((await ws.codegen.get(id)).decisions.at(-1)?.userEdits).toBe(again);
    fs.writeFileSync(path.join(root, 'src', 'b.py'), 'X = 1\n');
  });

  it('a file edited on disk during the generation is a CONFLICT: nothing overwritten, no checkpoint taken', async () => {
    const id = await generation([diffFile('src/b.py', 'X = 1\n', 'X: int = 1\n')]);
    fs.writeFileSync(path.join(root, 'src', 'b.py'), 'X = 2  # the user was faster\n');
    const cps = (await ws.checkpoints(projectId)).length;
    const hunk = (await ws.codegen.get(id)).diff![0]!.hunks[0]!.id;
    const c = await codeOf(ws.applyGeneration({ generationId: id, accept: [{ path: 'src/b.py', hunkIds: [hunk] }] }));
    expect(c.code).toBe('CONFLICT');
    expect(c.details).toMatchObject({
      conflicts: [{ path: 'src/b.py', expectedHash: sha('X = 1\n'), actualHash: sha('X = 2  # the user was faster\n') }],
    });
    expect(read('src/b.py')).toBe('X = 2  # the user was faster\n');
    expect((await ws.checkpoints(projectId)).length).toBe(cps);
    expect((await ws.codegen.get(id)).decision).toBeNull();
    fs.writeFileSync(path.join(root, 'src', 'b.py'), 'X = 1\n');
  });

  it('targets outside the root — ../../outside.txt, a symlink to outside, a symlinked folder — are refused, nothing written', async () => {
    for (const target of ['../../outside.txt', 'link.txt', 'linkdir/outside.txt']) {
      const d = diffFile(target, 'outside stays\n', 'pwned\n');
      const id = await generation([d]);
      const e = await codeOf(ws.applyGeneration({ generationId: id, accept: [{ path: target, hunkIds: [d.hunks[0]!.id] }] }));
      expect(e.code, target).toBe('FORBIDDEN');
    }
    const created = diffFile('../../outside-new.txt', undefined, 'pwned\n');
    const id = await generation([created]);
    const e = await codeOf(ws.applyGeneration({ generationId: id, accept: [{ path: created.path, hunkIds: [created.hunks[0]!.id] }] }));
    expect(e.code).toBe('FORBIDDEN');
    expect(fs.readFileSync(outside, 'utf8')).toBe('outside stays\n');
    expect(fs.existsSync(path.join(tmp.dir, '..', 'outside-new.txt'))).toBe(false);
    expect(fs.lstatSync(path.join(root, 'link.txt')).isSymbolicLink()).toBe(true);
  });

  it('the gate: a high-severity finding blocks the apply until overridden with a reason (audited)', async () => {
    const d = diffFile('src/b.py', 'X = 1\n', 'import os\nX = os.system(input())\n');
    const high: Finding = { tool: 'bandit', ruleId: 'B605', severity: 'high', file: 'src/b.py', line: 2, message: 'shell injection' };
    const id = await generation([d], [high]);
    const accept = [{ path: 'src/b.py', hunkIds: [d.hunks[0]!.id] }];
    const blocked = await codeOf(ws.applyGeneration({ generationId: id, accept }));
    expect(blocked.code).toBe('FORBIDDEN');
    expect(read('src/b.py')).toBe('X = 1\n');
    const r = await ws.applyGeneration({ generationId: id, accept, override: { reason: 'test fixture, input is trusted' } });
    expect(r.overridden).toBe(true);
    expect(read('src/b.py')).toBe('import os\nX = os.system(input())\n');
    const rows = await s.client.call('audit.list', { kinds: ['generation.gate_override'], limit: 10 });
    expect(rows.at(-1)?.data).toMatchObject({ generationId: id, reason: 'test fixture, input is trusted' });
    await ws.undo(projectId);
    expect(read('src/b.py')).toBe('X = 1\n');
  });

  it('bad input is a typed error and writes nothing; reject keeps the reason and audits it', async () => {
    const d = diffFile('src/b.py', 'X = 1\n', 'X = 3\n');
    const id = await generation([d]);
    const bad = [
      () => ws.applyGeneration({ generationId: id, accept: [{ path: 'src/b.py', hunkIds: ['nope'] }] }),
      () => ws.applyGeneration({ generationId: id, accept: [{ path: 'src/a.py', hunkIds: [d.hunks[0]!.id] }] }),
    ];
    for (const call of bad) expect((await codeOf(call())).code).toBe('INVALID_ARGUMENT');
    expect((await codeOf(ws.applyGeneration({ generationId: 'no-such', accept: [{ path: 'a', hunkIds: ['h'] }] }))).code).toBe('NOT_FOUND');
    expect(read('src/b.py')).toBe('X = 1\n');

    const rejected = await ws.rejectGeneration(id, 'changes the constant for no reason');
    expect(rejected.id).toBe(id);
    const rows = await s.client.call('audit.list', { kinds: ['generation.rejected'], limit: 10 });
    expect(rows.at(-1)?.data).toMatchObject({ generationId: id, reason: 'changes the constant for no reason' });
    expect((await codeOf(ws.rejectGeneration(id, '   '))).code).toBe('INVALID_ARGUMENT');
    expect((await codeOf(ws.restore(projectId, 'f'.repeat(40)))).code).toBe('NOT_FOUND');
    expect((await s.client.call('audit.verify', {})).ok).toBe(true);
  });

  it('a deleted project folder: every call is NOT_FOUND and nothing is recreated', async () => {
    const gone = path.join(tmp.dir, 'gone');
    fs.mkdirSync(gone);
    fs.writeFileSync(path.join(gone, 'a.py'), 'A = 1\n');
    const goneId = (await s.client.call('index.project.add', { name: 'gone', rootPath: gone })).id;
    const opened = await ws.readFile(goneId, 'a.py');
    await ws.writeFile(goneId, 'a.py', 'A = 2\n', opened.hash); // opens its checkpoint store
    fs.rmSync(gone, { recursive: true });
    await ws.setTrust(goneId, true);
    // One call at a time, each awaited as it starts: a rejection must never sit unobserved while another runs.
    const calls: (() => Promise<unknown>)[] = [
      () => ws.tree(goneId),
      () => ws.readFile(goneId, 'a.py'),
      () => ws.writeFile(goneId, 'a.py', 'A = 3\n', sha('A = 2\n')),
      () => ws.undo(goneId),
      () => ws.gitStatus(goneId),
    ];
    for (const call of calls) expect((await codeOf(call())).code).toBe('NOT_FOUND');
    expect(fs.existsSync(gone)).toBe(false);
  });
});
