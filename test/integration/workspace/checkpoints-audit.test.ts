// Checkpoint audit rows through the real AuditService and encrypted DB worker: apply, restore and undo rows are
// accepted by the worker's schema, carry paths and content hashes, and the hash chain still verifies.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../../main/services/audit/audit-service';
import { CheckpointStore } from '../../../main/services/workspace/checkpoints/checkpoint-store';
import { makeStore, newKey, tempDir, type TestStore } from '../store/helpers';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('checkpoint audit rows in the real audit log', () => {
  const tmp = tempDir('evolve-cp-audit-');
  let s: TestStore;
  let audit: AuditService;

  beforeAll(async () => {
    s = makeStore(path.join(tmp.dir, 'a.db'), newKey());
    await s.client.open();
    audit = new AuditService(s.client);
  });
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('records apply, restore and undo with paths and hashes; the chain verifies', async () => {
    const root = path.join(tmp.dir, 'project');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'one\n');
    const store = await CheckpointStore.open({ projectRoot: root, dataDir: path.join(tmp.dir, 'data'), projectId: 'proj-1', audit });

    const cp = await store.checkpoint('before apply');
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'two\n');
    fs.writeFileSync(path.join(root, 'src/b.ts'), 'new\n');
    await store.recordApplied({ checkpointId: cp.id, paths: ['src/a.ts', 'src/b.ts'], generationId: 'gen-7' });
    const undo = await store.undoLast();
    const restore = await store.restore(undo.preRestore); // redo: back to the applied state

    const rows = await audit.list({ kinds: ['file.applied', 'checkpoint.undo', 'checkpoint.restore'] });
    expect(rows.map((r) => r.kind)).toEqual(['file.applied', 'file.applied', 'checkpoint.undo', 'checkpoint.restore']);
    expect(rows[0]?.data).toEqual({
      path: 'src/a.ts',
      checkpointId: cp.id,
      projectId: 'proj-1',
      generationId: 'gen-7',
      sha256: sha('two\n'),
      bytes: 4,
    });
    expect(rows[2]?.data).toEqual({
      checkpointId: cp.id,
      preRestoreId: undo.preRestore,
      projectId: 'proj-1',
      files: [
        { path: 'src/a.ts', sha256: sha('one\n') },
        { path: 'src/b.ts', sha256: null },
      ],
      filesTotal: 2,
    });
    expect(rows[3]?.data).toMatchObject({ checkpointId: undo.preRestore, preRestoreId: restore.preRestore, filesTotal: 2 });
    expect(fs.readFileSync(path.join(root, 'src/b.ts'), 'utf8')).toBe('new\n');
    expect(await audit.verify()).toMatchObject({ ok: true, count: 4 });
  });
});
