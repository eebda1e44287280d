// The single offer rule (common/perf/offer.ts): offered only when equivalence is proven AND the whole interval at the
// largest size clears the bar; each way of failing gives its own label, and malformed results are never offered.
import { describe, expect, it } from 'vitest';
import { formatRatio, offerDecision, OFFER_MIN_SPEEDUP } from '../../../common/perf/offer';
import type { BenchResult, EquivalenceResult } from '../../../common/perf/types';

function bench(largest: { median: number; low: number; high: number; confidence?: number }, over: Partial<BenchResult> = {}): BenchResult {
  const size = (n: number, r: { median: number; low: number; high: number; confidence?: number }) => ({
    n,
    beforeSec: [0.01, 0.011, 0.012],
    afterSec: [0.004, 0.0041, 0.0039],
    speedup: { median: r.median, low: r.low, high: r.high, confidence: r.confidence ?? 0.95, method: 'bootstrap' as const },
  });
  return {
    language: 'python',
    tool: 'pyperf',
    // The largest size is listed first on purpose: the rule must pick it by n, not by position.
    sizes: [size(10_000, largest), size(100, { median: 1.0, low: 0.8, high: 1.3 }), size(1_000, { median: 1.5, low: 1.2, high: 1.9 })],
    slope: { before: 2, after: 1 },
    threshold: 1.1,
    verdict: 'faster',
    durationMs: 1200,
    ...over,
  };
}

const EQUIVALENT: EquivalenceResult = { status: 'equivalent', tool: 'hypothesis', examples: 200, durationMs: 800 };

describe('offerDecision', () => {
  it('offers only with both proofs, labelled with the largest size interval', () => {
    const d = offerDecision(bench({ median: 3.2, low: 2.9, high: 3.5 }), EQUIVALENT);
    expect(d).toMatchObject({ offered: true, outcome: 'proven', cause: 'proven', label: 'Proven 3.2× (2.9–3.5×, 95 %)' });
    expect(d.reason).toContain('200 generated inputs');
    expect(d.reason).toContain('n = 10000');
  });

  it('rejects a behaviour change whatever the timing says, naming the counterexample input', () => {
    const eq: EquivalenceResult = {
      status: 'different',
      tool: 'hypothesis',
      examples: 12,
      counterexample: { input: '([3, 1, 2],)', before: '[1, 2, 3]', after: '[3, 1, 2]' },
      durationMs: 90,
    };
    const d = offerDecision(bench({ median: 9, low: 8, high: 10 }), eq);
    expect(d).toMatchObject({
      offered: false,
      outcome: 'rejected',
      cause: 'behaviour',
      label: 'Rejected: tests differ on input ([3, 1, 2],)',
    });
    expect(d.reason).toBe('On input ([3, 1, 2],) the original gives [1, 2, 3] but the candidate gives [3, 1, 2].');
  });

  it('shortens a long counterexample in the label but keeps it whole in the reason', () => {
    const input = `(${'x'.repeat(300)},)`;
    const d = offerDecision(undefined, { ...EQUIVALENT, status: 'different', counterexample: { input, before: '1', after: '2' } });
    expect(d.label.length).toBeLessThan(120);
    expect(d.label.endsWith('…')).toBe(true);
    expect(d.reason).toContain(input);
  });

  it('rejects a candidate the equivalence run failed on', () => {
    const d = offerDecision(bench({ median: 3, low: 2.5, high: 3.5 }), {
      ...EQUIVALENT,
      status: 'error',
      message: 'NameError: name "x" is not defined',
    });
    expect(d).toMatchObject({ offered: false, outcome: 'rejected', cause: 'behaviour' });
    expect(d.label).toBe('Rejected: NameError: name "x" is not defined');
  });

  it('rejects when the interval straddles the bar, and shows it', () => {
    const d = offerDecision(bench({ median: 1.03, low: 0.95, high: 1.12 }, { verdict: 'not-proven' }), EQUIVALENT);
    expect(d).toMatchObject({ offered: false, outcome: 'rejected', cause: 'speed', label: 'Rejected: not faster (0.95–1.12×)' });
  });

  it('calls a slower candidate slower', () => {
    const d = offerDecision(bench({ median: 0.6, low: 0.55, high: 0.66 }, { verdict: 'slower' }), EQUIVALENT);
    expect(d.label).toBe('Rejected: slower (0.55–0.66×)');
  });

  it('does not trust a "faster" verdict whose own interval does not clear the bar', () => {
    const d = offerDecision(bench({ median: 1.2, low: 1.05, high: 1.4 }), EQUIVALENT);
    expect(d).toMatchObject({ offered: false, cause: 'speed', label: 'Rejected: not faster (1.05–1.40×)' });
    expect(d.reason).toContain('says faster');
  });

  it(`keeps the ${OFFER_MIN_SPEEDUP}× floor even when a run used a laxer threshold`, () => {
    const d = offerDecision(bench({ median: 1.08, low: 1.02, high: 1.09 }, { threshold: 1.0 }), EQUIVALENT);
    expect(d.offered).toBe(false);
    expect(d.cause).toBe('speed');
  });

  it('refuses an interval less confident than 95 %', () => {
    const d = offerDecision(bench({ median: 3, low: 2.5, high: 3.5, confidence: 0.8 }), EQUIVALENT);
    expect(d.offered).toBe(false);
    expect(d.reason).toContain('80 %');
  });

  it('is unavailable, not rejected, when a proof could not run', () => {
    const fast = bench({ median: 3, low: 2.5, high: 3.5 });
    expect(offerDecision(fast, undefined)).toMatchObject({
      offered: false,
      outcome: 'unavailable',
      label: 'Unavailable: equivalence not checked',
    });
    expect(offerDecision(fast, { ...EQUIVALENT, status: 'unavailable', message: 'bubblewrap is not installed' })).toMatchObject({
      outcome: 'unavailable',
      label: 'Unavailable: bubblewrap is not installed',
    });
    expect(offerDecision(undefined, EQUIVALENT)).toMatchObject({
      offered: false,
      outcome: 'unavailable',
      label: 'Unavailable: not benchmarked',
    });
  });

  it('a benchmark that is not faster rejects even without an equivalence proof', () => {
    expect(offerDecision(bench({ median: 1, low: 0.9, high: 1.1 }, { verdict: 'not-proven' }), undefined).outcome).toBe('rejected');
  });

  it('never offers on malformed results (they cross process boundaries)', () => {
    const broken = { ...bench({ median: 3, low: 2.5, high: 3.5 }), sizes: [] } as BenchResult;
    expect(offerDecision(broken, EQUIVALENT)).toMatchObject({
      offered: false,
      cause: 'malformed',
      label: 'Unavailable: malformed benchmark result',
    });
    const badEq = { ...EQUIVALENT, status: 'maybe' } as unknown as EquivalenceResult;
    expect(offerDecision(bench({ median: 3, low: 2.5, high: 3.5 }), badEq)).toMatchObject({ offered: false, cause: 'malformed' });
  });
});

describe('formatRatio', () => {
  it('shows two decimals near the bar and fewer for big speed-ups', () => {
    expect([0.953, 1.1, 3.24, 12.4].map(formatRatio)).toEqual(['0.95', '1.10', '3.2', '12']);
  });
});
