// Mean pooling over the attention mask + L2 normalisation, checked by hand-computed cases.
import { describe, expect, it } from 'vitest';
import { meanPoolNormalize } from '../../../native/embed/pooling';

describe('meanPoolNormalize', () => {
  it('averages only the tokens the mask keeps, then scales to unit length', () => {
    // batch 2, seq 3, dims 2; row 0 keeps tokens 0 and 1, row 1 keeps token 0 only (the rest is padding).
    const hidden = new Float32Array([1, 2, 3, 4, 100, 100, /* row 1 */ 3, 4, 50, -50, 7, 7]);
    const [a, b] = meanPoolNormalize(hidden, [1, 1, 0, 1, 0, 0], 2, 3, 2);
    // row 0: mean (2, 3) → /√13
    expect(a?.[0]).toBeCloseTo(2 / Math.sqrt(13), 6);
    expect(a?.[1]).toBeCloseTo(3 / Math.sqrt(13), 6);
    // row 1: (3, 4) → (0.6, 0.8); the padded values (50, -50, 7, 7) do not leak in.
    expect(Array.from(b ?? [])).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('accepts an int64 mask (what the model is fed) and gives zeros, not NaN, for an all-masked row', () => {
    const [v] = meanPoolNormalize(new Float32Array([5, 5]), new BigInt64Array([0n]), 1, 1, 2);
    expect(Array.from(v ?? [])).toEqual([0, 0]);
  });

  it('rejects shapes that do not add up', () => {
    expect(() => meanPoolNormalize(new Float32Array(5), [1, 1], 1, 2, 3)).toThrow(RangeError);
    expect(() => meanPoolNormalize(new Float32Array(6), [1], 1, 2, 3)).toThrow(RangeError);
  });
});
