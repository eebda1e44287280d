// The one guard on cluster actions (issue 14 item 2): which role the user holds on a profile, requireRole (refuses and
// audits), and role changes (lowering free, raising only after the app lock's re-authentication). Matrix: README.md.
import {
  type CLUSTER_ACTIONS,
  isRaise,
  ReauthProofSchema,
  roleAllows,
  type ClusterAction,
  type ClusterRole,
  type ProfileRole,
} from '../../../../common/cluster/roles';
import { EvolveError, toErrorInfo } from '../../../../common/errors';
import type { AuditEvent } from '../../../../common/store/audit';
import type { StoreService } from '../../store/store-service';

/** Checks the app lock's passphrase (+ TOTP code when enrolled): L1's `verifyAdmin`. Audits and rate-limits itself. */
export type Reauthenticate = (proof: { passphrase: string; code: string }) => Promise<boolean>;

/**
 * Seam for issue 14 item 3 (OIDC): the role a cluster's identity provider grants on a profile, or null when the profile
 * has no OIDC sign-in (then the stored role applies). A role from claims wins over the stored one and cannot be
 * changed here (the identity provider owns it). main/services/index.ts passes ClusterAuth.roleFromClaims.
 */
export type RoleFromClaims = (profileId: string) => Promise<ClusterRole | null>;

export interface ClusterRolesOptions {
  store: Pick<StoreService, 'assertReady' | 'client' | 'audit'>;
  /** The job's profile (history included); null when there is no such job. */
  jobProfile: (jobId: string) => Promise<string | null>;
  /** The app lock's re-authentication while the lock is enabled; null while it is not (raising is then refused). */
  reauthenticator?: () => Reauthenticate | null;
  roleFromClaims?: RoleFromClaims;
  log?: (level: 'warn', msg: string) => void;
}

/** The needed role is written at each call site for the reader, and type-checked against the matrix. */
type Needed<A extends ClusterAction> = (typeof CLUSTER_ACTIONS)[A];

export class ClusterRoles {
  private reauth: () => Reauthenticate | null;

  constructor(private readonly o: ClusterRolesOptions) {
    this.reauth = o.reauthenticator ?? (() => null);
  }

  /** Wires the app lock's verifyAdmin (it is built after the cluster services). */
  setReauthenticator(fn: () => Reauthenticate | null): void {
    this.reauth = fn;
  }

  /** True when a raise can be attempted (the app lock is on); the page says how to enable it otherwise. */
  raiseAvailable(): boolean {
    return this.reauth() !== null;
  }

  /** Every profile row's role (removed profiles too), claims applied. */
  async list(): Promise<ProfileRole[]> {
    this.o.store.assertReady();
    const rows = await this.o.store.client.call('clusterRole.list', {});
    return Promise.all(rows.map(async (r) => ({ profileId: r.profileId, role: (await this.o.roleFromClaims?.(r.profileId)) ?? r.role })));
  }

  /** The user's role on one profile; null when no such profile row exists. */
  async roleOf(profileId: string): Promise<ClusterRole | null> {
    const fromClaims = await this.o.roleFromClaims?.(profileId);
    if (fromClaims) return fromClaims;
    this.o.store.assertReady();
    const rows = await this.o.store.client.call('clusterRole.list', {});
    return rows.find((r) => r.profileId === profileId)?.role ?? null;
  }

  /**
   * Refuses `action` on `profileId` unless the user's role is at least `needed`: FORBIDDEN (the permission-denied code)
   * naming the action and the role, and a `cluster.role-denied` audit row. An unknown profile is NOT_FOUND, as the
   * action would say (profile rows are never deleted — removal only hides them — so every job's profile has a role).
   */
  async requireRole<A extends ClusterAction>(profileId: string, needed: Needed<A>, action: A, jobId?: string): Promise<ClusterRole> {
    const role = await this.roleOf(profileId);
    if (!role) throw new EvolveError('NOT_FOUND', `No cluster profile ${profileId}`);
    if (roleAllows(role, needed)) return role;
    await this.audit({ kind: 'cluster.role-denied', data: { profileId, action, role, needed, ...(jobId ? { jobId } : {}) } });
    throw new EvolveError(
      'FORBIDDEN',
      `Permission denied: "${action}" on cluster profile ${profileId} needs the ${needed} role (you have ${role})`,
      { reason: 'role', action, needed, role, profileId },
    );
  }

  /** requireRole on the profile the job ran on; an unknown job is NOT_FOUND (as the action itself would say). */
  async requireRoleForJob<A extends ClusterAction>(jobId: string, needed: Needed<A>, action: A): Promise<ClusterRole> {
    const profileId = await this.o.jobProfile(jobId);
    if (!profileId) throw new EvolveError('NOT_FOUND', `No job ${jobId} in the history`);
    return this.requireRole(profileId, needed, action, jobId);
  }

  /** requireRole on every profile (an action that reaches all of them, such as the history retention policy). */
  async requireRoleEverywhere<A extends ClusterAction>(needed: Needed<A>, action: A): Promise<void> {
    for (const { profileId } of await this.list()) await this.requireRole(profileId, needed, action);
  }

  /**
   * Changes the user's role on a profile. Lowering (or keeping) is free and audited. Raising needs the app lock's
   * re-authentication: CONFLICT (a failed precondition) while the lock is off, UNAUTHENTICATED for a missing or wrong
   * proof — each refusal audited as a `cluster.role-change` with ok: false.
   */
  async setRole(profileId: string, to: ClusterRole, proofInput?: unknown): Promise<ProfileRole> {
    if (await this.o.roleFromClaims?.(profileId))
      throw new EvolveError('CONFLICT', `The role on cluster profile ${profileId} comes from its identity provider; change it there`);
    const from = await this.roleOf(profileId);
    if (!from) throw new EvolveError('NOT_FOUND', `No cluster profile ${profileId}`);
    if (!isRaise(from, to)) {
      const r = await this.o.store.client.call('clusterRole.set', { profileId, role: to, reason: 'lowered' });
      return { profileId, role: r.to };
    }
    const refuse = async (reason: 'wrong-proof' | 'app-lock-off', err: EvolveError): Promise<never> => {
      await this.audit({ kind: 'cluster.role-change', data: { profileId, from, to, ok: false, reason } });
      throw err;
    };
    const reauth = this.reauth();
    if (!reauth)
      return refuse(
        'app-lock-off',
        new EvolveError('CONFLICT', 'Enable the app lock to raise roles: raising needs its passphrase and code', {
          reason: 'app-lock-off',
        }),
      );
    const proof = ReauthProofSchema.safeParse(proofInput);
    if (!proof.success)
      return refuse('wrong-proof', new EvolveError('UNAUTHENTICATED', `Raising to ${to} needs the app lock's passphrase and code`));
    let ok: boolean;
    try {
      ok = await reauth(proof.data);
    } catch (e) {
      // A lockout (too many attempts) or a closed store: the raise did not happen, and the audit says so.
      await this.audit({ kind: 'cluster.role-change', data: { profileId, from, to, ok: false, reason: 'wrong-proof' } });
      throw e;
    }
    if (!ok) return refuse('wrong-proof', new EvolveError('UNAUTHENTICATED', 'Wrong passphrase or code: the role was not raised'));
    const r = await this.o.store.client.call('clusterRole.set', { profileId, role: to, reason: 'reauthenticated' });
    return { profileId, role: r.to };
  }

  /** A denial must not turn into a different error because its audit row failed; the failure is logged instead. */
  private async audit(ev: AuditEvent): Promise<void> {
    try {
      await this.o.store.audit.record(ev);
    } catch (e) {
      this.o.log?.('warn', `audit of ${ev.kind} failed: ${toErrorInfo(e).message}`);
    }
  }
}
