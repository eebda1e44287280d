// Response cache for deterministic (temperature 0) requests: key hashing, the CacheStore interface and an in-memory store with hit-rate counters.
import { createHash } from 'node:crypto';
import type { ChatMessage, FinishReason, GenerationParams, TokenUsage } from '../../../common/providers/types';

export interface CachedResponse {
  text: string;
  finishReason: FinishReason;
  model: string;
  usage: TokenUsage;
  storedAt: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  hitRate: number;
}

/** Backed by the encrypted store in the app (StoreCacheStore); keys are hashes, so nothing readable is in the key column. */
export interface CacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse): Promise<void>;
  stats(): CacheStats;
  clear(): Promise<void>;
}

/** Only greedy decoding is reproducible; anything sampled must go to the model again. */
export function isCacheable(params: GenerationParams): boolean {
  return params.temperature === 0;
}

function normalize(text: string): string {
  // Line endings and trailing whitespace do not change what a model sees in a meaningful way.
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

export function cacheKey(input: {
  providerId: string;
  model: string;
  messages?: readonly ChatMessage[];
  prompt?: string;
  params: GenerationParams;
}): string {
  const canonical = JSON.stringify({
    v: 1,
    p: input.providerId,
    m: input.model,
    msgs: input.messages?.map((m) => [m.role, normalize(m.content)]) ?? null,
    prompt: input.prompt !== undefined ? normalize(input.prompt) : null,
    // Fixed key order so {a,b} and {b,a} hash the same.
    params: [input.params.maxTokens ?? null, input.params.temperature ?? null, input.params.topP ?? null, input.params.stop ?? null],
  });
  return createHash('sha256').update(canonical).digest('hex');
}

export class MemoryCacheStore implements CacheStore {
  private readonly map = new Map<string, CachedResponse>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly maxEntries = 500,
    private readonly ttlMs = 7 * 24 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const v = this.map.get(key);
    if (!v || this.now() - v.storedAt > this.ttlMs) {
      if (v) this.map.delete(key);
      this.misses++;
      return undefined;
    }
    // Re-insert to keep Map order = LRU order.
    this.map.delete(key);
    this.map.set(key, v);
    this.hits++;
    return v;
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  stats(): CacheStats {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, entries: this.map.size, hitRate: total === 0 ? 0 : this.hits / total };
  }

  async clear(): Promise<void> {
    this.map.clear();
    this.hits = 0;
    this.misses = 0;
  }
}
