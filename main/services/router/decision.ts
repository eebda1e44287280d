// Builds the human-readable RoutingDecision summary the UI shows ("why this provider").
import type { CandidateVerdict, RoutingDecision } from '../../../common/providers/types';

export function summarize(candidates: readonly CandidateVerdict[], chosen: RoutingDecision['chosen'], offlineOnly: boolean): string {
  const others = candidates.filter((c) => c.status === 'skipped' || c.status === 'failed');
  const why = others.map((c) => `${c.providerId} ${c.status === 'failed' ? 'failed' : 'skipped'} (${c.reason})`).join(', ');
  const mode = offlineOnly ? ' [offline-only]' : '';
  if (!chosen) return `No provider could answer${mode}${why ? `: ${why}` : ''}.`;
  const pick = candidates.find((c) => c.status === 'chosen');
  const how = pick?.reason === 'cache-hit' ? ' from the response cache' : '';
  return `Used ${chosen.providerId}/${chosen.model}${how}${mode}${why ? ` after ${why}` : ' (first choice)'}.`;
}
