from module import dedupe_emails


def test_keeps_first_spelling_and_order():
    assert dedupe_emails(["A@x.org", "b@x.org", "a@X.org", "B@x.org", "c@x.org"]) == ["A@x.org", "b@x.org", "c@x.org"]


def test_empty():
    assert dedupe_emails([]) == []


def test_whitespace_is_ignored_for_matching_but_kept_in_output():
    assert dedupe_emails([" a@x.org", "a@x.org "]) == [" a@x.org"]


def test_unicode_addresses():
    assert dedupe_emails(["ÉLODIE@x.fr", "élodie@x.fr", "zoë@x.nl"]) == ["ÉLODIE@x.fr", "zoë@x.nl"]


def test_does_not_modify_input():
    emails = ["a@x.org", "A@x.org"]
    dedupe_emails(emails)
    assert emails == ["a@x.org", "A@x.org"]
