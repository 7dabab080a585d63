"""The national neighbours around the counter, behind one interface each (design.md).

Why an app of its own: the national public-service portal (DVCQG), VNeID, the population
database, the payment platform and the post are boundaries the portal does not own. Each has
its own protocol, credentials, failure modes and legal text; none is a business rule of the
counter. This app keeps them apart from the lower apps: it listens to their events (signals,
hooks), writes what it owes each platform to its own outbox in the same transaction as the
change, and sends it from a worker after commit. ``dossiers`` and ``digitization`` never
import it.

The local counterpart of the platforms (``counterpart/``, a separate process on its own port)
lets ``make run`` and the tests cross a real HTTP boundary.
"""
