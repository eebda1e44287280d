// Runs the environment checks in order, reporting each as it finishes; cancellable between checks.
import type { DoctorCheck, DoctorReport } from '../../../common/contracts/doctor';
import { EvolveError } from '../../../common/errors';
import { CHECKS, type CheckContext, type CheckDef } from './checks';
import { embeddingCheck } from './embedding-check';
import { inferenceCheck } from './inference-check';
import { pythonToolsCheck } from './python-tools-check';
import { testRunnersCheck } from './test-runners-check';

/** Every check `evolve doctor` runs, in display order (the engine and embedding checks right after the GPU one). */
export const DEFAULT_CHECKS: CheckDef[] = [
  ...CHECKS.slice(0, 6),
  inferenceCheck,
  embeddingCheck,
  ...CHECKS.slice(6),
  pythonToolsCheck,
  testRunnersCheck,
];

export class DoctorService {
  constructor(
    private readonly ctx: CheckContext,
    private readonly checks: CheckDef[] = DEFAULT_CHECKS,
  ) {}

  list(): { id: string; label: string }[] {
    return this.checks.map(({ id, label }) => ({ id, label }));
  }

  async run(
    opts: { only?: string[] },
    onProgress: (p: { index: number; total: number; check: DoctorCheck }) => Promise<void> | void,
    signal?: AbortSignal,
  ): Promise<DoctorReport> {
    const unknown = (opts.only ?? []).filter((id) => !this.checks.some((c) => c.id === id));
    if (unknown.length > 0) throw new EvolveError('NOT_FOUND', `Unknown check(s): ${unknown.join(', ')}`);
    const selected = opts.only ? this.checks.filter((c) => opts.only?.includes(c.id)) : this.checks;
    const results: DoctorCheck[] = [];
    for (const [index, def] of selected.entries()) {
      if (signal?.aborted) throw new EvolveError('CANCELLED', 'Cancelled');
      const started = performance.now();
      let check: DoctorCheck;
      try {
        const outcome = await def.run(this.ctx);
        check = { id: def.id, label: def.label, ...outcome, durationMs: Math.round(performance.now() - started) };
      } catch (e) {
        check = {
          id: def.id,
          label: def.label,
          status: 'fail',
          detail: `check crashed: ${e instanceof Error ? e.message : String(e)}`,
          durationMs: Math.round(performance.now() - started),
        };
      }
      if (check.hint === undefined) delete check.hint;
      results.push(check);
      await onProgress({ index, total: selected.length, check });
    }
    const count = (s: DoctorCheck['status']) => results.filter((r) => r.status === s).length;
    return {
      checks: results,
      summary: { ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip') },
      finishedAt: new Date().toISOString(),
    };
  }
}
