"""Inputs for dedupe_emails: n addresses of about n/2 distinct people, with random capitalisation and padding."""

import random


def make_input(n, seed):
    rng = random.Random(seed)
    people = max(1, n // 2)
    emails = []
    for _ in range(n):
        user = f"user{rng.randrange(people)}@example.org"
        spelled = "".join(c.upper() if rng.random() < 0.2 else c for c in user)
        emails.append(" " * rng.randrange(2) + spelled)
    return (emails,)
