// Shared inputs for the prompt-assembly tests: a seeded PRNG, token counters, experience hits and retrieval results.
import type { ProjectSearchHit } from '../../../../common/contracts/projects';
import type { ExperienceHit } from '../../../../common/store/codegen-requests';
import type { RetrievalResult } from '../../../../main/services/codegen/prompt';

/** mulberry32: reproducible "random" sizes (the seed is printed by a failing property test). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ~4 characters a token, rounded up per text (sum of parts ≥ whole, like most tokenizers on section boundaries). */
export const charCounter = (t: string): number => Math.ceil(t.length / 4);
/** Super-additive: a whole costs more than its parts, so the assembler's final whole-prompt check has to act. */
export const superCounter = (t: string): number => Math.ceil((t.length / 4) * (1 + t.length / 20_000));

export function hit(over: Partial<ExperienceHit> & Pick<ExperienceHit, 'decision'>): ExperienceHit {
  return {
    generationId: `g-${Math.random().toString(36).slice(2, 8)}`,
    request: 'parse a price string into cents',
    type: 'function',
    lang: 'python',
    reason: over.decision === 'rejected' ? 'used float arithmetic for money' : '',
    code: over.decision === 'accepted' ? 'def parse_price(text: str) -> int:\n    return round(float(text) * 100)\n' : null,
    userEdits: null,
    score: 80,
    at: 1,
    rank: 1,
    ...over,
  };
}

export function chunk(rel: string, i: number, lines = 8): ProjectSearchHit {
  const text = Array.from({ length: lines }, (_, k) => `def helper_${i}_${k}(value: int) -> int:\n    return value + ${k}`).join('\n');
  return {
    rel,
    startLine: 1 + i * 20,
    endLine: 1 + i * 20 + lines * 2,
    kind: 'function',
    symbol: `helper_${i}_0`,
    text,
    scores: { bm25: 1, vector: null, fused: 1 / (i + 1) },
  };
}

export function retrieval(n: number, mapLines = 30): RetrievalResult {
  return {
    chunks: Array.from({ length: n }, (_, i) => chunk(`app/module_${i}.py`, i)),
    repoMap: Array.from({ length: mapLines }, (_, i) => `app/module_${i}.py:\n  def helper_${i}_0(value)`).join('\n'),
    usedTokens: 0,
    vectorEngine: 'none',
  };
}
