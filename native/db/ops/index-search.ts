// Worker handler for index search: BM25 over the code-aware FTS terms and exact cosine over the project's int8
// vectors, each returned as its own ranked list (fusion happens in the projects service).
import type { IndexHit } from '../../../common/store/index-requests';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { codeQuery } from './index-terms';
import { base64ToInt8, cosineInt8, hasVectorExtension } from './index-vectors';

type Row = Record<string, unknown>;

// A chunk may sit in several files (copies); a hit names the first span of it, by path then line.
const FIRST_SPAN = `(SELECT rel || char(0) || start_line || char(0) || end_line || char(0) || kind || char(0) || coalesce(symbol, '')
   FROM index_spans s WHERE s.chunk_seq = c.seq ORDER BY rel, start_line LIMIT 1) AS span`;

function toHit(r: Row, score: number): IndexHit | null {
  if (typeof r.span !== 'string') return null;
  const [rel, start, end, kind, symbol] = r.span.split('\0');
  return {
    seq: r.seq as number,
    rel: rel as string,
    startLine: Number(start),
    endLine: Number(end),
    kind: kind as string,
    symbol: symbol ? symbol : null,
    text: r.text as string,
    score,
  };
}

export function indexSearchOps(db: () => StoreDb) {
  const bm25 = (projectId: string, query: string, k: number): IndexHit[] =>
    db()
      .all<Row>(
        `SELECT c.seq, c.text, -bm25(index_fts) AS score, ${FIRST_SPAN}
         FROM index_fts JOIN index_chunks c ON c.seq = index_fts.rowid
         WHERE index_fts MATCH ? AND c.project_id = ? ORDER BY bm25(index_fts) LIMIT ?`,
        codeQuery(query),
        projectId,
        k,
      )
      .flatMap((r) => toHit(r, r.score as number) ?? []);

  const vector = (projectId: string, q: Int8Array, k: number): { hits: IndexHit[]; engine: 'sqlite-vec' | 'js-scan' } => {
    let top: { seq: number; sim: number }[];
    let engine: 'sqlite-vec' | 'js-scan';
    if (hasVectorExtension(db().db)) {
      engine = 'sqlite-vec';
      top = db()
        .all<{ seq: number; d: number }>(
          `SELECT chunk_seq AS seq, vec_distance_cosine(vec_int8(emb), vec_int8(?)) AS d FROM index_vectors
           WHERE project_id = ? ORDER BY d LIMIT ?`,
          Buffer.from(q.buffer, q.byteOffset, q.byteLength),
          projectId,
          k,
        )
        .map((r) => ({ seq: r.seq, sim: 1 - r.d }));
    } else {
      engine = 'js-scan';
      const all: { seq: number; sim: number }[] = [];
      for (const r of db()
        .db.prepare('SELECT chunk_seq AS seq, emb FROM index_vectors WHERE project_id = ?')
        .iterate(projectId) as Iterable<{
        seq: number;
        emb: Buffer;
      }>) {
        all.push({ seq: r.seq, sim: cosineInt8(q, new Int8Array(r.emb.buffer, r.emb.byteOffset, r.emb.byteLength)) });
      }
      top = all.sort((a, b) => b.sim - a.sim).slice(0, k);
    }
    const hits = top.flatMap((t) => {
      const r = db().get<Row>(`SELECT c.seq, c.text, ${FIRST_SPAN} FROM index_chunks c WHERE c.seq = ?`, t.seq);
      return r ? (toHit(r, t.sim) ?? []) : [];
    });
    return { hits, engine };
  };

  return {
    'index.search': (p: P<'index.search'>): R<'index.search'> => {
      const v = p.vector ? vector(p.projectId, base64ToInt8(p.vector), p.k) : null;
      return { bm25: bm25(p.projectId, p.query, p.k), vector: v?.hits ?? [], vectorEngine: v?.engine ?? 'none' };
    },
  };
}
