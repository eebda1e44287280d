"""Reference: one pass with a counter of the amounts seen so far, O(n)."""

from collections import Counter


def count_pairs_with_sum(amounts, target):
    seen = Counter()
    count = 0
    for a in amounts:
        count += seen[target - a]
        seen[a] += 1
    return count
