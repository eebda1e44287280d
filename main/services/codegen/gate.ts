// The apply gate (issue 11, item 9/11): a generation with a high-severity finding is not applied unless the user
// overrides it with a reason, and that override is audited before anything is written. Every apply path calls it.
import type { Finding } from '../../../common/codegen/types';
import { EvolveError } from '../../../common/errors';
import type { AuditEvent } from '../../../common/store/audit';
import type { CodegenGeneration } from '../../../common/store/codegen-requests';

export interface GateAuditSink {
  record(ev: AuditEvent): Promise<unknown>;
}

export type Gateable = Pick<CodegenGeneration, 'id' | 'projectId' | 'status' | 'findings'>;

export interface GateOptions {
  /** The user's explicit decision to apply despite high-severity findings, with why. */
  override?: { reason: string };
  audit: GateAuditSink;
}

export interface GateResult {
  /** The high-severity findings (empty when none blocked). */
  blocking: Finding[];
  /** True when blocking findings were overridden (and audited). */
  overridden: boolean;
}

const MAX_AUDITED_FINDINGS = 50;
const MAX_REASON = 4000;

/**
 * Resolves when the generation may be applied. FORBIDDEN (details: the blocking findings) when it has a high-severity
 * finding and no override; CONFLICT when it has not finished successfully; INVALID_ARGUMENT for an empty override
 * reason. An override is recorded as `generation.gate_override` first: if the audit write fails, this rejects and
 * nothing may be applied.
 */
export async function assertApplicable(generation: Gateable, opts: GateOptions): Promise<GateResult> {
  if (generation.status !== 'done') {
    throw new EvolveError('CONFLICT', `Generation ${generation.id} is ${generation.status}; only a finished generation can be applied`);
  }
  const blocking = generation.findings.filter((f) => f.severity === 'high');
  if (blocking.length === 0) return { blocking, overridden: false };
  if (!opts.override) {
    const first = blocking[0] as Finding;
    throw new EvolveError(
      'FORBIDDEN',
      `Not applied: ${blocking.length} high-severity finding(s), e.g. ${first.ruleId} at ${first.file}:${first.line} (${first.message}). ` +
        'Fix it, or apply anyway with a reason (audited).',
      { generationId: generation.id, findings: blocking.slice(0, MAX_AUDITED_FINDINGS) },
    );
  }
  const reason = opts.override.reason.trim();
  if (reason === '') throw new EvolveError('INVALID_ARGUMENT', 'Overriding a high-severity finding needs a reason');
  if (reason.length > MAX_REASON) throw new EvolveError('INVALID_ARGUMENT', `The override reason is longer than ${MAX_REASON} characters`);
  await opts.audit.record({
    kind: 'generation.gate_override',
    data: {
      generationId: generation.id,
      ...(generation.projectId ? { projectId: generation.projectId } : {}),
      reason,
      findings: blocking.slice(0, MAX_AUDITED_FINDINGS).map((f) => ({ tool: f.tool, ruleId: f.ruleId, file: f.file, line: f.line })),
      findingsTotal: blocking.length,
    },
  });
  return { blocking, overridden: true };
}
