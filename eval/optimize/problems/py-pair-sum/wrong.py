"""Fast but wrong: counts each value against all equal partners including itself (pairs i == j when 2*a == target)."""

from collections import Counter


def count_pairs_with_sum(amounts, target):
    counts = Counter(amounts)
    total = sum(c * counts[target - a] for a, c in counts.items())
    return total // 2
