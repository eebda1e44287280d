// retrieve(project, query, tokenBudget): BM25 (chunks) and vector (file cards) rankings fused by RRF per file, packed in fused
// order with a repo-map slice (focused on the files hit) so the whole answer fits the caller's token budget.
import type { ProjectSearchHit, Retrieval } from '../../../common/contracts/projects';
import { toErrorInfo } from '../../../common/errors';
import { int8ToBase64, quantizeInt8 } from '../../../native/db/ops/index-vectors';
import { RepoMapResultSchema, type RepoMapResult } from '../../../native/index/protocol';
import { FILE_CARD_KIND } from '../../../native/index/file-card';
import { fuseByFile, RRF_K } from './fusion';
import type { IndexHit } from '../../../common/store/index-requests';
import type { EmbedderPort, IndexWorkerPort, StorePort } from './ports';
import type { QueryExpander } from './query-expansion';

/** ~4 characters per token for code and English (the budget is a bound for prompt assembly, not billing). */
/** A BM25 hit takes part in fusion when its score is at least this share of the best hit's. */
export const BM25_RELATIVE_FLOOR = 0.25;

export const estimateTokens = (s: string): number => Math.ceil(s.length / 4);

export interface RetrieveDeps {
  store: StorePort;
  worker: IndexWorkerPort;
  embedder: EmbedderPort | null;
  /** Per-file tags for the repo map (cached by the service between index writes), with a key naming this version. */
  tags: (projectId: string) => Promise<{ key: string; tags: Record<string, { defs: unknown[]; refs: unknown[] }> }>;
  log?: (level: 'warn', msg: string) => void;
  /** Terms the local model adds to a prose question's BM25 search (query-expansion.ts); absent: searched as typed. */
  expand?: QueryExpander;
}

export interface RetrieveOptions {
  /** Ask the expander when there is one (default true: the assistant's retrievals; the search box opts in). */
  expand?: boolean;
  signal?: AbortSignal;
}

export async function repoMapFor(
  d: RetrieveDeps,
  projectId: string,
  tokenBudget: number,
  focusFiles: string[] = [],
  focusIdents: string[] = [],
): Promise<RepoMapResult> {
  const { key, tags } = await d.tags(projectId);
  if (Object.keys(tags).length === 0) return { text: '', files: [], tokens: 0 };
  const params = { tagsKey: key, focusFiles, focusIdents, tokenBudget };
  try {
    // The worker usually still has this version of the tags: then they are not sent again.
    return RepoMapResultSchema.parse(await d.worker.request('repo-map', params));
  } catch (e) {
    if (toErrorInfo(e).code !== 'NOT_FOUND') throw e;
    return RepoMapResultSchema.parse(await d.worker.request('repo-map', { ...params, tags }));
  }
}

export interface FusionOptions {
  /** RRF's k: smaller values weigh the top of each list more against agreement further down. */
  rrfK?: number;
  bm25Floor?: number;
}

/**
 * The ranked hits of one search: BM25 hits far below the best one matched only common words of the query (in a
 * deep list they would still outvote a rare identifier's one exact hit once RRF adds their vector ranks), then
 * per-file fusion of BM25 chunks and file-card vectors.
 */
export function fuseHits(res: { bm25: IndexHit[]; vector: IndexHit[] }, k: number, o: FusionOptions = {}): ProjectSearchHit[] {
  const floor = (res.bm25[0]?.score ?? 0) * (o.bm25Floor ?? BM25_RELATIVE_FLOOR);
  const bm25 = res.bm25.filter((h) => h.score >= floor);
  return fuseByFile(bm25, res.vector, FILE_CARD_KIND, o.rrfK ?? RRF_K)
    .slice(0, k)
    .map((f) => ({
      rel: f.item.rel,
      startLine: f.item.startLine,
      endLine: f.item.endLine,
      kind: f.item.kind,
      symbol: f.item.symbol,
      text: f.item.text,
      scores: { bm25: f.bm25, vector: f.vector, fused: f.fused },
    }));
}

export async function retrieve(
  d: RetrieveDeps,
  projectId: string,
  query: string,
  tokenBudget: number,
  k = 10,
  o: RetrieveOptions = {},
): Promise<Retrieval> {
  const embed = async (): Promise<string | undefined> => {
    if (!d.embedder) return undefined;
    try {
      const [v] = await d.embedder.embed([query], o.signal, { priority: 'interactive' });
      return v ? int8ToBase64(quantizeInt8(v)) : undefined;
    } catch (e) {
      d.log?.('warn', `query embedding failed, BM25 only: ${toErrorInfo(e).message}`);
      return undefined;
    }
  };
  // The expansion (a model call) and the query's embedding run side by side; the vector side keeps the question as
  // asked — MiniLM reads prose — while BM25 gets the question plus the model's code words.
  const [vector, expansion] = await Promise.all([embed(), d.expand && o.expand !== false ? d.expand(query, o.signal) : []]);
  const bm25Query = expansion.length ? `${query} ${expansion.join(' ')}` : query;
  // BM25 lists chunks (several per file); the deeper list gives the file-level fusion enough distinct files.
  const depth = Math.max(k * 6, 60);
  const res = await d.store.call('index.search', { projectId, query: bm25Query, vector, k: depth });
  const ranked = fuseHits(res, k);

  // A quarter of the budget (at most 1k tokens) goes to the repo map, focused on the files and names hit.
  let repoMap = '';
  let used = 0;
  const mapBudget = Math.min(1024, Math.floor(tokenBudget / 4));
  if (mapBudget >= 32) {
    try {
      const idents = [...new Set(ranked.flatMap((h) => (h.symbol ? [h.symbol] : [])))];
      const m = await repoMapFor(d, projectId, mapBudget, [...new Set(ranked.map((h) => h.rel))].slice(0, 10), idents);
      repoMap = m.text;
      used += estimateTokens(repoMap);
    } catch (e) {
      d.log?.('warn', `repo map unavailable: ${toErrorInfo(e).message}`);
    }
  }
  const chunks: ProjectSearchHit[] = [];
  for (const h of ranked) {
    const cost = estimateTokens(`${h.rel}:${h.startLine}-${h.endLine}\n${h.text}\n`);
    if (used + cost > tokenBudget) continue; // a smaller later chunk may still fit
    chunks.push(h);
    used += cost;
  }
  return { chunks, repoMap, usedTokens: used, vectorEngine: res.vectorEngine, ...(expansion.length ? { expansion } : {}) };
}
