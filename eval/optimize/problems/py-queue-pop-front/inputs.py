"""Inputs for build_order: a wide random dependency graph of n packages (a shallow tree plus cross edges), so the queue
holds a large share of the graph at once, and three roots (one repeated)."""

import random


def make_input(n, seed):
    rng = random.Random(seed)
    names = [f"pkg-{seed}-{i}" for i in range(n)]
    deps = {name: [] for name in names}
    for i in range(1, n):
        parent = names[rng.randrange(max(1, min(i, 8)))]  # few hubs → a wide frontier
        deps[parent].append(names[i])
    for _ in range(n // 4):
        a, b = rng.randrange(n), rng.randrange(n)
        deps[names[a]].append(names[b])
    roots = [names[0], names[0], names[rng.randrange(n)]]
    return (deps, roots)
