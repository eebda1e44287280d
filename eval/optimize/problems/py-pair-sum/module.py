"""Counts pairs of transactions that cancel out (amounts summing to a target), for a reconciliation report."""


def count_pairs_with_sum(amounts, target):
    """Number of index pairs i < j with amounts[i] + amounts[j] == target.

    >>> count_pairs_with_sum([1, 2, 3, 4], 5)
    2
    """
    count = 0
    for i in range(len(amounts)):
        for j in range(i + 1, len(amounts)):
            if amounts[i] + amounts[j] == target:
                count += 1
    return count
