"""The per-username lock-out across addresses, beside django-axes' per (username, address) one.

django-axes locks a username at one address after ``LOGIN_FAILURE_LIMIT`` wrong passwords, so
that a colleague behind the same counter router keeps working. Guessing one account's password
from many addresses never met that lock; this one counts a username's failures from every
address: ``LOGIN_USERNAME_FAILURE_LIMIT`` in an hour lock it for ``LOGIN_USERNAME_LOCK_MINUTES``,
doubled for each further lock within a day (15, 30, 60 … minutes, at most a day): never a
permanent lock that an attacker could impose on a clerk. Counted in the ``limits`` cache.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied

from core.cache import bump

HOUR_S, DAY_S = 3600, 24 * 3600


def _keys(username):
    name = str(username or "")[:150]
    return f"login-failures:{name}", f"login-strikes:{name}", f"login-lock:{name}"


def locked_for(username) -> int:
    """Seconds the username is still locked for (0: not locked)."""
    until = caches["limits"].get(_keys(username)[2]) or 0
    return max(0, int(until - time.time()) + 1) if until > time.time() else 0


def failed(username) -> int:
    """Count a wrong password for ``username`` from any address; lock it at the limit. Returns
    the lock's length in seconds when this failure set one, else 0."""
    cache = caches["limits"]
    failures_key, strikes_key, lock_key = _keys(username)
    if bump(cache, failures_key, HOUR_S) < settings.LOGIN_USERNAME_FAILURE_LIMIT:
        return 0
    strikes = bump(cache, strikes_key, DAY_S)
    lock_s = min(settings.LOGIN_USERNAME_LOCK_MINUTES * 60 * 2 ** (strikes - 1), DAY_S)
    cache.set(lock_key, time.time() + lock_s, lock_s)
    cache.delete(failures_key)
    return lock_s


def clear(username):
    """Forget a username's failures and lock (``manage.py unlock_login USERNAME``)."""
    caches["limits"].delete_many(list(_keys(username)))


class UsernameLockBackend:
    """First in AUTHENTICATION_BACKENDS: no backend checks a password for a locked username,
    whatever form asks (the staff login, the admin's). The staff login form says why first."""

    def authenticate(self, request, username=None, **credentials):
        if username is not None and locked_for(username):
            raise PermissionDenied("username locked")
        return None  # never a user: no get_user() either, so sessions never name this backend
