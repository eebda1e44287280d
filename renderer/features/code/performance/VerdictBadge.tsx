// The offer's verdict as a badge: "Proven 3.2× (2.9–3.5×, 95 %)" only when both proofs hold (offerDecision in
// common/perf/offer.ts decides, the same function the backend uses), otherwise why it was rejected or unavailable.
import { offerDecision } from '../../../../common/perf/offer';
import type { BenchResult, EquivalenceResult } from '../../../../common/perf/types';
import './performance.css';

export function VerdictBadge({ bench, equivalence }: { bench?: BenchResult; equivalence?: EquivalenceResult }) {
  const d = offerDecision(bench, equivalence);
  return (
    <span className={`perf-verdict ${d.outcome}`} title={d.reason} data-testid="perf-verdict" data-outcome={d.outcome} data-cause={d.cause}>
      <span aria-hidden="true">{d.outcome === 'proven' ? '✓ ' : d.outcome === 'rejected' ? '✗ ' : '… '}</span>
      {d.label}
      <span className="sr-only">. {d.reason}</span>
    </span>
  );
}
