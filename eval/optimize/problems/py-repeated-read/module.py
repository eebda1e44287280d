"""Resolves the display name of each log entry's user from the users file, for the audit export."""

import json


def label_entries(entries, read_text):
    """Return 'name: message' for each (user_id, message) entry; unknown users are labelled '?'.

    read_text() returns the current contents of users.json (a JSON object mapping id strings to names); it is the
    project's file-reading helper, passed in so tests need no files.
    """
    labels = []
    for user_id, message in entries:
        users = json.loads(read_text())
        name = users.get(str(user_id), "?")
        labels.append(f"{name}: {message}")
    return labels
