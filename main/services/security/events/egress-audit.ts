// Writes the egress guard's refusals into the audit log (throttled per feature + host) so the security view sees them.
import type { AuditEvent } from '../../../../common/store/audit';
import type { BlockedEgress, EgressGuard } from '../../../platform/egress';
import { AuditThrottle } from '../../openai-server/auth/audit-throttle';

export interface EgressAuditPort {
  /** Only while the store is open: refusals before unlock stay in the guard's in-memory list. */
  readonly ready: boolean;
  record(ev: AuditEvent): Promise<unknown>;
}

/** Subscribes to the guard; returns the unsubscribe. `onError` hears audit write failures (never thrown at the socket). */
export function auditEgressRefusals(
  guard: Pick<EgressGuard, 'onBlocked'>,
  audit: EgressAuditPort,
  onError: (e: unknown) => void,
  throttle: AuditThrottle = new AuditThrottle(),
): () => void {
  return guard.onBlocked((b: BlockedEgress) => {
    if (!audit.ready) return;
    const decision = throttle.check(`${b.feature}\u0000${b.host ?? ''}`);
    if (!decision.record) return;
    audit
      .record({
        kind: 'security.egress_blocked',
        data: {
          feature: b.feature,
          host: b.host === null ? null : b.host.slice(0, 300),
          reason: b.reason.slice(0, 1000),
          ...(b.providerId ? { providerId: b.providerId.slice(0, 500) } : {}),
          suppressed: decision.suppressed,
        },
      })
      .catch(onError);
  });
}
