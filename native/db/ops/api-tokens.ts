// Worker handlers of the local API server's tokens: insert (hash only), list, revoke, rate limit, last use; every
// change commits together with its audit row.
import { EvolveError } from '../../../common/errors';
import type { ApiScope, ApiTokenRow } from '../../../common/store/api-token-requests';
import { auditedTx, type TxAudit } from './audited-tx';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';

type Row = Record<string, unknown>;
const nOrN = (v: unknown) => (v === null || v === undefined ? null : (v as number));

const toRow = (r: Row): ApiTokenRow => ({
  id: r.id as string,
  name: r.name as string,
  hash: r.hash as string,
  prefixHint: r.prefix_hint as string,
  scopes: JSON.parse(r.scopes as string) as ApiScope[],
  createdAt: r.created_at as number,
  expiresAt: nOrN(r.expires_at),
  lastUsedAt: nOrN(r.last_used_at),
  revokedAt: nOrN(r.revoked_at),
  rateLimitPerMin: nOrN(r.rate_limit_per_min),
});

export function apiTokenOps(db: () => StoreDb, audit: TxAudit) {
  const audited = auditedTx(db, audit);
  const get = (id: string): ApiTokenRow | null => {
    const r = db().get<Row>('SELECT * FROM api_tokens WHERE id = ?', id);
    return r ? toRow(r) : null;
  };
  const active = (id: string): ApiTokenRow => {
    const t = get(id);
    if (!t || t.revokedAt !== null) throw new EvolveError('NOT_FOUND', `No API token ${id} in force (unknown or revoked)`);
    return t;
  };

  return {
    'apiToken.insert': (p: P<'apiToken.insert'>): R<'apiToken.insert'> =>
      audited('Saving the API token', () => {
        if (db().get('SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL', p.name))
          throw new EvolveError('CONFLICT', `A token named "${p.name}" already exists; revoke it or choose another name`);
        db().run(
          `INSERT INTO api_tokens (id, name, hash, prefix_hint, scopes, created_at, expires_at, rate_limit_per_min)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          p.id,
          p.name,
          p.hash,
          p.prefixHint,
          JSON.stringify(p.scopes),
          p.createdAt,
          p.expiresAt,
          p.rateLimitPerMin,
        );
        audit.append({
          kind: 'api.token.created',
          data: {
            tokenId: p.id,
            name: p.name,
            prefixHint: p.prefixHint,
            scopes: p.scopes,
            expiresAt: p.expiresAt,
            rateLimitPerMin: p.rateLimitPerMin,
          },
        });
        return active(p.id);
      }),
    'apiToken.list': (): R<'apiToken.list'> => db().all<Row>('SELECT * FROM api_tokens ORDER BY created_at DESC, id').map(toRow),
    'apiToken.revoke': (p: P<'apiToken.revoke'>): R<'apiToken.revoke'> =>
      audited('Revoking the API token', () => {
        const t = active(p.id);
        db().run('UPDATE api_tokens SET revoked_at = ? WHERE id = ?', p.at, p.id);
        audit.append({ kind: 'api.token.revoked', data: { tokenId: t.id, name: t.name, prefixHint: t.prefixHint } });
        return get(p.id) as ApiTokenRow;
      }),
    'apiToken.setRateLimit': (p: P<'apiToken.setRateLimit'>): R<'apiToken.setRateLimit'> =>
      audited('Changing the rate limit', () => {
        const t = active(p.id);
        db().run('UPDATE api_tokens SET rate_limit_per_min = ? WHERE id = ?', p.rateLimitPerMin, p.id);
        audit.append({
          kind: 'api.token.rate_limit',
          data: { tokenId: t.id, name: t.name, from: t.rateLimitPerMin, to: p.rateLimitPerMin },
        });
        return get(p.id) as ApiTokenRow;
      }),
    'apiToken.touch': (p: P<'apiToken.touch'>): R<'apiToken.touch'> => ({
      // Never moves backwards (two touches may arrive out of order).
      updated:
        db().run('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)', p.at, p.id, p.at)
          .changes > 0,
    }),
  };
}
