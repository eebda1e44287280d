// The one rule deciding whether an optimisation is offered: equivalence proven AND the whole speed-up interval at the
// largest size above the bar. The backend, the CLI and the UI badge all call offerDecision, so they can never disagree.
import { BenchResultSchema, EquivalenceResultSchema, type BenchResult, type EquivalenceResult, type RatioInterval } from './types';

/** The lab's floor: a benchmark run with a laxer threshold still has to clear this (issue 15: "above 1.1×"). */
export const OFFER_MIN_SPEEDUP = 1.1;
/** The interval must be at least this confident (a 80 % interval is narrower and would pass more easily). */
export const OFFER_MIN_CONFIDENCE = 0.95;

export type OfferCause =
  | 'proven'
  /** The two versions behave differently (a counterexample) or the proof run failed on the candidate. */
  | 'behaviour'
  /** The benchmark did not show the whole interval above the bar. */
  | 'speed'
  /** A proof could not run (no sandbox/runner) or has not run yet. */
  | 'unavailable'
  /** A result did not match its schema: nothing can be concluded from it. */
  | 'malformed';

export interface OfferDecision {
  offered: boolean;
  outcome: 'proven' | 'rejected' | 'unavailable';
  cause: OfferCause;
  /** Short text for a badge: "Proven 3.2× (2.9–3.5×, 95 %)", "Rejected: not faster (0.95–1.12×)", … */
  label: string;
  /** A full sentence for a tooltip, the CLI or the audit log. */
  reason: string;
  /** The speed-up interval at the largest benchmarked size, when a benchmark was given. */
  speedup?: RatioInterval;
}

function decimals(x: number): number {
  return x >= 10 ? 0 : x >= 2 ? 1 : 2;
}

/** 3.2 → "3.2", 0.953 → "0.95", 12.4 → "12": enough digits to see the difference around the 1.1× bar. */
export function formatRatio(x: number): string {
  return x.toFixed(decimals(x));
}

/** "2.9–3.5×", "1.00–2.00×": both ends with the lower end's precision, which is the one compared with the bar. */
export function formatRange(low: number, high: number): string {
  const d = decimals(low);
  return `${low.toFixed(d)}–${high.toFixed(d)}×`;
}

export function formatInterval(r: RatioInterval): string {
  return formatRange(r.low, r.high);
}

/** The interval at the largest input size: the one the verdict is about (small sizes are dominated by overhead). */
export function largestSizeSpeedup(bench: BenchResult): RatioInterval {
  let best = bench.sizes[0];
  for (const s of bench.sizes) if (best === undefined || s.n > best.n) best = s;
  // BenchResultSchema requires at least one size, so best is defined for any parsed result.
  return (best as NonNullable<typeof best>).speedup;
}

const MAX_INPUT_CHARS = 80;

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_INPUT_CHARS ? `${oneLine.slice(0, MAX_INPUT_CHARS - 1)}…` : oneLine;
}

function unavailable(cause: OfferCause, what: string, reason: string, speedup?: RatioInterval): OfferDecision {
  return { offered: false, outcome: 'unavailable', cause, label: `Unavailable: ${what}`, reason, ...(speedup ? { speedup } : {}) };
}

/**
 * Decides from the two proofs. Order matters: a behaviour difference rejects whatever the timing says; a benchmark
 * that is not faster rejects even when equivalence could not run; only then does a missing proof make it unavailable.
 * Inputs are re-validated here because they cross process boundaries (worker → main → renderer) on their way.
 */
export function offerDecision(bench: BenchResult | undefined, equivalence: EquivalenceResult | undefined): OfferDecision {
  const eqParsed = equivalence === undefined ? undefined : EquivalenceResultSchema.safeParse(equivalence);
  const benchParsed = bench === undefined ? undefined : BenchResultSchema.safeParse(bench);
  if (eqParsed && !eqParsed.success)
    return unavailable(
      'malformed',
      'malformed equivalence result',
      `The equivalence result is malformed: ${eqParsed.error.issues[0]?.message ?? 'invalid'}.`,
    );
  if (benchParsed && !benchParsed.success)
    return unavailable(
      'malformed',
      'malformed benchmark result',
      `The benchmark result is malformed: ${benchParsed.error.issues[0]?.message ?? 'invalid'}.`,
    );
  const eq: EquivalenceResult | undefined = eqParsed?.data;
  const b: BenchResult | undefined = benchParsed?.data;
  const speedup = b ? largestSizeSpeedup(b) : undefined;

  if (eq?.status === 'different') {
    const input = eq.counterexample ? shorten(eq.counterexample.input) : undefined;
    const label = input !== undefined ? `Rejected: tests differ on input ${input}` : 'Rejected: behaviour differs';
    const detail = eq.counterexample
      ? `On input ${eq.counterexample.input} the original gives ${eq.counterexample.before} but the candidate gives ${eq.counterexample.after}.`
      : (eq.message ?? 'The candidate does not behave like the original.');
    return { offered: false, outcome: 'rejected', cause: 'behaviour', label, reason: detail, ...(speedup ? { speedup } : {}) };
  }
  if (eq?.status === 'error') {
    const msg = eq.message ?? 'the equivalence check failed on the candidate';
    return {
      offered: false,
      outcome: 'rejected',
      cause: 'behaviour',
      label: `Rejected: ${shorten(msg)}`,
      reason: `Equivalence check failed: ${msg}`,
      ...(speedup ? { speedup } : {}),
    };
  }

  if (b && speedup) {
    const bar = Math.max(b.threshold, OFFER_MIN_SPEEDUP);
    const intervalClears = speedup.low > bar && speedup.confidence >= OFFER_MIN_CONFIDENCE;
    if (b.verdict !== 'faster' || !intervalClears) {
      const slower = b.verdict === 'slower' || speedup.high < 1;
      const label = `Rejected: ${slower ? 'slower' : 'not faster'} (${formatInterval(speedup)})`;
      const why =
        b.verdict === 'faster'
          ? `The benchmark says faster, but its ${Math.round(speedup.confidence * 100)} % interval ${formatInterval(speedup)} does not lie wholly above ${formatRatio(bar)}× at a ${Math.round(OFFER_MIN_CONFIDENCE * 100)} % level or more.`
          : `The ${Math.round(speedup.confidence * 100)} % interval of the speed-up at the largest size is ${formatInterval(speedup)}; it must lie wholly above ${formatRatio(bar)}×.`;
      return { offered: false, outcome: 'rejected', cause: 'speed', label, reason: why, speedup };
    }
  }

  if (!eq) return unavailable('unavailable', 'equivalence not checked', 'No equivalence proof was run for this candidate.', speedup);
  if (eq.status === 'unavailable') {
    const msg = eq.message ?? 'no runner or sandbox for the equivalence check';
    return unavailable('unavailable', shorten(msg), `Equivalence could not be checked: ${msg}`, speedup);
  }
  if (!b || !speedup) return unavailable('unavailable', 'not benchmarked', 'Equivalent, but no benchmark was run for this candidate.');

  const conf = Math.round(speedup.confidence * 100);
  return {
    offered: true,
    outcome: 'proven',
    cause: 'proven',
    label: `Proven ${formatRatio(speedup.median)}× (${formatInterval(speedup)}, ${conf} %)`,
    reason: `Equivalent on ${eq.examples} generated inputs, and ${formatRatio(speedup.median)}× faster at n = ${Math.max(...b.sizes.map((s) => s.n))} (${conf} % interval ${formatInterval(speedup)}).`,
    speedup,
  };
}
