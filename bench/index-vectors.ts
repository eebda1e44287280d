// bench:index-vectors — exact k-NN over one project's int8 vectors inside the SQLCipher database: sqlite-vec's
// vec_distance_cosine scan vs the JS fallback, at several index sizes (384-d, the embedding model's size).
// Usage: npm run bench:index-vectors [-- --sizes 5000,20000,50000 --runs 7]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StoreDb, keyConnection } from '../native/db/connection';
import { migrate } from '../native/db/migrations';
import { indexSearchOps } from '../native/db/ops/index-search';
import { hasVectorExtension, int8ToBase64, quantizeInt8 } from '../native/db/ops/index-vectors';
import { Sqlite } from '../native/db/sqlite';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '5000,20000,50000' }, runs: { type: 'string', default: '7' } },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const D = 384;

function randomUnit(): Float32Array {
  const v = new Float32Array(D);
  let n = 0;
  for (let i = 0; i < D; i++) {
    v[i] = Math.random() - 0.5;
    n += (v[i] as number) ** 2;
  }
  n = Math.sqrt(n);
  for (let i = 0; i < D; i++) v[i] = (v[i] as number) / n;
  return v;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const dir = mkdtempSync(join(tmpdir(), 'evolve-bench-vec-'));
try {
  for (const n of sizes) {
    const results: Record<string, number> = {};
    for (const engine of ['sqlite-vec', 'js-scan'] as const) {
      process.env.EVOLVE_SQLITE_VEC = engine === 'js-scan' ? 'off' : '';
      const raw = new Sqlite(join(dir, `v-${n}-${engine}.db`));
      keyConnection(raw, 'ab'.repeat(32));
      raw.pragma('journal_mode = WAL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('cache_size = -16384');
      migrate(raw);
      if ((engine === 'sqlite-vec') !== hasVectorExtension(raw))
        throw new Error(`${engine}: sqlite-vec did not ${engine === 'js-scan' ? 'stay off' : 'load'}`);
      const db = new StoreDb(raw, { slowQueryMs: 1e9 });
      raw.exec(`INSERT INTO projects (id, name, root_path, created_at, updated_at) VALUES ('p', 'bench', '/bench', 0, 0)`);
      const insC = raw.prepare('INSERT INTO index_chunks (project_id, hash, text) VALUES (?, ?, ?)');
      const insF = raw.prepare(
        `INSERT INTO index_files (project_id, rel, size, mtime_ms, hash, status, indexed_at) VALUES ('p', ?, 0, 0, 'h', 'indexed', 0)`,
      );
      const insS = raw.prepare(
        `INSERT INTO index_spans (project_id, rel, chunk_seq, start_line, end_line, kind) VALUES ('p', ?, ?, 1, 10, 'window')`,
      );
      const insV = raw.prepare(`INSERT INTO index_vectors (project_id, chunk_seq, model, emb) VALUES ('p', ?, 'bench', ?)`);
      raw.transaction(() => {
        for (let i = 0; i < n; i++) {
          const rel = `f${Math.floor(i / 10)}.ts`;
          if (i % 10 === 0) insF.run(rel);
          const seq = Number(insC.run('p', `h${i}`, `chunk ${i}`).lastInsertRowid);
          insS.run(rel, seq);
          const q = quantizeInt8(randomUnit());
          insV.run(seq, Buffer.from(q.buffer));
        }
      })();
      const search = indexSearchOps(() => db)['index.search'];
      const times: number[] = [];
      for (let r = 0; r < runs + 1; r++) {
        const q = int8ToBase64(quantizeInt8(randomUnit()));
        const t0 = performance.now();
        const res = search({ projectId: 'p', query: 'nomatchterm', vector: q, k: 30 });
        const ms = performance.now() - t0;
        if (res.vector.length !== 30 || res.vectorEngine !== engine) throw new Error('unexpected search result');
        if (r > 0) times.push(ms); // the first query warms the page cache
      }
      results[engine] = median(times);
      db.close();
    }
    process.stdout.write(
      `${String(n).padStart(6)} vectors: sqlite-vec ${results['sqlite-vec']?.toFixed(1)} ms, js-scan ${results['js-scan']?.toFixed(1)} ms (median of ${runs}, k=30, vector side only: BM25 query matches nothing)\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
