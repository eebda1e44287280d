"""Reference: reads and parses the users file once, before the loop (the file cannot change during the call)."""

import json


def label_entries(entries, read_text):
    if not entries:
        return []
    users = json.loads(read_text())
    return [f"{users.get(str(user_id), '?')}: {message}" for user_id, message in entries]
