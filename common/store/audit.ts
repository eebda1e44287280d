// Audit log types and the hash chain (pure): event kinds, canonical JSON, row hashing and chain verification.
import { z } from 'zod';
import { ClusterRoleSchema } from '../cluster/roles';
import { JsonSchema, type Json } from './rows';

const Short = z.string().min(1).max(500);
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What a cluster action records: ids and a short reason, never secrets or whole logs. */
const ClusterActionData = z.object({
  jobId: Short.optional(),
  profileId: Short.optional(),
  submissionId: Short.optional(),
  detail: z.string().max(2000).optional(),
  data: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
});

const CommitId = z.string().regex(/^[0-9a-f]{40}$/);

/** A checkpoint restore or undo: which snapshot, and every path it wrote (sha256) or deleted (null). */
const CheckpointRestoreData = z.object({
  projectId: Short.optional(),
  checkpointId: CommitId,
  /** The snapshot taken just before, which undoes this restore. */
  preRestoreId: CommitId,
  files: z.array(z.object({ path: z.string().min(1).max(4096), sha256: Sha256Hex.nullable() })).max(500),
  filesTotal: z.number().int().nonnegative(),
});

/** A codegen generation (issue 11): its id and project. */
const GenerationRef = z.object({ generationId: Short, projectId: Short.optional() });

/** Every event the audit log records, with its data. */
export const AuditEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key.access'), data: z.object({ backend: Short, purpose: Short, account: Short.optional() }) }),
  z.object({
    kind: z.literal('unlock'),
    data: z.object({ method: z.enum(['keychain', 'recovery-key', 'passphrase']), backend: Short.optional(), ok: z.boolean() }),
  }),
  z.object({
    kind: z.literal('provider.send'),
    data: z.object({
      provider: Short,
      model: Short,
      payloadBytes: z.number().int().nonnegative(),
      payloadSha256: Sha256Hex,
      /** Count of redactions per rule (e.g. { "aws-key": 1, "email": 3 }). */
      redactions: z.record(z.string().max(100), z.number().int().nonnegative()),
      projectId: Short.optional(),
    }),
  }),
  z.object({
    kind: z.literal('file.applied'),
    data: z.object({
      path: z.string().min(1).max(4096),
      projectId: Short.optional(),
      generationId: Short.optional(),
      bytes: z.number().int().nonnegative().optional(),
      sha256: Sha256Hex.optional(),
      /** The checkpoint taken just before the apply (undo goes back to it). */
      checkpointId: CommitId.optional(),
    }),
  }),
  ...(['checkpoint.restore', 'checkpoint.undo'] as const).map((kind) => z.object({ kind: z.literal(kind), data: CheckpointRestoreData })),
  z.object({
    kind: z.literal('generation.created'),
    data: GenerationRef.extend({ type: Short, lang: Short, model: Short }),
  }),
  z.object({ kind: z.literal('generation.accepted'), data: GenerationRef.extend({ score: z.number().int().min(0).max(100).optional() }) }),
  z.object({ kind: z.literal('generation.rejected'), data: GenerationRef.extend({ reason: z.string().min(1).max(4000) }) }),
  z.object({
    kind: z.literal('generation.gate_override'),
    data: GenerationRef.extend({
      reason: z.string().min(1).max(4000),
      /** The high-severity findings the user chose to apply anyway. */
      findings: z.array(z.object({ tool: Short, ruleId: Short, file: z.string().max(4096), line: z.number().int().nonnegative() })).max(50),
      findingsTotal: z.number().int().nonnegative(),
    }),
  }),
  // Prompt-injection defence (issue 14 item 5): an untrusted item the detector flagged went into a prompt; a held
  // action (a command, a deletion, a network call from model output) was requested, approved or denied.
  z.object({
    kind: z.literal('security.injection_flagged'),
    data: z.object({
      surface: z.enum(['codegen', 'chat', 'cluster', 'tool']),
      itemKind: Short,
      source: z.string().min(1).max(4096),
      score: z.number().nonnegative(),
      rules: z.array(Short).max(20),
      projectId: Short.optional(),
      generationId: Short.optional(),
      threadId: Short.optional(),
    }),
  }),
  z.object({
    kind: z.literal('security.approval'),
    data: z.object({
      decision: z.enum(['held', 'approved', 'denied', 'expired']),
      approvalId: Short,
      action: z.enum(['command', 'file-delete', 'network', 'file-write-outside']),
      origin: Short,
      summary: z.string().min(1).max(2000),
      reason: z.string().max(2000).optional(),
    }),
  }),
  // The app lock (issue 14 item 1): every unlock/re-authentication attempt and every change of the lock. Rows made
  // while the database was closed are queued in the lock file and written at the next unlock; occurredAt keeps their time.
  z.object({
    kind: z.literal('security.unlock'),
    data: z.object({
      outcome: z.enum(['ok', 'failed', 'locked-out']),
      /** What the secret was checked for: opening the app, an admin re-authentication, or a change of the lock. */
      purpose: z.enum(['unlock', 'admin', 'change']),
      /** The factor that decided the outcome. */
      factor: z.enum(['passphrase', 'totp', 'recovery-code', 'recovery-key']).optional(),
      reason: z.string().max(500).optional(),
      failedAttempts: z.number().int().nonnegative(),
      retryAfterMs: z.number().int().nonnegative().optional(),
      occurredAt: z.number().int().nonnegative(),
    }),
  }),
  z.object({
    kind: z.literal('security.lock'),
    data: z.object({
      action: z.enum(['lock', 'enable', 'disable', 'passphrase-change', 'totp-on', 'totp-off', 'recovery-codes', 'idle-change']),
      reason: z.string().max(500).optional(),
      occurredAt: z.number().int().nonnegative(),
    }),
  }),
  z.object({
    kind: z.literal('cluster.submit'),
    data: z.object({ jobId: Short, clusterProfileId: Short.optional(), entrypoint: z.string().max(10_000).optional() }),
  }),
  z.object({ kind: z.literal('cluster.stop'), data: z.object({ jobId: Short, clusterProfileId: Short.optional() }) }),
  ...(
    [
      'cluster.resume',
      'cluster.self-heal',
      'cluster.self-heal-skipped',
      'cluster.job-failed',
      'cluster.job-finished',
      'cluster.silence',
      'cluster.unsilence',
      'cluster.history-delete',
      'cluster.history-retention',
      'cluster.diagnosis-fix',
    ] as const
  ).map((kind) => z.object({ kind: z.literal(kind), data: ClusterActionData })),
  // Roles per cluster profile (issue 14 item 2): a refused action (the role held and the role it needed), and a role
  // change — lowering, or raising after re-authentication; a refused raise is recorded with ok: false and why.
  z.object({
    kind: z.literal('cluster.role-denied'),
    data: z.object({ profileId: Short, action: Short, role: ClusterRoleSchema, needed: ClusterRoleSchema, jobId: Short.optional() }),
  }),
  z.object({
    kind: z.literal('cluster.role-change'),
    data: z.object({
      profileId: Short,
      from: ClusterRoleSchema,
      to: ClusterRoleSchema,
      ok: z.boolean(),
      reason: z.enum(['lowered', 'reauthenticated', 'wrong-proof', 'app-lock-off']),
    }),
  }),
  // Cluster sign-in (issue 14 item 3): sign-in/out, a failed refresh, a token held back from (or sent to) an http:// URL.
  // Never a token: the subject and email claims name who signed in.
  z.object({
    kind: z.literal('cluster.auth'),
    data: z.object({
      profileId: Short,
      event: z.enum(['sign-in', 'sign-in-failed', 'sign-out', 'refresh-failed', 'token-over-http-refused', 'token-over-http-sent']),
      subject: Short.optional(),
      detail: z.string().max(2000).optional(),
    }),
  }),
  /** A Slack or e-mail notification (issue 16): channel, event and outcome — never the message or a secret. */
  z.object({
    kind: z.literal('notification.send'),
    data: z.object({
      channel: Short,
      event: Short,
      ok: z.boolean(),
      error: z.string().max(1000).optional(),
      jobId: Short.optional(),
      alertFingerprint: Short.optional(),
    }),
  }),
  z.object({ kind: z.literal('settings.change'), data: z.object({ key: Short, from: JsonSchema.optional(), to: JsonSchema.optional() }) }),
  z.object({
    kind: z.literal('store.maintenance'),
    data: z.object({
      action: z.enum(['rekey', 'backup', 'restore', 'keychain-migrate', 'recovery-key-created']),
      detail: z.string().max(1000).optional(),
    }),
  }),
  // The local API server's tokens (issue 14 item 4): never the token, only its id, name and prefix hint.
  z.object({
    kind: z.literal('api.token.created'),
    data: z.object({
      tokenId: Short,
      name: Short,
      prefixHint: Short,
      scopes: z.array(Short).max(20),
      expiresAt: z.number().int().nullable(),
      rateLimitPerMin: z.number().int().nullable(),
    }),
  }),
  z.object({ kind: z.literal('api.token.revoked'), data: z.object({ tokenId: Short, name: Short, prefixHint: Short }) }),
  z.object({
    kind: z.literal('api.token.rate_limit'),
    data: z.object({ tokenId: Short, name: Short, from: z.number().int().nullable(), to: z.number().int().nullable() }),
  }),
  /** An outbound connection the egress guard refused (issue 14 item 6); repeats within a window are folded. */
  z.object({
    kind: z.literal('security.egress_blocked'),
    data: z.object({
      feature: Short,
      host: z.string().max(300).nullable(),
      reason: z.string().max(1000),
      providerId: Short.optional(),
      /** Same refusals (feature + host) folded into this row since the previous one (audit-spam throttling). */
      suppressed: z.number().int().nonnegative(),
    }),
  }),
  /** A refused request: 401 (no/unknown/revoked/expired token), 403 (scope), 429 (rate), 503 (app locked); throttled. */
  z.object({
    kind: z.literal('api.request.denied'),
    data: z.object({
      status: z.number().int().min(400).max(599),
      reason: z.enum(['missing', 'unknown', 'revoked', 'expired', 'scope', 'rate', 'locked']),
      method: z.string().max(20),
      route: z.string().max(300),
      remote: z.string().max(100),
      userAgent: z.string().max(200).optional(),
      tokenId: Short.optional(),
      tokenName: Short.optional(),
      prefixHint: Short.optional(),
      scope: Short.optional(),
      /** Same refusals folded into this row since the previous one of its kind (audit-spam throttling). */
      suppressed: z.number().int().nonnegative(),
    }),
  }),
  /** A performance-lab suggestion and whether it was offered (both proofs held) or rejected, and why (issue 15). */
  z.object({
    kind: z.literal('perf.suggestion'),
    data: z.object({
      module: z.string().max(512),
      function: Short,
      index: z.number().int().nonnegative(),
      outcome: z.enum(['proven', 'rejected', 'unavailable']),
      cause: Short,
      label: z.string().max(300),
      generationId: Short.nullable(),
    }),
  }),
]);
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type AuditKind = AuditEvent['kind'];
export const AUDIT_KINDS = AuditEventSchema.options.map((o) => o.shape.kind.value) as AuditKind[];

/** One stored row. `hash` = SHA-256 of canonicalJson({seq, at, kind, data, prevHash}). */
export const AuditRowSchema = z.object({
  seq: z.number().int().positive(),
  at: z.number().int().nonnegative(),
  kind: z.string(),
  data: JsonSchema,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

export const GENESIS_HASH = '0'.repeat(64);

export const AuditBreakReasonSchema = z.enum(['hash-mismatch', 'chain-broken', 'sequence-gap', 'truncated', 'malformed']);
export type AuditBreakReason = z.infer<typeof AuditBreakReasonSchema>;

export const AuditVerifySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), count: z.number().int().nonnegative(), headHash: Sha256Hex }),
  z.object({
    ok: z.literal(false),
    /** Rows that verified before the break. */
    count: z.number().int().nonnegative(),
    /** 1-based position in the log where the chain first breaks. */
    position: z.number().int().positive(),
    reason: AuditBreakReasonSchema,
    message: z.string(),
  }),
]);
export type AuditVerify = z.infer<typeof AuditVerifySchema>;

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, only JSON types. Two equal values always give the
 * same text, so a hash over it is stable across engines and across a JSONL export/import.
 */
export function canonicalJson(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof v}`);
  }
}

/** The exact text whose SHA-256 is a row's hash. */
export function auditHashInput(r: { seq: number; at: number; kind: string; data: Json; prevHash: string }): string {
  return canonicalJson({ seq: r.seq, at: r.at, kind: r.kind, data: r.data, prevHash: r.prevHash });
}

export type Sha256Hex = (text: string) => string;

/** Incremental verifier so a caller can stream rows (DB cursor or JSONL lines) without holding them all. */
export class AuditChainVerifier {
  private count = 0;
  private prev = GENESIS_HASH;
  private broken: Extract<AuditVerify, { ok: false }> | undefined;

  /** `anchor` is an externally kept head (seq + hash): it catches a deleted or rewritten tail. */
  constructor(
    private readonly sha256: Sha256Hex,
    private readonly anchor?: { seq: number; hash: string },
  ) {}

  /** Feeds the next row; returns false once the chain is broken (further rows are ignored). */
  push(raw: unknown): boolean {
    if (this.broken) return false;
    const position = this.count + 1;
    const parsed = AuditRowSchema.safeParse(raw);
    if (!parsed.success) return this.fail(position, 'malformed', `row ${position} is not a valid audit row`);
    const r = parsed.data;
    if (r.seq !== position) {
      return this.fail(
        position,
        'sequence-gap',
        r.seq > position ? `row ${position} is missing (next row is ${r.seq})` : `row ${r.seq} appears again at position ${position}`,
      );
    }
    if (r.prevHash !== this.prev)
      return this.fail(position, 'chain-broken', `row ${position} does not follow row ${position - 1} (previous hash differs)`);
    if (this.sha256(auditHashInput(r)) !== r.hash)
      return this.fail(position, 'hash-mismatch', `row ${position} was changed after it was written`);
    if (this.anchor && this.anchor.seq === position && this.anchor.hash !== r.hash) {
      return this.fail(position, 'chain-broken', `row ${position} differs from the recorded head of the log`);
    }
    this.prev = r.hash;
    this.count = position;
    return true;
  }

  /** Final answer. */
  result(): AuditVerify {
    if (this.broken) return this.broken;
    const anchor = this.anchor;
    if (anchor && anchor.seq > this.count) {
      return {
        ok: false,
        count: this.count,
        position: this.count + 1,
        reason: 'truncated',
        message: `the log ends at row ${this.count} but row ${anchor.seq} was written`,
      };
    }
    return { ok: true, count: this.count, headHash: this.prev };
  }

  /** Hash of row `seq` as seen so far (for anchor checks); only the head is kept. */
  get head(): { seq: number; hash: string } {
    return { seq: this.count, hash: this.prev };
  }

  private fail(position: number, reason: AuditBreakReason, message: string): false {
    this.broken = { ok: false, count: this.count, position, reason, message };
    return false;
  }
}
