"""Order-preserving de-duplication of customer e-mail addresses (reference: a set of seen keys, O(n))."""


def dedupe_emails(emails):
    seen = set()
    result = []
    for email in emails:
        key = email.strip().lower()
        if key not in seen:
            seen.add(key)
            result.append(email)
    return result
