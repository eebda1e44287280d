// Records each flagged untrusted item that went into a prompt as a security.injection_flagged audit event.
import type { InjectionFlag } from '../../../common/security/injection';
import type { AuditEvent } from '../../../common/store/audit';

type Where = { projectId?: string; generationId?: string; threadId?: string };

/** One event per flag; awaited, so a flagged prompt is on record before the model sees it. No sink: nothing to do. */
export async function auditInjectionFlags(
  audit: ((ev: AuditEvent) => Promise<unknown>) | undefined,
  surface: 'codegen' | 'chat' | 'cluster' | 'tool',
  flags: readonly InjectionFlag[],
  where: Where = {},
): Promise<void> {
  if (!audit) return;
  for (const f of flags) {
    await audit({
      kind: 'security.injection_flagged',
      data: {
        surface,
        itemKind: f.kind,
        source: f.source.slice(0, 4096),
        score: f.score,
        rules: [...new Set(f.hits.map((h) => h.rule.slice(0, 500)))].slice(0, 20),
        ...where,
      },
    });
  }
}
