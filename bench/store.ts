// Benchmark: SQLCipher 4 vs plain SQLite, same schema, same code paths, same run: inserts, indexed reads, FTS, audit appends.
// Run: npx tsx bench/store.ts [--rows N] [--rounds R] [--cache-mb M]. Prints ops/s for both and the ratio (target >= 0.85).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyConnection, StoreDb } from '../native/db/connection';
import { migrate } from '../native/db/migrations';
import { AuditAnchor, auditOps } from '../native/db/ops/audit';
import { GroupCommit } from '../native/db/group-commit';
import { contentOps } from '../native/db/ops/content';
import { Sqlite } from '../native/db/sqlite';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROWS = arg('rows', 20_000);
const ROUNDS = arg('rounds', 3);
/** Page cache per connection in MiB (16 = the app's setting, see native/db/connection.ts; SQLite's default is 2). */
const CACHE_MB = arg('cache-mb', 16);
const WORDS = ['parse', 'tokenizer', 'async', 'buffer', 'matrix', 'cluster', 'gradient', 'kernel', 'socket', 'render', 'schema', 'vector'];
const word = (i: number) => WORDS[i % WORDS.length] as string;
const text = (i: number) => `${word(i)} ${word(i * 7 + 3)} message ${i} `.repeat(12);

type Kind = 'plain' | 'encrypted';

function setup(dir: string, kind: Kind) {
  const path = join(dir, `${kind}.db`);
  const db = new Sqlite(path);
  const key = randomBytes(32).toString('hex');
  if (kind === 'encrypted') keyConnection(db, key);
  // Identical settings for both: the only difference is the cipher.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${CACHE_MB * 1024}`);
  migrate(db);
  const store = new StoreDb(db, { slowQueryMs: 1e9 });
  const content = contentOps(() => store);
  const audit = auditOps(
    () => store,
    () => anchor,
  );
  const anchor = new AuditAnchor(`${path}.audit-head`, key);
  const threads = Array.from(
    { length: 200 },
    (_, i) => content['thread.create']({ id: `t${i}`, projectId: null, title: `thread ${i}` }).id,
  );
  const group = new GroupCommit(() => db);
  return { db, store, content, audit, threads, group };
}

type Env = ReturnType<typeof setup>;

/** Times `n` operations starting at index `from`; returns milliseconds. */
function time(n: number, from: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = from; i < from + n; i++) fn(i);
  return performance.now() - t0;
}

/** Each workload runs in slices (`slice` ops); the two sides alternate A-B, B-A so machine load drifts evenly. */
const workloads: Record<string, { slice: number; slices: number; run: (e: Env, n: number, from: number) => number }> = {
  // Inserts in explicit transactions of 100, FTS triggers included.
  'inserts/s (tx of 100)': {
    slice: 1000,
    slices: Math.max(2, Math.round(ROWS / 1000)),
    run: (e, n, from) => {
      const batch = e.store.db.transaction((start: number) => {
        for (let i = start; i < start + 100; i++) {
          const threadId = e.threads[i % e.threads.length] as string;
          e.content['message.append']({ id: `r${i}`, threadId, role: 'user', content: text(i), model: null, stats: null });
        }
      });
      return time(n / 100, 0, (k) => batch(from + k * 100));
    },
  },
  // The DB worker's own write path: appends sent in a burst are queued and committed together (group-commit.ts,
  // at most 500 per transaction), each under its own savepoint.
  'inserts/s (group commit)': {
    slice: 1000,
    slices: Math.max(2, Math.round(ROWS / 1000)),
    run: (e, n, from) =>
      time(1, 0, () => {
        for (let i = from + 1_000_000; i < from + 1_000_000 + n; i++) {
          const threadId = e.threads[i % e.threads.length] as string;
          e.group
            .submit(() => e.content['message.append']({ id: `g${i}`, threadId, role: 'user', content: text(i), model: null, stats: null }))
            .catch((err: unknown) => console.error(err));
        }
        e.group.flushNow();
      }),
  },
  // A page of one thread's messages through the (thread_id, created_at) index.
  'indexed queries/s': {
    slice: 300,
    slices: ROUNDS * 4,
    run: (e, n, from) =>
      time(n, from, (i) => e.content['message.list']({ threadId: e.threads[(i * 37) % e.threads.length] as string, limit: 20 })),
  },
  'FTS queries/s': {
    slice: 100,
    slices: ROUNDS * 4,
    run: (e, n, from) => time(n, from, (i) => e.content.search({ query: `${word(i)} ${word(i + 5)}`, kinds: ['message'], limit: 20 })),
  },
  // One transaction per append (the real pattern: each event commits on its own), hash chain + anchor file.
  'audit appends/s': {
    slice: 200,
    slices: ROUNDS * 4,
    run: (e, n, from) => time(n, from, (i) => e.audit.append({ kind: 'file.applied', data: { path: `src/f${i}.ts`, bytes: i } })),
  },
};

const dir = mkdtempSync(join(tmpdir(), 'evolve-bench-'));
try {
  const envs: Record<Kind, Env> = { plain: setup(dir, 'plain'), encrypted: setup(dir, 'encrypted') };
  const totals: Record<string, Record<Kind, { ops: number; ms: number }>> = {};
  // Inserts first: they build the data the queries read.
  for (const [name, w] of Object.entries(workloads)) {
    const t: Record<Kind, { ops: number; ms: number }> = { plain: { ops: 0, ms: 0 }, encrypted: { ops: 0, ms: 0 } };
    totals[name] = t;
    for (let k = 0; k < w.slices; k++) {
      const order: Kind[] = k % 2 === 0 ? ['plain', 'encrypted'] : ['encrypted', 'plain'];
      for (const side of order) {
        t[side].ms += w.run(envs[side], w.slice, k * w.slice);
        t[side].ops += w.slice;
      }
    }
  }
  const mb = ((envs.encrypted.db.pragma('page_count', { simple: true }) as number) * 4096) / 1e6;
  console.log(
    `store bench: ${ROWS} message inserts then interleaved slices; ~${mb.toFixed(0)} MB database; WAL, synchronous=NORMAL, ${CACHE_MB} MiB cache on both sides`,
  );
  console.log(`${'workload'.padEnd(20)} ${'plain'.padStart(12)} ${'encrypted'.padStart(12)} ${'ratio'.padStart(7)}  target >= 0.85`);
  let worst = Infinity;
  for (const [name, r] of Object.entries(totals)) {
    const p = (r.plain.ops / r.plain.ms) * 1000;
    const e = (r.encrypted.ops / r.encrypted.ms) * 1000;
    const ratio = e / p;
    worst = Math.min(worst, ratio);
    console.log(
      `${name.padEnd(20)} ${p.toFixed(0).padStart(12)} ${e.toFixed(0).padStart(12)} ${ratio.toFixed(2).padStart(7)}  ${ratio >= 0.85 ? 'ok' : 'BELOW TARGET'}`,
    );
  }
  console.log(`worst ratio ${worst.toFixed(2)}`);
  for (const e of Object.values(envs)) e.store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
