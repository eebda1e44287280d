// Builds the one result shape every check and scan returns (see CheckResultSchema).
import type { CheckResult, Finding } from '../../../../common/codegen/types';
import { sortFindings } from './severity';

export function checkResult(findings: Finding[], tools: { name: string; version: string }[], startedAt: number): CheckResult {
  return {
    ok: !findings.some((f) => f.severity === 'high'),
    findings: sortFindings(findings),
    tools,
    durationMs: Math.round(performance.now() - startedAt),
  };
}

/** Options shared by the checks. */
export interface CheckOptions {
  /** Wall-clock limit per tool run (default 60 s: two cores, a cold start of Bandit takes ~1 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}
