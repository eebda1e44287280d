"""Order-preserving de-duplication of customer e-mail addresses before a mailing."""


def dedupe_emails(emails):
    """Return the addresses with case-insensitive duplicates removed, keeping the first spelling of each.

    >>> dedupe_emails(["A@x.org", "b@x.org", "a@X.org"])
    ['A@x.org', 'b@x.org']
    """
    seen = []
    result = []
    for email in emails:
        key = email.strip().lower()
        if key not in seen:
            seen.append(key)
            result.append(email)
    return result
