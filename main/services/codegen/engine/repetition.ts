// Where a streamed answer starts looping. Decoding greedily, a small model can repeat one line (or a few) until its
// token cap: on the eval's test-writing problems Qwen2.5-Coder 1.5B wrote `assert clamp(15, 10, 15) == 15` over and
// over, 1,024 tokens and ~70 s per answer, and its repair round did the same. The stream is stopped once the loop is
// unmistakable and the answer kept up to the end of the block's first occurrence: what the model meant, once.

/** Lines per repeated block that are looked for, and how many copies in a row make a loop. */
const PERIODS: readonly { lines: number; copies: number }[] = [
  { lines: 1, copies: 6 },
  { lines: 2, copies: 4 },
  { lines: 3, copies: 4 },
  { lines: 4, copies: 4 },
];
/** A block this short (`}`, `pass`, blank lines) repeats in real code; only substantial lines count. */
const MIN_BLOCK_CHARS = 10;

/**
 * The offset just after the first copy of a block that the text's last complete lines repeat `copies` times in a row
 * (see PERIODS), or undefined when its tail does not loop. The partial last line is ignored.
 */
export function repetitionCut(text: string): number | undefined {
  const end = text.lastIndexOf('\n');
  if (end < 0) return undefined;
  const lines = text.slice(0, end).split('\n');
  for (const { lines: p, copies } of PERIODS) {
    const n = p * copies;
    if (lines.length < n) continue;
    const tail = lines.slice(lines.length - n);
    const block = tail.slice(0, p);
    if (block.join('').replace(/\s/g, '').length < MIN_BLOCK_CHARS) continue;
    if (!tail.every((line, i) => line === block[i % p])) continue;
    // Offset of the end of the first copy: every line before it, the copy itself, and their newlines.
    const keep = lines.length - n + p;
    return lines.slice(0, keep).reduce((sum, line) => sum + line.length + 1, 0);
  }
  return undefined;
}
