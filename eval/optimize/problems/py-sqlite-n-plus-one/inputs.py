"""Inputs for order_totals: an in-memory SQLite database (schema.sql's tables, no index on orders.customer_id, as the
project ships it) with n customers and ~3n orders, and n requested ids (some repeated, some unknown)."""

import random
import sqlite3

SCHEMA = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    amount_cents INTEGER NOT NULL
);
"""


def make_input(n, seed):
    rng = random.Random(seed)
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO customers (id, name) VALUES (?, ?)", [(i, f"Customer {i} ✓") for i in range(1, n + 1)]
    )
    # About a quarter of the customers have no orders.
    buyers = rng.sample(range(1, n + 1), k=max(1, (3 * n) // 4))
    conn.executemany(
        "INSERT INTO orders (customer_id, amount_cents) VALUES (?, ?)",
        [(rng.choice(buyers), rng.randrange(100, 100_000)) for _ in range(3 * n)],
    )
    conn.commit()
    ids = [rng.randrange(1, n + n // 10 + 2) for _ in range(n)]
    return (conn, ids)
