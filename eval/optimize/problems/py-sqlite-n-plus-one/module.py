"""Per-customer order totals for the monthly statement, read from the shop's SQLite database."""


def order_totals(conn, customer_ids):
    """Map each requested customer id to (name, number of orders, total in cents); unknown ids are skipped.

    Customers without orders get (name, 0, 0). The result keeps the order of customer_ids (first occurrence).
    """
    totals = {}
    for customer_id in customer_ids:
        if customer_id in totals:
            continue
        row = conn.execute("SELECT name FROM customers WHERE id = ?", (customer_id,)).fetchone()
        if row is None:
            continue
        count, cents = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM orders WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()
        totals[customer_id] = (row[0], count, cents)
    return totals
