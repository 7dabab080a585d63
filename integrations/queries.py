"""Reads of the sync with DVCQG shared by the dossier panel, the reconciliation page, the API
and ``manage.py sync_national``: always within the user's scope (dossiers.queries)."""

from django.db.models import Case, Count, Max, Min, Q, When

from digitization.queries import may, scoped_dossier  # noqa: F401 - one scope rule for panels
from dossiers.queries import scoped_dossiers
from dossiers.roles import Role

from .models import DossierSync, NationalMessage

# Who may put a rejected message back in line: the counter that answers for the dossier, its
# leaders, the office that watches the province, the administrators.
RESEND_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.DISTRICT_OFFICE, Role.ADMIN})
RESEND_REFUSED = "Chỉ cán bộ một cửa, lãnh đạo hoặc quản trị được gửi lại."
# Who sees the reconciliation list.
LIST_ROLES = RESEND_ROLES


def sync_of(dossier) -> DossierSync | None:
    return DossierSync.objects.filter(dossier=dossier).first()


def open_messages(sync, limit=20):
    """The messages of a dossier not yet taken by the platform, in order."""
    return list(
        NationalMessage.objects.filter(sync=sync)
        .exclude(state=NationalMessage.State.SENT)
        .order_by("seq")[:limit]
    )


def with_counts(queryset):
    unsent = ~Q(messages__state=NationalMessage.State.SENT)
    return queryset.annotate(
        unsent=Count("messages", filter=unsent),
        attempts=Max("messages__attempts", filter=unsent),
        waiting_since=Min("messages__queued_at", filter=unsent),
        next_attempt=Min("messages__next_attempt_at", filter=unsent),
    )


def unsynced(user=None, *, state=None, code=""):
    """Dossiers not in sync (within ``user``'s scope; all of them for ``user=None``, the
    management command), errors first, then the longest waiting."""
    rows = DossierSync.objects.exclude(state=DossierSync.State.SYNCED)
    if user is not None:
        rows = rows.filter(dossier__in=scoped_dossiers(user))
    if state:
        rows = rows.filter(state=state)
    if code:
        rows = rows.filter(dossier__code__icontains=code.strip()[:48])
    return with_counts(
        rows.select_related("dossier", "dossier__procedure", "dossier__current_unit")
    ).order_by(Case(When(state=DossierSync.State.ERROR, then=0), default=1), "updated_at", "pk")


def counts(user=None) -> dict:
    """{state: number of dossiers} within the scope (the page's chips)."""
    rows = DossierSync.objects.all()
    if user is not None:
        rows = rows.filter(dossier__in=scoped_dossiers(user))
    return dict(rows.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
