"""Placeholder replaced by the trained classifier (see the sentiment commit)."""


def classifier():
    return None
