// Sentence vectors from the model's token states, as the all-MiniLM-L6-v2 card says: mean over the tokens the
// attention mask keeps, then L2 normalisation (sentence-transformers' Pooling + Normalize modules).

/**
 * `hidden` is [batch, seq, dims] row-major; `mask` is [batch, seq] with 1 for real tokens. Sums run in float64 so
 * a long padded batch gives the same vector as the text alone; the result is float32.
 */
export function meanPoolNormalize(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  seq: number,
  dims: number,
): Float32Array[] {
  if (hidden.length !== batch * seq * dims) throw new RangeError(`hidden has ${hidden.length} values, expected ${batch}×${seq}×${dims}`);
  if (mask.length !== batch * seq) throw new RangeError(`mask has ${mask.length} values, expected ${batch}×${seq}`);
  const out: Float32Array[] = [];
  const acc = new Float64Array(dims);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    let kept = 0;
    for (let s = 0; s < seq; s++) {
      if (Number(mask[b * seq + s]) === 0) continue;
      kept++;
      const base = (b * seq + s) * dims;
      for (let d = 0; d < dims; d++) acc[d] = (acc[d] as number) + (hidden[base + d] as number);
    }
    // clamp(min=1e-9) on the count and max(norm, 1e-12) as torch does, so an all-masked row gives zeros, not NaN.
    const count = Math.max(kept, 1e-9);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (acc[d] as number) / count;
      acc[d] = v;
      norm += v * v;
    }
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
    const vec = new Float32Array(dims);
    for (let d = 0; d < dims; d++) vec[d] = (acc[d] as number) * scale;
    out.push(vec);
  }
  return out;
}
