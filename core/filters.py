"""Conditions that several lists build from a form's optional fields."""

from django.db.models import Q


def on_days(field, first=None, last=None) -> Q:
    """``field`` (a date-time column) falls on a local day from ``first`` to ``last``,
    both included; either may be missing (no bound on that side)."""
    q = Q()
    if first:
        q &= Q(**{f"{field}__date__gte": first})
    if last:
        q &= Q(**{f"{field}__date__lte": last})
    return q
