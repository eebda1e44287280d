// At rest, the project index is as encrypted as the rest of the store: after indexing a fixture, no file of the
// data dir (database, -wal, -shm, anchors) holds any of its code, identifiers or FTS terms in clear.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, writeFixtureProject, type Harness } from './harness';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('project index at rest', () => {
  let h: Harness;
  let dataDir = '';
  // Raw code, identifiers, a whole line, and the lower-cased joined term only the FTS index holds.
  const needles = [
    'ZEBRA-INDEX-MARKER-5521',
    'parseQuaternion',
    'retryWithBackoff',
    'total_invoice_amount',
    'parsequaternion',
    'startHealthServer',
  ];
  beforeAll(async () => {
    h = await makeHarness();
    dataDir = path.dirname(h.store.path);
    const root = path.join(h.dir, 'fixture');
    mkdirSync(root);
    writeFixtureProject(root);
    const { id } = await h.service.add({ path: root });
    const r = await h.service.index(id);
    expect(r.phase).toBe('done');
    expect((await h.service.search(id, 'parseQuaternion')).chunks[0]?.rel).toBe('src/quaternion.ts');
  }, 120_000);
  afterAll(async () => h?.close(), 60_000);

  const scan = () => {
    const files = filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) {
        if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) found.push(`${path.basename(f)}: ${n}`);
      }
    }
    return found;
  };

  it('holds no indexed code in clear while the store is open (WAL included)', () => {
    expect(scan()).toEqual([]);
  });

  it('holds none after close either', async () => {
    await h.store.client.close();
    expect(scan()).toEqual([]);
    await h.store.client.open();
  });
});
