"""Where the population check meets the dossiers app's events (connected in apps.ready):
the clerk's confirmed look-up at reception (inside the reception's transaction, so Mẫu 01
can say so), the VNeID citizen's online submission, and the receipt's line."""

from datetime import timedelta

from django.dispatch import receiver
from django.utils import timezone

from dossiers import public_identity
from dossiers.signals import dossier_receiving, dossier_submitted

from . import population
from .models import PopulationCheck, PopulationLookup

# Where the VNeID callback keeps the birth date VNeID asserted (the session, server side).
BIRTHDATE_KEY = "population_vneid_birthdate"
ONLINE_REASON = "Nộp hồ sơ trực tuyến, công dân đăng nhập bằng VNeID"


def posted_lookup(actor, data) -> PopulationLookup | None:
    """The look-up the reception form names (``population_lookup``), when it is this clerk's
    own, recent, not yet used for a dossier, and either confirmed by the clerk after a match
    (``population_confirm``) or a look-up the database did not answer. Anything else posted
    is ignored: the dossier is then received without a check."""
    raw = str(data.get("population_lookup") or "")
    if not raw.isdigit() or actor is None:
        return None
    since = timezone.now() - timedelta(seconds=population.FRESH_SECONDS)
    lookup = PopulationLookup.objects.filter(
        pk=int(raw), actor=actor, dossier__isnull=True, at__gte=since
    ).first()
    if lookup is None:
        return None
    if lookup.result == PopulationLookup.Result.MATCH and data.get("population_confirm") != "1":
        return None
    return lookup


def replaced_papers(*, procedure, actor, data) -> set[int]:
    """hooks.RECEPTION_WAIVERS: the procedure's papers CSDLQG về dân cư replaces, once the
    clerk confirmed a match for the identity number the form names."""
    lookup = posted_lookup(actor, data)
    if lookup is None or lookup.result != PopulationLookup.Result.MATCH:
        return set()
    if lookup.id_number != str(data.get("id_number") or "").strip():
        return set()
    catalogue = dict(procedure.components.values_list("name", "pk"))
    return {catalogue[name] for name in population.replaced_components(catalogue)}


@receiver(dossier_receiving, dispatch_uid="integrations.population.reception")
def check_at_reception(sender, dossier, actor, data, **kwargs):
    lookup = posted_lookup(actor, data)
    if lookup is not None:
        population.check_dossier(dossier, lookup)


@receiver(dossier_submitted, dispatch_uid="integrations.population.online")
def check_online(sender, dossier, request, **kwargs):
    """A dossier submitted by a citizen signed in with VNeID, for themself: the portal looks
    them up with what VNeID asserted (number, name, birth date) and marks the dossier."""
    citizen = public_identity.current_citizen(request) if request is not None else None
    if citizen is None or citizen.provider != "vneid":
        return
    birth = request.session.get(BIRTHDATE_KEY, "")
    if citizen.id_number != dossier.applicant.id_number or not birth:
        return
    try:
        lookup = population.look_up(
            actor=None,
            id_number=citizen.id_number,
            full_name=citizen.name,
            birth_date=birth,
            dossier=dossier,
            reason=ONLINE_REASON,
            procedure_code=dossier.procedure.national_code,
            channel="vneid",
            request=request,
        )
    except population.PopulationError:
        return  # VNeID asserted something the database cannot be asked with: no check
    population.check_dossier(dossier, lookup)


def receipt_lines(dossier) -> list[tuple[str, str]]:
    """hooks.RECEIPT_LINES: what Mẫu 01 says of the applicant's check with CSDLQG về dân cư."""
    check = PopulationCheck.objects.filter(dossier=dossier).first()
    if check is None:
        return []
    if not check.verified:
        return [
            ("Xác thực người nộp", "chưa xác thực – CSDLQG về dân cư không phản hồi khi tiếp nhận")
        ]
    text = "thông tin người nộp đã xác thực với CSDLQG về dân cư"
    if check.waived:
        text += f". Không yêu cầu nộp: {'; '.join(check.waived)}"
    return [("Xác thực người nộp", text)]
