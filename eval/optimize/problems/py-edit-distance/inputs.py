"""Inputs for edit_distance: two random words of length n over a small alphabet (so matches and mismatches mix)."""

import random


def make_input(n, seed):
    rng = random.Random(seed)
    a = "".join(rng.choice("abcd") for _ in range(n))
    b = "".join(rng.choice("abcd") for _ in range(n + rng.randrange(-1, 2)))
    return (a, b)
