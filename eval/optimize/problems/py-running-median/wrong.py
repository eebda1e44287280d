"""Fast but wrong: takes the upper middle value for even counts instead of the mean of the two middle values."""

import heapq


def running_medians(samples):
    lower = []
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
        medians.append(-lower[0] if len(lower) > len(upper) else upper[0])
    return medians
