// Counts how many ways a digit string can be read as letters (1 = A … 26 = Z), for the puzzle hint generator.

/**
 * Number of ways to split `digits` into codes 1–26 (no leading zeros), as a bigint since it grows like Fibonacci.
 * @example decodeWays('226') // => 3n
 */
export function decodeWays(digits: string): bigint {
  if (!/^\d*$/.test(digits)) throw new RangeError(`not a digit string: ${digits}`);
  const count = (i: number): bigint => {
    if (i === digits.length) return 1n;
    if (digits[i] === '0') return 0n;
    let ways = count(i + 1);
    if (i + 1 < digits.length && Number(digits.slice(i, i + 2)) <= 26) ways += count(i + 2);
    return ways;
  };
  return digits.length === 0 ? 0n : count(0);
}
