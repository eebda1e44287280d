// Worker handlers of the roles per cluster profile: the role column of cluster_profiles (migration 12); a change and
// its audit row commit together.
import { EvolveError } from '../../../common/errors';
import { ClusterRoleSchema, type ClusterRole } from '../../../common/cluster/roles';
import type { StoreParsedParams as P, StoreResult as R } from '../../../common/store/requests';
import type { StoreDb } from '../connection';
import { auditedTx, type TxAudit } from './audited-tx';

type Row = { id: string; role: string };

// A value the CHECK constraint should make impossible still reads as the least role rather than failing the list.
const roleOf = (v: string): ClusterRole => ClusterRoleSchema.safeParse(v).data ?? 'viewer';

export function clusterRoleOps(db: () => StoreDb, audit: TxAudit) {
  const audited = auditedTx(db, audit);
  return {
    'clusterRole.list': (): R<'clusterRole.list'> =>
      db()
        .all<Row>('SELECT id, role FROM cluster_profiles ORDER BY id')
        .map((r) => ({ profileId: r.id, role: roleOf(r.role) })),
    'clusterRole.set': (p: P<'clusterRole.set'>): R<'clusterRole.set'> =>
      audited('Changing the cluster role', () => {
        const row = db().get<Row>('SELECT id, role FROM cluster_profiles WHERE id = ?', p.profileId);
        if (!row) throw new EvolveError('NOT_FOUND', `No cluster profile ${p.profileId}`);
        const from = roleOf(row.role);
        db().run('UPDATE cluster_profiles SET role = ? WHERE id = ?', p.role, p.profileId);
        audit.append({ kind: 'cluster.role-change', data: { profileId: p.profileId, from, to: p.role, ok: true, reason: p.reason } });
        return { profileId: p.profileId, from, to: p.role };
      }),
  };
}
