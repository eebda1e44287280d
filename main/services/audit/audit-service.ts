// Main-side audit API: typed helpers that record events through the DB worker (payloads are hashed, never stored).
import { createHash } from 'node:crypto';
import type { AuditEvent, AuditRow, AuditVerify } from '../../../common/store/audit';
import type { StoreParams, StoreResult } from '../../../common/store/requests';
import type { StoreClient } from '../store/store-client';

type Data<K extends AuditEvent['kind']> = Extract<AuditEvent, { kind: K }>['data'];

export class AuditService {
  constructor(private readonly store: Pick<StoreClient, 'call'>) {}

  record(ev: AuditEvent): Promise<AuditRow> {
    return this.store.call('audit.append', ev);
  }

  /** What was sent where: provider, model, size and SHA-256 of the exact bytes sent, redaction counts. */
  providerSend(a: {
    provider: string;
    model: string;
    payload: string | Uint8Array;
    redactions?: Record<string, number>;
    projectId?: string;
  }): Promise<AuditRow> {
    const bytes = typeof a.payload === 'string' ? Buffer.from(a.payload, 'utf8') : Buffer.from(a.payload);
    const data: Data<'provider.send'> = {
      provider: a.provider,
      model: a.model,
      payloadBytes: bytes.length,
      payloadSha256: createHash('sha256').update(bytes).digest('hex'),
      redactions: a.redactions ?? {},
      ...(a.projectId ? { projectId: a.projectId } : {}),
    };
    return this.record({ kind: 'provider.send', data });
  }

  fileApplied(d: Data<'file.applied'>): Promise<AuditRow> {
    return this.record({ kind: 'file.applied', data: d });
  }
  clusterSubmit(d: Data<'cluster.submit'>): Promise<AuditRow> {
    return this.record({ kind: 'cluster.submit', data: d });
  }
  clusterStop(d: Data<'cluster.stop'>): Promise<AuditRow> {
    return this.record({ kind: 'cluster.stop', data: d });
  }

  list(filter: StoreParams<'audit.list'>): Promise<StoreResult<'audit.list'>> {
    return this.store.call('audit.list', filter);
  }
  verify(): Promise<AuditVerify> {
    return this.store.call('audit.verify', {});
  }
  export(path: string): Promise<StoreResult<'audit.export'>> {
    return this.store.call('audit.export', { path });
  }
}
