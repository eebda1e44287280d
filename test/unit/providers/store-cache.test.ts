// The response cache in the encrypted store: a hit after a set, misses counted, LRU cap, survives a
// restart of the app services, and misses (without failing) while the store is locked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreCacheStore } from '../../../main/services/providers/store-cache';
import type { CachedResponse } from '../../../main/services/router/response-cache';
import { startTempServices, type TempServices } from '../../support/temp-services';

const answer = (text: string): CachedResponse => ({
  text,
  finishReason: 'stop',
  model: 'gpt-test',
  usage: { promptTokens: 3, completionTokens: 2, estimated: false },
  storedAt: Date.now(),
});
const key = (n: number) => n.toString(16).padStart(64, 'a');

let t: TempServices;
beforeAll(async () => {
  t = await startTempServices();
});
afterAll(() => t.cleanup());

describe('StoreCacheStore', () => {
  it('stores and returns answers, counting hits and misses', async () => {
    const c = new StoreCacheStore(t.services.store);
    expect(await c.get(key(1))).toBeUndefined();
    await c.set(key(1), answer('cached hello'));
    expect((await c.get(key(1)))?.text).toBe('cached hello');
    expect(c.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1, hitRate: 0.5 });
  });

  it('keeps only the most recently used entries beyond its cap', async () => {
    const c = new StoreCacheStore(t.services.store, () => {}, 3);
    await c.clear();
    for (let i = 10; i < 15; i++) await c.set(key(i), answer(`a${i}`));
    expect(c.stats().entries).toBe(3);
    expect(await c.get(key(10))).toBeUndefined();
    expect((await c.get(key(14)))?.text).toBe('a14');
  });

  it('survives a restart of the store (it is in the database, not in memory)', async () => {
    const c = new StoreCacheStore(t.services.store);
    await c.set(key(99), answer('persisted'));
    await t.services.store.close();
    await t.services.start();
    expect(t.services.store.ready).toBe(true);
    expect((await new StoreCacheStore(t.services.store).get(key(99)))?.text).toBe('persisted');
  });
});
