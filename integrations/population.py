"""Look-ups in CSDLQG về dân cư and the check a dossier carries (issue 19, part 1).

:func:`look_up` asks the database through the PopulationRegistry adapter and logs the
look-up, whatever its outcome, in PopulationLookup (the provincial police's usage report reads
it). :func:`check_dossier` marks a dossier and its applicant verified — or "chưa xác thực –
CSDLQG không phản hồi" — from a look-up the clerk confirmed at reception or the portal made
for a citizen signed in with VNeID. The identity number is stored in the look-up row only:
never in a URL, a log line or the audit trail's data."""

import json
import re
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_ratelimit.core import get_usage

from core.errors import PortalError
from dossiers.addresses import todays_commune
from dossiers.queries import staff_unit
from dossiers.services.access import log_access
from dossiers.text import fold

from .adapters.population import registry
from .models import PopulationCheck, PopulationLookup
from .platforms import (
    NotConfiguredError,
    PersonMismatchError,
    PersonNotFoundError,
    PlatformError,
    TransientError,
)

DATA = json.loads((Path(__file__).parent / "data" / "population.json").read_text("utf-8"))
ID_NUMBER = re.compile(r"[0-9]{12}")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
Result = PopulationLookup.Result
NO_PURPOSE = (
    "Chưa nêu mục đích tra cứu: mỗi lượt tra cứu CSDLQG về dân cư phải gắn với một hồ sơ hoặc "
    "ghi rõ lý do."
)
TOO_MANY = (
    "Tài khoản đã tra cứu CSDLQG về dân cư {limit} lần trong một giờ (giới hạn của tỉnh). "
    "Vui lòng đợi rồi thử lại, hoặc kiểm tra giấy tờ của người nộp và tiếp nhận như bình thường."
)
# A confirmed look-up is good for the reception it was made for, not for a later day.
FRESH_SECONDS = 2 * 3600


class PopulationError(PortalError):
    """A look-up refused before it was sent (bad input, no purpose, rate limit)."""


def parse_birth_date(text: str) -> str:
    """The database's form (yyyy-mm-dd, or yyyy when only the year is known) of what was
    typed (dd/mm/yyyy, yyyy-mm-dd or yyyy)."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    for shape in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = datetime.strptime(text, shape).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        if day > date.today() or day.year < 1900:
            break
        return day.isoformat()
    raise PopulationError(
        "Ngày sinh không hợp lệ: nhập theo dạng ngày/tháng/năm (vd 15/06/2001).", field="birth_date"
    )


def _clean(text) -> str:
    """One line of text, without control characters (PostgreSQL refuses NUL)."""
    return " ".join(CONTROL.sub(" ", str(text or "")).split())


def _check_input(id_number, full_name, birth_date, dossier, reason):
    if not ID_NUMBER.fullmatch(id_number):
        raise PopulationError("Số định danh cá nhân phải gồm đúng 12 chữ số.", field="id_number")
    if not full_name:
        raise PopulationError("Nhập họ và tên như trên thẻ Căn cước.", field="full_name")
    birth = parse_birth_date(birth_date)
    if dossier is None and not reason:
        raise PopulationError(NO_PURPOSE, field="reason")
    return birth


def _limited(actor) -> bool:
    """Count one look-up of ``actor`` in this hour; True once past the hour's limit."""
    if actor is None:
        return False
    usage = get_usage(
        None,
        group="population-lookups",
        key=lambda group, request: f"user:{actor.pk}",
        rate=f"{settings.POPULATION_LOOKUPS_PER_HOUR}/h",
        increment=True,
    )
    return bool(usage and usage["should_limit"])


def look_up(
    *,
    actor,
    id_number,
    full_name,
    birth_date,
    dossier=None,
    reason="",
    procedure_code="",
    channel="counter",
    request=None,
) -> PopulationLookup:
    """Ask CSDLQG về dân cư whether ``id_number``, ``full_name`` and ``birth_date`` are one
    person; the saved look-up row (its ``result``, ``message`` and, on a match, ``record``).

    Refuses (PopulationError, nothing sent, nothing logged) bad input and a look-up with
    neither ``dossier`` nor ``reason``. Past the account's hourly limit the look-up is logged
    as LIMITED and refused. Every other outcome — match, unknown number, mismatch, database
    down or slow, not connected — is one row, written in its own transaction with one ACCESS
    audit row (which names the look-up, not the number)."""
    id_number = (id_number or "").strip()
    full_name = _clean(full_name)
    reason = _clean(reason)[:300]
    birth = _check_input(id_number, full_name, birth_date, dossier, reason)
    row = PopulationLookup(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit=staff_unit(actor),
        channel=channel,
        id_number=id_number,
        full_name=full_name[:200],
        birth_date=birth,
        procedure_code=(procedure_code or "")[:20],
        dossier=dossier,
        reason=reason,
    )
    if _limited(row.actor):
        row.result = Result.LIMITED
        row.message = TOO_MANY.format(limit=settings.POPULATION_LOOKUPS_PER_HOUR)
        _save(row, request)
        raise PopulationError(row.message, status=429)
    row.result, row.message, row.record = _ask(row, actor)
    _save(row, request)
    return row


def _ask(row, actor):
    try:
        found = registry().look_up(
            id_number=row.id_number,
            full_name=row.full_name,
            birth_date=row.birth_date,
            officer=actor.get_username()[:20] if row.actor else "cong-dan-vneid",
            procedure=row.procedure_code,
        )
    except PersonNotFoundError as exc:
        return Result.NOT_FOUND, exc.reason, {}
    except PersonMismatchError as exc:
        return Result.MISMATCH, exc.reason, {"fields": list(exc.fields)}
    except NotConfiguredError as exc:
        return Result.NOT_CONFIGURED, exc.reason, {}
    except TransientError as exc:
        return Result.UNAVAILABLE, _silent(exc.reason), {}
    except PlatformError as exc:
        return Result.UNAVAILABLE, _silent(exc.reason), {}
    return Result.MATCH, "Thông tin người nộp khớp với CSDLQG về dân cư.", _record(found)


def _day_label(text: str) -> str:
    """dd/mm/yyyy of the database's yyyy-mm-dd (a year alone, or anything else, unchanged)."""
    parts = text.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else text


def _silent(reason):
    return f"{reason} Kiểm tra giấy tờ của người nộp và tiếp nhận như bình thường."


def _record(found) -> dict:
    return {
        "full_name": found.full_name,
        "birth_date": found.birth_date,
        "birth_label": _day_label(found.birth_date),
        "sex": found.sex,
        "ethnicity": found.ethnicity,
        "permanent_address": found.permanent_address,
        "permanent_today": todays_address(found.permanent_address),
        "current_address": found.current_address,
        "current_today": todays_address(found.current_address),
    }


@transaction.atomic
def _save(row, request):
    row.save(force_insert=True)
    log_access(
        "population.lookup",
        actor=row.actor,
        target=row.dossier,
        request=request,
        reason=row.reason,
        data={"lookup": row.pk, "result": row.result, "channel": row.channel},
    )


ADMIN_PARTS = re.compile(r"^(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)\s")


def todays_address(address: str) -> str:
    """``address`` written with today's commune (the map since 1/7/2025): the village or
    street kept, the commune or ward in force, the province; unchanged when no commune of the
    province is named."""
    commune = todays_commune(address) if address else None
    if commune is None:
        return address
    parts = [p.strip() for p in address.split(",") if p.strip()]
    kept = [p for p in parts if not ADMIN_PARTS.match(fold(p))]
    province = next((p for p in reversed(parts) if fold(p).startswith("tinh ")), "")
    name = commune.name.removeprefix("UBND ")
    return ", ".join([*kept, name[:1].lower() + name[1:], *([province] if province else [])])


def replaced_components(names) -> list[str]:
    """Those of ``names`` (a dossier's component names) whose paper CSDLQG về dân cư replaces
    (data/population.json ``replaced_papers``)."""
    wanted = [fold(w) for w in DATA["replaced_papers"]["name_contains"]]
    return [n for n in names if any(w in fold(n) for w in wanted)]


@transaction.atomic
def check_dossier(dossier, lookup: PopulationLookup) -> PopulationCheck | None:
    """Mark ``dossier`` and its applicant against CSDLQG về dân cư from ``lookup``: VERIFIED
    when it matched for the applicant's own identity number, UNAVAILABLE when the database did
    not answer; the components it replaces are listed as not asked for. Idempotent (one check
    per dossier, the first one stays); None when the look-up cannot vouch for this dossier
    (another person, a mismatch, too old). The look-up is linked to the dossier."""
    applicant = dossier.applicant
    if lookup.id_number != applicant.id_number:
        return None
    if lookup.result == Result.MATCH:
        state = PopulationCheck.State.VERIFIED
    elif lookup.result == Result.UNAVAILABLE:
        state = PopulationCheck.State.UNAVAILABLE
    else:
        return None
    if lookup.dossier_id is None:
        PopulationLookup.objects.filter(pk=lookup.pk).update(dossier=dossier)
    # The procedure's list (not what was handed in: a paper not asked for was not ticked).
    names = list(dossier.procedure.components.values_list("name", flat=True))
    check, _ = PopulationCheck.objects.get_or_create(
        dossier=dossier,
        defaults={
            "applicant": applicant,
            "lookup": lookup,
            "state": state,
            "waived": replaced_components(names) if state == PopulationCheck.State.VERIFIED else [],
        },
    )
    return check
