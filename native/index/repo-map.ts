// Aider's repo map (aider/repomap.py): a graph of files where each reference to an identifier points at the
// files defining it, weighted (×10 identifiers the task mentions, ×10 long compound names, ×0.1 `_private` or
// defined in > 5 files, ×50 from focus files, √ of the reference count); personalised PageRank spreads rank
// to definitions; the best ones are listed per file, as many as fit the token budget (binary search).
import { pageRank, type WeightedEdge } from './pagerank';
import { countTokens as defaultCount } from './tokens';
import type { FileTags, Tag } from './types';

export interface RepoMapInput {
  tags: Map<string, FileTags>;
  /** Files already in the context (chat files, search hits): they steer the ranking and are left out of the map. */
  focusFiles?: string[];
  /** Identifiers the task mentions. */
  focusIdents?: string[];
  tokenBudget: number;
  countTokens?: (s: string) => number;
}

export interface RepoMap {
  text: string;
  /** Files in the map, best first, with their PageRank. */
  files: { rel: string; rank: number }[];
  tokens: number;
}

interface RankedDef {
  rel: string;
  name: string;
  rank: number;
}

/** Identifiers defined in more files than this are left out of the graph (see rankDefinitions). */
export const MAX_DEFINERS = 20;

export function identWeight(ident: string, mentioned: ReadonlySet<string>, definerCount: number): number {
  let mul = 1;
  const isSnake = ident.includes('_') && /[a-zA-Z]/.test(ident);
  const isKebab = ident.includes('-') && /[a-zA-Z]/.test(ident);
  const isCamel = /[a-z]/.test(ident) && /[A-Z]/.test(ident);
  if (mentioned.has(ident)) mul *= 10;
  if ((isSnake || isKebab || isCamel) && ident.length >= 8) mul *= 10;
  if (ident.startsWith('_')) mul *= 0.1;
  if (definerCount > 5) mul *= 0.1;
  return mul;
}

export function rankDefinitions(input: RepoMapInput): { defs: RankedDef[]; fileRank: Map<string, number> } {
  const focus = new Set(input.focusFiles ?? []);
  const mentioned = new Set(input.focusIdents ?? []);
  const files = [...input.tags.keys()].sort();
  const index = new Map(files.map((f, i) => [f, i]));
  const defines = new Map<string, Set<string>>();
  const references = new Map<string, Map<string, number>>();
  let anyRefs = false;
  for (const [rel, t] of input.tags) {
    for (const d of t.defs) (defines.get(d.name) ?? defines.set(d.name, new Set()).get(d.name)!).add(rel);
    for (const r of t.refs) {
      anyRefs = true;
      const m = references.get(r.name) ?? references.set(r.name, new Map()).get(r.name)!;
      m.set(rel, (m.get(rel) ?? 0) + 1);
    }
  }
  // Aider: a language whose tags have no references falls back to "every definition references itself".
  if (!anyRefs) for (const [name, rels] of defines) references.set(name, new Map([...rels].map((r) => [r, 1])));

  const edges: (WeightedEdge & { ident: string })[] = [];
  for (const [ident, definers] of defines) {
    const refs = references.get(ident);
    // A name defined in dozens of files (`create`, `constructor`, `value`) says nothing about which of them a
    // reference means; Aider weights it ×0.1, but its referencers × definers edges dominate a large graph.
    if (!refs || definers.size > MAX_DEFINERS) continue;
    const mul = identWeight(ident, mentioned, definers.size);
    for (const [referencer, count] of refs) {
      for (const definer of definers) {
        const w = mul * (focus.has(referencer) ? 50 : 1) * Math.sqrt(count);
        edges.push({ from: index.get(referencer)!, to: index.get(definer)!, weight: w, ident });
      }
    }
  }

  // Personalise to the focus files, and to files whose path mentions a focus identifier (Aider does both).
  const personal = new Map<number, number>();
  const share = 100 / Math.max(1, files.length);
  for (const f of focus) if (index.has(f)) personal.set(index.get(f)!, share);
  for (const f of files) {
    const parts = f.toLowerCase().split(/[/.]/);
    for (const id of mentioned) if (parts.includes(id.toLowerCase())) personal.set(index.get(f)!, share);
  }
  // PageRank needs one edge per (referencer, definer): parallel edges (one per shared identifier) summed first,
  // which on a 6k-file tree turns millions of power-iteration steps into a few hundred thousand.
  const merged = new Map<number, WeightedEdge>();
  for (const e of edges) {
    const key = e.from * files.length + e.to;
    const m = merged.get(key);
    if (m) m.weight += e.weight;
    else merged.set(key, { from: e.from, to: e.to, weight: e.weight });
  }
  const rank = pageRank(files.length, [...merged.values()], personal, { tol: 1e-6 }); // networkx's default, as Aider runs it

  // Spread each file's rank over its outgoing edges onto (definer, identifier).
  const outWeight = new Float64Array(files.length);
  for (const e of edges) outWeight[e.from] = (outWeight[e.from] as number) + e.weight;
  const defRank = new Map<string, RankedDef>();
  for (const e of edges) {
    const rel = files[e.to] as string;
    const key = `${rel}\0${e.ident}`;
    const add = ((rank[e.from] as number) * e.weight) / (outWeight[e.from] as number);
    const cur = defRank.get(key);
    if (cur) cur.rank += add;
    else defRank.set(key, { rel, name: e.ident, rank: add });
  }
  // Definitions nobody references (a small project, entry points) still belong on the map, after the referenced
  // ones: their file's rank shared among them, scaled far below what an edge hands out.
  const unreferenced = new Map<string, string[]>();
  for (const [name, rels] of defines) {
    for (const rel of rels) if (!defRank.has(`${rel}\0${name}`)) (unreferenced.get(rel) ?? unreferenced.set(rel, []).get(rel)!).push(name);
  }
  for (const [rel, names] of unreferenced) {
    const share = ((rank[index.get(rel) as number] as number) * UNREFERENCED_SCALE) / names.length;
    for (const name of names) defRank.set(`${rel}\0${name}`, { rel, name, rank: share });
  }
  const defs = [...defRank.values()].sort((a, b) => b.rank - a.rank || a.rel.localeCompare(b.rel) || a.name.localeCompare(b.name));
  return { defs, fileRank: new Map(files.map((f, i) => [f, rank[i] as number])) };
}

function render(defTag: (rel: string, name: string) => Tag | undefined, picked: RankedDef[]): { text: string; files: string[] } {
  const byFile = new Map<string, Tag[]>();
  for (const d of picked) {
    const tag = defTag(d.rel, d.name);
    if (!tag) continue;
    (byFile.get(d.rel) ?? byFile.set(d.rel, []).get(d.rel)!).push(tag);
  }
  const parts: string[] = [];
  for (const [rel, ts] of byFile) {
    parts.push(`${rel}:`);
    for (const t of ts.sort((a, b) => a.line - b.line)) parts.push(`  ${t.line}: ${t.kind} ${t.name}`);
  }
  return { text: parts.length ? `${parts.join('\n')}\n` : '', files: [...byFile.keys()] };
}

/** How far an unreferenced definition ranks below its file's rank (referenced ones get a share of edges). */
const UNREFERENCED_SCALE = 1e-3;

export function buildRepoMap(input: RepoMapInput): RepoMap {
  const count = input.countTokens ?? defaultCount;
  const focus = new Set(input.focusFiles ?? []);
  const { defs, fileRank } = rankDefinitions(input);
  const candidates = defs.filter((d) => !focus.has(d.rel));
  // First definition tag per (file, name), looked up once instead of scanning a file's tags per render.
  const firstDef = new Map<string, Tag>();
  for (const [rel, t] of input.tags) for (const d of t.defs) if (!firstDef.has(`${rel}\0${d.name}`)) firstDef.set(`${rel}\0${d.name}`, d);
  const defTag = (rel: string, name: string) => firstDef.get(`${rel}\0${name}`);
  // Binary search for the most definitions whose rendering fits the budget (Aider's get_ranked_tags_map). A
  // rendered definition is at least `  1: type x` (11 characters, ≥ 2 tokens by any count we use), so no more
  // than budget / 2 can fit: bounding the search there keeps a 100k-definition project as fast as a small one.
  let lo = 0;
  let hi = Math.min(candidates.length, Math.ceil(input.tokenBudget / 2));
  let best = { text: '', files: [] as string[], tokens: 0 };
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = render(defTag, candidates.slice(0, mid));
    const tokens = count(r.text);
    if (tokens <= input.tokenBudget) {
      best = { ...r, tokens }; // lo only grows, so each fitting answer is larger than the last
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return {
    text: best.text,
    files: best.files.map((rel) => ({ rel, rank: fileRank.get(rel) ?? 0 })),
    tokens: best.tokens,
  };
}
