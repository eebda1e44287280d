"""Inputs for running_medians: n integer latencies in milliseconds with repeats and a long tail."""

import random


def make_input(n, seed):
    rng = random.Random(seed)
    return ([int(rng.lognormvariate(4, 0.8)) for _ in range(n)],)
