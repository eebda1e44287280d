"""Running median of response times for the latency dashboard (one value per new sample)."""


def running_medians(samples):
    """For each prefix samples[:i+1], its median (mean of the two middle values for an even count).

    >>> running_medians([5, 1, 3])
    [5, 3.0, 3]
    """
    medians = []
    window = []
    for value in samples:
        window.append(value)
        ordered = sorted(window)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            medians.append(ordered[mid])
        else:
            medians.append((ordered[mid - 1] + ordered[mid]) / 2)
    return medians
