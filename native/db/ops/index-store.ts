// Worker handlers that write the index: the file catalog, one-transaction batches of files (spans, new chunks,
// vectors, FTS terms), deleted files, and the orphan sweep that keeps "deleted files leave no rows" true.
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { codeTerms } from './index-terms';

type Row = Record<string, unknown>;

export function indexStoreOps(db: () => StoreDb) {
  /** Deletes chunks of `projectId` no span points at (their vectors and FTS rows go with them). */
  const sweep = (projectId: string, candidates: Set<number>): number => {
    let n = 0;
    for (const seq of candidates) {
      n += db().run(
        'DELETE FROM index_chunks WHERE seq = ? AND project_id = ? AND NOT EXISTS (SELECT 1 FROM index_spans WHERE chunk_seq = ?)',
        seq,
        projectId,
        seq,
      ).changes;
    }
    return n;
  };
  const spansOf = (projectId: string, rel: string) =>
    db()
      .all<{ s: number }>('SELECT chunk_seq AS s FROM index_spans WHERE project_id = ? AND rel = ?', projectId, rel)
      .map((r) => r.s);

  return {
    'index.catalog': (p: P<'index.catalog'>): R<'index.catalog'> =>
      db()
        .all<Row>('SELECT rel, size, mtime_ms, hash, status FROM index_files WHERE project_id = ?', p.projectId)
        .map((r) => ({
          rel: r.rel as string,
          size: r.size as number,
          mtimeMs: r.mtime_ms as number,
          hash: r.hash as string,
          status: r.status as 'indexed' | 'error',
        })),
    'index.knownChunks': (p: P<'index.knownChunks'>): R<'index.knownChunks'> => {
      const known: string[] = [];
      for (const h of new Set(p.hashes)) {
        if (
          db().get(
            'SELECT 1 FROM index_chunks c JOIN index_vectors v ON v.chunk_seq = c.seq WHERE c.project_id = ? AND c.hash = ?',
            p.projectId,
            h,
          )
        ) {
          known.push(h);
        }
      }
      return known;
    },
    'index.writeBatch': (p: P<'index.writeBatch'>): R<'index.writeBatch'> =>
      db().tx(() => {
        const now = Date.now();
        const orphans = new Set<number>();
        let chunksAdded = 0;
        let chunksReused = 0;
        let filesDeleted = 0;
        for (const rel of p.deleted) {
          for (const s of spansOf(p.projectId, rel)) orphans.add(s);
          filesDeleted += db().run('DELETE FROM index_files WHERE project_id = ? AND rel = ?', p.projectId, rel).changes;
        }
        for (const f of p.files) {
          for (const s of spansOf(p.projectId, f.rel)) orphans.add(s);
          // Upsert keeps the catalog row's identity; its spans are replaced below.
          db().run(
            `INSERT INTO index_files (project_id, rel, size, mtime_ms, hash, lang, status, error, tags, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(project_id, rel) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, lang = excluded.lang,
               status = excluded.status, error = excluded.error, tags = excluded.tags, indexed_at = excluded.indexed_at`,
            p.projectId,
            f.rel,
            f.size,
            f.mtimeMs,
            f.hash,
            f.lang,
            f.error ? 'error' : 'indexed',
            f.error,
            f.tags ? JSON.stringify(f.tags) : null,
            now,
          );
          db().run('DELETE FROM index_spans WHERE project_id = ? AND rel = ?', p.projectId, f.rel);
          for (const c of f.chunks) {
            let seq = db().get<{ seq: number }>('SELECT seq FROM index_chunks WHERE project_id = ? AND hash = ?', p.projectId, c.hash)?.seq;
            if (seq === undefined) {
              seq = Number(
                db().run('INSERT INTO index_chunks (project_id, hash, text) VALUES (?, ?, ?)', p.projectId, c.hash, c.text).lastInsertRowid,
              );
              db().run('INSERT INTO index_fts (rowid, terms) VALUES (?, ?)', seq, codeTerms(c.text));
              chunksAdded++;
            } else {
              chunksReused++;
            }
            if (c.vector !== undefined) {
              db().run(
                `INSERT INTO index_vectors (project_id, chunk_seq, model, emb) VALUES (?, ?, ?, ?)
                 ON CONFLICT(project_id, chunk_seq) DO UPDATE SET model = excluded.model, emb = excluded.emb`,
                p.projectId,
                seq,
                p.model,
                Buffer.from(c.vector, 'base64'),
              );
            }
            db().run(
              'INSERT OR IGNORE INTO index_spans (project_id, rel, chunk_seq, start_line, end_line, kind, symbol) VALUES (?, ?, ?, ?, ?, ?, ?)',
              p.projectId,
              f.rel,
              seq,
              c.startLine,
              c.endLine,
              c.kind,
              c.symbol,
            );
            orphans.delete(seq);
          }
        }
        const chunksRemoved = sweep(p.projectId, orphans);
        return { files: p.files.length, chunksAdded, chunksReused, chunksRemoved, filesDeleted };
      }),
    'index.tags': (p: P<'index.tags'>): R<'index.tags'> =>
      db()
        .all<Row>('SELECT rel, tags FROM index_files WHERE project_id = ? AND tags IS NOT NULL', p.projectId)
        .map((r) => ({ rel: r.rel as string, tags: JSON.parse(r.tags as string) as R<'index.tags'>[number]['tags'] })),
  };
}
