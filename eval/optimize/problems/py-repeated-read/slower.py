"""Correct but slower: reads the users file for each entry (as the original does) and parses it twice to validate."""

import json


def label_entries(entries, read_text):
    labels = []
    for user_id, message in entries:
        text = read_text()
        if not isinstance(json.loads(text), dict):
            raise ValueError("users.json must be an object")
        users = json.loads(text)
        labels.append(f"{users.get(str(user_id), '?')}: {message}")
    return labels
