// Contract for the `audit` domain: read, filter, verify and export the hash-chained audit log.
import { z } from 'zod';
import { AUDIT_KINDS, AuditRowSchema, AuditVerifySchema } from '../store/audit';
import { EmptyInput } from './app';
import { call, defineDomain } from './define';

export const AuditKindSchema = z.enum(AUDIT_KINDS as [string, ...string[]]);

export const AuditListInput = z
  .object({
    kinds: z.array(AuditKindSchema).max(AUDIT_KINDS.length).optional(),
    /** Only rows at or after this time (ms since epoch). */
    since: z.number().int().nonnegative().optional(),
    /** Rows with seq greater than this (paging). */
    afterSeq: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const auditContract = defineDomain('audit', {
  /** Rows in order, filtered by kind and time. */
  list: call({ input: AuditListInput, output: z.array(AuditRowSchema), doc: 'List audit rows.' }),
  /** Re-computes the hash chain; reports the first broken position when a row was edited, removed or reordered. */
  verify: call({ input: EmptyInput, output: AuditVerifySchema, doc: 'Verify the audit chain.' }),
  /** Writes the whole log as JSONL into the data directory's exports folder. */
  export: call({ input: EmptyInput, output: z.object({ path: z.string(), count: z.number().int() }), doc: 'Export the log as JSONL.' }),
  /** The event kinds the log records (for filters). */
  kinds: call({ input: EmptyInput, output: z.array(z.string()), doc: 'List event kinds.' }),
});
