"""Fast but wrong: de-duplicates through a dict keyed by the normalised address, so the LAST spelling wins."""


def dedupe_emails(emails):
    by_key = {}
    for email in emails:
        by_key[email.strip().lower()] = email
    return list(by_key.values())
