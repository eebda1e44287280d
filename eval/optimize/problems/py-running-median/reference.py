"""Reference: two heaps (a max-heap of the lower half, a min-heap of the upper half), O(log n) per sample."""

import heapq


def running_medians(samples):
    lower = []  # max-heap via negated values
    upper = []
    medians = []
    for value in samples:
        if not lower or value <= -lower[0]:
            heapq.heappush(lower, -value)
        else:
            heapq.heappush(upper, value)
        if len(lower) > len(upper) + 1:
            heapq.heappush(upper, -heapq.heappop(lower))
        elif len(upper) > len(lower):
            heapq.heappush(lower, -heapq.heappop(upper))
        if len(lower) > len(upper):
            medians.append(-lower[0])
        else:
            medians.append((-lower[0] + upper[0]) / 2)
    return medians
