import sqlite3

import pytest

from module import order_totals


@pytest.fixture()
def conn():
    c = sqlite3.connect(":memory:")
    with open(__file__.replace("test_module.py", "schema.sql")) as f:
        c.executescript(f.read())
    c.executemany("INSERT INTO customers VALUES (?, ?)", [(1, "Ada"), (2, "Bob"), (3, "Zoë")])
    c.executemany(
        "INSERT INTO orders (customer_id, amount_cents) VALUES (?, ?)",
        [(1, 1000), (1, 250), (3, 99)],
    )
    return c


def test_totals_in_request_order(conn):
    assert list(order_totals(conn, [3, 1]).items()) == [(3, ("Zoë", 1, 99)), (1, ("Ada", 2, 1250))]


def test_customer_without_orders(conn):
    assert order_totals(conn, [2]) == {2: ("Bob", 0, 0)}


def test_unknown_and_repeated_ids(conn):
    assert order_totals(conn, [42, 1, 1]) == {1: ("Ada", 2, 1250)}


def test_empty_request(conn):
    assert order_totals(conn, []) == {}
