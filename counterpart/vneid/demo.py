"""The counterpart VNeID's demo citizens (idempotent)."""


def load():
    """Create the demo citizens and the portal's OpenID client (filled in by the VNeID work)."""
