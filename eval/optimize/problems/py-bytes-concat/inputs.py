"""Inputs for encode_frame: n readings (sensor id, value, name), some names with non-ASCII characters."""

import random

NAMES = ["temp", "humidity", "pressure", "température", "luftfeuchte", "気圧", "co2"]


def make_input(n, seed):
    rng = random.Random(seed)
    readings = [
        (rng.randrange(65536), rng.uniform(-50.0, 50.0), f"{rng.choice(NAMES)}-{rng.randrange(100)}") for _ in range(n)
    ]
    return (readings,)
