// At-rest check: known strings never appear in the file, -wal or -shm; a standard SQLCipher 4 client opens it with the key only.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStore, newKey, tempDir, type TestStore } from './helpers';

const MARKERS = [
  'ZEBRA-PLAINTEXT-MARKER-7731',
  'sk-live-DO-NOT-LEAK-4242',
  'quokka-secret-conversation',
  'walrus-generation-output',
  // The codegen store (migration 7): request, round code and test output, rejection reason.
  'narwhal-codegen-request',
  'ibex-round-test-output',
  'pangolin-rejection-reason',
];
const COMPAT = resolve(__dirname, '../../../scripts/store/sqlcipher_compat.py');

/** A Python with sqlcipher3 (SQLCipher 4): $EVOLVE_SQLCIPHER_PYTHON, the venv from setup-sqlcipher-check.sh, or python3. */
function sqlcipherPython(): string | undefined {
  const candidates = [
    process.env.EVOLVE_SQLCIPHER_PYTHON,
    join(process.env.EVOLVE_SQLCIPHER_VENV ?? join(homedir(), '.cache/evolve/sqlcipher-venv'), 'bin/python'),
    'python3',
  ];
  for (const py of candidates) {
    if (!py || (py.includes('/') && !existsSync(py))) continue;
    if (spawnSync(py, ['-c', 'import sqlcipher3'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
}
const PY = sqlcipherPython();
if (!PY) console.warn('sqlcipher3 not found: run scripts/store/setup-sqlcipher-check.sh; the SQLCipher 4 client checks are skipped');

/** The `sqlcipher` shell only if it is SQLCipher 4 or newer (Debian bookworm ships 3.4.1, which cannot read v4 files). */
function cliCipherMajor(): number {
  const r = spawnSync('sqlcipher', [':memory:'], { input: 'PRAGMA cipher_version;\n', encoding: 'utf8' });
  return r.status === 0 ? Number.parseInt(r.stdout.trim(), 10) || 0 : 0;
}
const CLI4 = cliCipherMajor() >= 4;
if (!CLI4) console.warn('sqlcipher shell missing or older than SQLCipher 4 (Debian bookworm has 3.4.1): shell check skipped');

function compat(
  path: string,
  key: string,
  sql?: string,
): { opened: boolean; cipher_version: string; tables: string[]; rows: unknown[][]; error: string | null } {
  return JSON.parse(execFileSync(PY as string, [COMPAT, path, key, ...(sql ? [sql] : [])], { encoding: 'utf8' }));
}

describe('data at rest', () => {
  const tmp = tempDir();
  let s: TestStore;
  beforeAll(async () => {
    s = makeStore(join(tmp.dir, 'plain.db'), newKey(), { synchronous: 'NORMAL' });
    await s.client.open();
    const p = await s.client.call('project.create', { name: MARKERS[0] as string });
    const t = await s.client.call('thread.create', { projectId: p.id, title: 'x' });
    for (let i = 0; i < 50; i++)
      await s.client.call('message.append', { threadId: t.id, role: 'user', content: `${MARKERS[2]} number ${i}` });
    await s.client.call('generation.record', { projectId: p.id, prompt: 'p', provider: 'local', model: 'm', output: MARKERS[3] as string });
    await s.client.call('setting.set', { key: 'note', value: MARKERS[1] as string });
    const cg = await s.client.call('codegen.create', {
      projectId: p.id,
      request: MARKERS[4] as string,
      type: 'function',
      lang: 'python',
      model: 'm',
    });
    await s.client.call('codegen.addRound', {
      generationId: cg.id,
      round: 0,
      code: 'x',
      checks: null,
      testOutput: MARKERS[5] as string,
      promptTokens: 1,
      completionTokens: 1,
      ms: 1,
    });
    await s.client.call('codegen.finish', { generationId: cg.id, status: 'done', code: 'x' });
    await s.client.call('codegen.decide', { generationId: cg.id, decision: 'rejected', reason: MARKERS[6] as string });
  });
  afterAll(async () => {
    await s.client.close();
    tmp.cleanup();
  });

  it('no marker appears in the database, -wal or -shm bytes (while open, WAL not yet checkpointed)', () => {
    const files = [s.path, `${s.path}-wal`, `${s.path}-shm`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(`${s.path}-wal`).length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const m of MARKERS) expect(bytes.includes(Buffer.from(m)), `${m} in ${f}`).toBe(false);
      // Not even the SQLite magic header: page 1 starts with a random salt.
      expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    }
  });

  it('no marker appears in a backup or an audit-free export path', async () => {
    const bak = join(tmp.dir, 'plain.bak');
    await s.client.backup(bak);
    const bytes = readFileSync(bak);
    for (const m of MARKERS) expect(bytes.includes(Buffer.from(m))).toBe(false);
  });

  it.skipIf(!PY)('a standard SQLCipher 4 client (sqlcipher3) opens it with the key and fails without or with another key', async () => {
    await s.client.call('integrityCheck', {}); // checkpoints the WAL so the file alone holds every row
    const withKey = compat(s.path, s.key(), `SELECT name FROM projects UNION ALL SELECT value FROM settings WHERE key = 'note'`);
    expect(withKey.cipher_version).toMatch(/^4\./);
    expect(withKey.error).toBeNull();
    expect(withKey.tables).toEqual(
      expect.arrayContaining(['projects', 'messages', 'audit', 'codegen_generations', 'codegen_rounds', 'codegen_decisions']),
    );
    expect(withKey.rows.flat()).toEqual([MARKERS[0], JSON.stringify(MARKERS[1])]);
    const noKey = compat(s.path, '-');
    expect(noKey.opened).toBe(false);
    expect(noKey.error).toMatch(/not a database/);
    const wrongKey = compat(s.path, newKey());
    expect(wrongKey.opened).toBe(false);
  });

  it.skipIf(!PY)('a backup opens in the standard client with the key', async () => {
    const r = compat(join(tmp.dir, 'plain.bak'), s.key(), 'SELECT count(*) FROM messages');
    expect(r.rows).toEqual([[50]]);
  });

  it.skipIf(!CLI4)('the sqlcipher shell (SQLCipher 4+) opens it with the documented commands', () => {
    const out = execFileSync('sqlcipher', [s.path], {
      input: `PRAGMA key = "x'${s.key()}'";\nPRAGMA cipher_compatibility = 4;\nSELECT count(*) FROM messages;\n`,
      encoding: 'utf8',
    });
    expect(out.trim().split('\n').pop()).toBe('50');
  });
});
