"""Correct but slower: re-normalises every kept address for each membership test instead of remembering the keys."""


def dedupe_emails(emails):
    result = []
    for email in emails:
        key = email.strip().lower()
        if key not in [kept.strip().lower() for kept in result]:
            result.append(email)
    return result
