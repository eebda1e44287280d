// One audited write for the DB worker's ops: the write and its audit row commit in one transaction, SQLite errors
// become typed errors, and the audit chain's anchor moves only after the commit.
import type { AuditEvent } from '../../../common/store/audit';
import type { StoreDb } from '../connection';
import { fromSqlite } from '../errors';

/** What an op module needs from the audit ops: append inside the caller's transaction, re-anchor after it. */
export interface TxAudit {
  append(ev: AuditEvent): unknown;
  reanchor(): void;
}

/** `audited(what, fn)` runs `fn` in a transaction; `what` names the write in the error a failure becomes. */
export function auditedTx(db: () => StoreDb, audit: TxAudit): <T>(what: string, fn: () => T) => T {
  return <T>(what: string, fn: () => T): T => {
    let out: T;
    try {
      out = db().tx(fn);
    } catch (e) {
      throw fromSqlite(e, what);
    }
    audit.reanchor();
    return out;
  };
}
