// Worker handlers for the response cache: get (refreshing its last use), set (evicting the least recently
// used beyond the cap), clear, count.
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { Json } from '../../../common/store/rows';
import type { StoreDb } from '../connection';

export function cacheOps(db: () => StoreDb) {
  return {
    'cache.get': (p: P<'cache.get'>): R<'cache.get'> => {
      const row = db().get<{ value: string; stored_at: number }>('SELECT value, stored_at FROM response_cache WHERE key = ?', p.key);
      if (!row || Date.now() - row.stored_at > p.ttlMs) return { value: null };
      db().run('UPDATE response_cache SET used_at = ? WHERE key = ?', Date.now(), p.key);
      return { value: JSON.parse(row.value) as Json };
    },
    'cache.set': (p: P<'cache.set'>): R<'cache.set'> =>
      db().tx(() => {
        const now = Date.now();
        db().run(
          'INSERT INTO response_cache (key, value, stored_at, used_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, stored_at = excluded.stored_at, used_at = excluded.used_at',
          p.key,
          JSON.stringify(p.value),
          now,
          now,
        );
        db().run(
          'DELETE FROM response_cache WHERE key IN (SELECT key FROM response_cache ORDER BY used_at DESC LIMIT -1 OFFSET ?)',
          p.maxEntries,
        );
        return { entries: db().get<{ n: number }>('SELECT count(*) AS n FROM response_cache')?.n ?? 0 };
      }),
    'cache.clear': (): R<'cache.clear'> => ({ deleted: db().run('DELETE FROM response_cache').changes }),
    'cache.count': (): R<'cache.count'> => ({ entries: db().get<{ n: number }>('SELECT count(*) AS n FROM response_cache')?.n ?? 0 }),
  };
}
