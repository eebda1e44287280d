// The router's response cache backed by the encrypted store: answers to temperature-0 requests survive a
// restart and never sit on disk in clear. While the store is locked the cache simply misses.
import { toErrorInfo } from '../../../common/errors';
import type { Json } from '../../../common/store/rows';
import type { CachedResponse, CacheStats, CacheStore } from '../router/response-cache';
import type { StoreService } from '../store/store-service';

export class StoreCacheStore implements CacheStore {
  private hits = 0;
  private misses = 0;
  private entries = 0;

  constructor(
    private readonly store: StoreService,
    private readonly log: (level: 'warn', msg: string) => void = () => {},
    private readonly maxEntries = 5000,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    if (!this.store.ready) {
      this.misses++;
      return undefined;
    }
    try {
      const { value } = await this.store.client.call('cache.get', { key });
      if (value === null) {
        this.misses++;
        return undefined;
      }
      this.hits++;
      return value as unknown as CachedResponse;
    } catch (e) {
      this.log('warn', `response cache read failed: ${toErrorInfo(e).message}`);
      this.misses++;
      return undefined;
    }
  }

  async set(key: string, value: CachedResponse): Promise<void> {
    if (!this.store.ready) return;
    try {
      this.entries = (
        await this.store.client.call('cache.set', { key, value: value as unknown as Json, maxEntries: this.maxEntries })
      ).entries;
    } catch (e) {
      this.log('warn', `response cache write failed: ${toErrorInfo(e).message}`);
    }
  }

  stats(): CacheStats {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, entries: this.entries, hitRate: total === 0 ? 0 : this.hits / total };
  }

  async clear(): Promise<void> {
    if (this.store.ready) await this.store.client.call('cache.clear', {});
    this.entries = 0;
  }
}
