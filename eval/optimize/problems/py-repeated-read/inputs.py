"""Inputs for label_entries: n log entries and a read_text() standing in for reading users.json from disk.

The "I/O" is simulated in memory on purpose (no files in the sandbox's cwd, nothing left behind): read_text copies
the stored bytes and decodes them on every call, a per-call cost that grows with the file like a real read would.
"""

import json
import random


def make_input(n, seed):
    rng = random.Random(seed)
    users = {str(i): f"User {i} ({rng.choice(['de', 'fr', 'jp'])})" for i in range(max(1, n // 4))}
    stored = json.dumps(users, ensure_ascii=False).encode("utf-8")

    def read_text():
        return bytes(bytearray(stored)).decode("utf-8")

    entries = [(rng.randrange(n // 4 + 5), f"event {k} ✓") for k in range(n)]
    return (entries, read_text)
