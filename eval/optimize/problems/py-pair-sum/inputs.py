"""Inputs for count_pairs_with_sum: n amounts in cents from a small range (so pairs and doubles occur), and a target."""

import random


def make_input(n, seed):
    rng = random.Random(seed)
    amounts = [rng.randrange(-500, 500) for _ in range(n)]
    target = rng.randrange(-100, 100) * 2
    return (amounts, target)
