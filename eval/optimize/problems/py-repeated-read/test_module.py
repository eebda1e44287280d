import json

import pytest

from module import label_entries


def reader(users):
    text = json.dumps(users)
    calls = []

    def read_text():
        calls.append(1)
        return text

    return read_text, calls


def test_labels():
    read_text, _ = reader({"1": "Ada", "2": "Zoë"})
    assert label_entries([(1, "login"), (2, "logout"), (1, "x")], read_text) == ["Ada: login", "Zoë: logout", "Ada: x"]


def test_unknown_user():
    read_text, _ = reader({"1": "Ada"})
    assert label_entries([(9, "boom")], read_text) == ["?: boom"]


def test_empty_entries_read_nothing():
    read_text, calls = reader({})
    assert label_entries([], read_text) == []
    assert calls == []


def test_bad_users_file_raises():
    with pytest.raises(json.JSONDecodeError):
        label_entries([(1, "x")], lambda: "{not json")
