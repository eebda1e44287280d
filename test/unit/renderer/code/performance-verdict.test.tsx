// The verdict badge shows offerDecision's outcome: proven only with both proofs, otherwise the reason it was
// rejected (behaviour or speed) or unavailable, with the full reason for screen readers and as a tooltip.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BenchResult, EquivalenceResult } from '../../../../common/perf/types';
import { VerdictBadge } from '../../../../renderer/features/code/performance/VerdictBadge';

const bench = (low: number, median: number, high: number, verdict: BenchResult['verdict']): BenchResult => ({
  language: 'typescript',
  tool: 'tinybench',
  sizes: [100, 1000, 10000].map((n) => ({
    n,
    beforeSec: [0.002],
    afterSec: [0.001],
    speedup: { median, low, high, confidence: 0.95, method: 'bootstrap' as const },
  })),
  slope: { before: 1, after: 1 },
  threshold: 1.1,
  verdict,
  durationMs: 10,
});
const equivalent: EquivalenceResult = { status: 'equivalent', tool: 'fast-check', examples: 100, durationMs: 5 };

function text(html: string): string {
  return html
    .replace(/<span class="sr-only">.*?<\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/<!-- -->/g, '');
}

describe('VerdictBadge', () => {
  it('proven with both proofs', () => {
    const html = renderToString(<VerdictBadge bench={bench(2.9, 3.2, 3.5, 'faster')} equivalence={equivalent} />);
    expect(html).toContain('data-outcome="proven"');
    expect(text(html)).toBe('✓ Proven 3.2× (2.9–3.5×, 95 %)');
  });

  it('rejected on a counterexample even though faster', () => {
    const eq: EquivalenceResult = {
      ...equivalent,
      status: 'different',
      counterexample: { input: '["a", "A"]', before: '2', after: '1' },
    };
    const html = renderToString(<VerdictBadge bench={bench(2.9, 3.2, 3.5, 'faster')} equivalence={eq} />);
    expect(html).toContain('data-outcome="rejected"');
    expect(html).toContain('data-cause="behaviour"');
    expect(text(html)).toBe('✗ Rejected: tests differ on input [&quot;a&quot;, &quot;A&quot;]');
  });

  it('rejected when not faster', () => {
    const html = renderToString(<VerdictBadge bench={bench(0.95, 1.03, 1.12, 'not-proven')} equivalence={equivalent} />);
    expect(text(html)).toBe('✗ Rejected: not faster (0.95–1.12×)');
  });

  it('unavailable without a proof, with the reason for screen readers and as a title', () => {
    const html = renderToString(
      <VerdictBadge bench={bench(2.9, 3.2, 3.5, 'faster')} equivalence={{ ...equivalent, status: 'unavailable', message: 'no sandbox' }} />,
    );
    expect(text(html)).toBe('… Unavailable: no sandbox');
    expect(html).toContain('title="Equivalence could not be checked: no sandbox"');
    expect(html).toContain('<span class="sr-only">. <!-- -->Equivalence could not be checked: no sandbox</span>');
    expect(text(renderToString(<VerdictBadge />))).toBe('… Unavailable: equivalence not checked');
  });
});
