// Correct but slower: the same plain recursion, collecting both branches in an array and summing it with reduce.

export function decodeWays(digits: string): bigint {
  if (!/^\d*$/.test(digits)) throw new RangeError(`not a digit string: ${digits}`);
  const count = (i: number): bigint => {
    if (i === digits.length) return 1n;
    if (digits[i] === '0') return 0n;
    const branches = [count(i + 1)];
    if (i + 1 < digits.length && Number.parseInt(`${digits[i]}${digits[i + 1]}`, 10) <= 26) branches.push(count(i + 2));
    return branches.reduce((sum, ways) => sum + ways, 0n);
  };
  return digits.length === 0 ? 0n : count(0);
}
