// Reference: the same recurrence computed bottom-up, keeping only the last two results (O(n)).

export function decodeWays(digits: string): bigint {
  if (!/^\d*$/.test(digits)) throw new RangeError(`not a digit string: ${digits}`);
  if (digits.length === 0) return 0n;
  let next = 1n; // count(i + 1)
  let nextNext = 0n; // count(i + 2)
  for (let i = digits.length - 1; i >= 0; i--) {
    let ways = 0n;
    if (digits[i] !== '0') {
      ways = next;
      if (i + 1 < digits.length && Number(digits.slice(i, i + 2)) <= 26) ways += nextNext;
    }
    nextNext = next;
    next = ways;
  }
  return next;
}
