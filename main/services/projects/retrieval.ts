// retrieve(project, query, tokenBudget): BM25 and vector rankings from the store fused by RRF, packed in fused
// order with a repo-map slice (focused on the files hit) so the whole answer fits the caller's token budget.
import type { ProjectSearchHit, Retrieval } from '../../../common/contracts/projects';
import { toErrorInfo } from '../../../common/errors';
import type { IndexHit } from '../../../common/store/index-requests';
import { int8ToBase64, quantizeInt8 } from '../../../native/db/ops/index-vectors';
import { RepoMapResultSchema, type RepoMapResult } from '../../../native/index/protocol';
import { reciprocalRankFusion } from './fusion';
import type { EmbedderPort, IndexWorkerPort, StorePort } from './ports';

/** ~4 characters per token for code and English (the budget is a bound for prompt assembly, not billing). */
export const estimateTokens = (s: string): number => Math.ceil(s.length / 4);

export interface RetrieveDeps {
  store: StorePort;
  worker: IndexWorkerPort;
  embedder: EmbedderPort | null;
  /** Per-file tags for the repo map (cached by the service between index writes). */
  tags: (projectId: string) => Promise<Record<string, { defs: unknown[]; refs: unknown[] }>>;
  log?: (level: 'warn', msg: string) => void;
}

export async function repoMapFor(
  d: RetrieveDeps,
  projectId: string,
  tokenBudget: number,
  focusFiles: string[] = [],
  focusIdents: string[] = [],
): Promise<RepoMapResult> {
  const tags = await d.tags(projectId);
  if (Object.keys(tags).length === 0) return { text: '', files: [], tokens: 0 };
  return RepoMapResultSchema.parse(await d.worker.request('repo-map', { tags, focusFiles, focusIdents, tokenBudget }));
}

export async function retrieve(d: RetrieveDeps, projectId: string, query: string, tokenBudget: number, k = 10): Promise<Retrieval> {
  let vector: string | undefined;
  if (d.embedder) {
    try {
      const [v] = await d.embedder.embed([query], undefined, { priority: 'interactive' });
      if (v) vector = int8ToBase64(quantizeInt8(v));
    } catch (e) {
      d.log?.('warn', `query embedding failed, BM25 only: ${toErrorInfo(e).message}`);
    }
  }
  const depth = Math.max(k * 3, 30);
  const res = await d.store.call('index.search', { projectId, query, vector, k: depth });
  const fused = reciprocalRankFusion<IndexHit>([
    res.bm25.map((h) => ({ key: h.seq, item: h })),
    res.vector.map((h) => ({ key: h.seq, item: h })),
  ]);
  const bm25 = new Map(res.bm25.map((h) => [h.seq, h.score]));
  const vec = new Map(res.vector.map((h) => [h.seq, h.score]));
  const ranked: ProjectSearchHit[] = fused.slice(0, k).map((f) => ({
    rel: f.item.rel,
    startLine: f.item.startLine,
    endLine: f.item.endLine,
    kind: f.item.kind,
    symbol: f.item.symbol,
    text: f.item.text,
    scores: { bm25: bm25.get(f.item.seq) ?? null, vector: vec.get(f.item.seq) ?? null, fused: f.fused },
  }));

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
  return { chunks, repoMap, usedTokens: used, vectorEngine: res.vectorEngine };
}
