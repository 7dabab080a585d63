"""What the public site reads of a dossier, by its code and a second factor.

Two reads, one rule for the factor:

- :func:`public_status` — the status page and API: one SQL statement returning the dossier's
  public fields and its steps (``json_agg``), nothing private. It is the hot path of the
  public site (bench/bench_status_page.py: a million dossiers under wrk), hence hand-written
  SQL: no ORM compilation, one round trip, no model instances.
- :func:`public_lookup` — the rating service: the ``Dossier`` row itself (ORM), for a write.

The factor is the check code printed on the receipt, or the last four digits of the
applicant's phone; it is compared in constant time, and neither read says which of code or
factor was wrong.
"""

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.db.models.functions import Coalesce

from .models import Applicant, Dossier, DossierEvent
from .models.dossier import lateness
from .validators import DOSSIER_CODE
from .workflow import PUBLIC_LABELS, PUBLIC_NOTES, PUBLIC_STEP_LABELS

# Every shape of code issued (validators.DOSSIER_CODE): TT 01/2018, TT 03/2025, TT 04/2025.
CODE_SHAPE = re.compile(DOSSIER_CODE)
# A check code (letters and digits) or the last four digits of a phone number.
FACTOR_SHAPE = re.compile(r"[A-Z0-9]{4,8}")
# Steps whose receiving unit the citizen is shown (where the dossier went).
UNIT_SHOWN = frozenset({"assign", "transfer"})


def clean(code, factor):
    """(code, factor) normalised, or None when either cannot be one (no query then)."""
    code = (code or "").strip().upper()
    factor = (factor or "").strip().upper().replace(" ", "")
    if not CODE_SHAPE.fullmatch(code) or not FACTOR_SHAPE.fullmatch(factor):
        return None
    return code, factor


def is_phone_factor(factor: str) -> bool:
    """Whether a (cleaned) factor can only be the phone's last four digits: check codes have
    six characters."""
    return len(factor) == 4 and factor.isdigit()


def factor_matches(factor: str, check_code: str, phone_tail: str) -> bool:
    """The second factor is the check code, or the phone's last four digits (constant time)."""
    by_check = hmac.compare_digest(factor.encode(), (check_code or "").encode())
    by_phone = (
        is_phone_factor(factor)
        and len(phone_tail or "") == 4
        and hmac.compare_digest(factor.encode(), phone_tail.encode())
    )
    return by_check or by_phone


@dataclass(slots=True)  # not frozen: a frozen dataclass costs a setattr call per field
class PublicStatus:
    """A dossier as the public site shows it: no applicant, no documents, no staff names."""

    code: str
    state: str
    received_at: datetime | None
    appointment_at: datetime | None
    returned_at: datetime | None
    finished_at: datetime | None
    was_extended: bool
    late: bool
    procedure: str
    unit_name: str
    unit_address: str
    unit_phone: str
    steps: list  # [(moment, label, unit name or "", note for the citizen or "")], oldest first
    # The fee of the rules it was received under (None or 0: nothing to pay): higher apps'
    # lines on the page (hooks.PUBLIC_STATUS_LINES) skip a query when there is none.
    fee_vnd: int | None = None

    @property
    def state_label(self):
        return PUBLIC_LABELS[self.state]

    @property
    def collect_at(self):
        return ", ".join(filter(None, [self.unit_name, self.unit_address]))


# One statement: the dossier's public fields, the applicant's phone's last four digits only,
# and the steps as one JSON array of [at, action, to unit, note], oldest first. Scalar
# subqueries rather than joins: PostgreSQL plans them in a third of the time.
STATUS_SQL = """
SELECT d.check_code,
       (SELECT right(a.phone, 4) FROM dossiers_applicant a WHERE a.id = d.applicant_id),
       d.code, d.state, d.received_at, d.due_at, d.appointment_at, d.finished_at,
       d.returned_at, d.was_extended,
       (SELECT p.name FROM dossiers_procedure p WHERE p.id = d.procedure_id),
       CASE WHEN d.rules_id IS NULL
            THEN (SELECT p.fee_vnd FROM dossiers_procedure p WHERE p.id = d.procedure_id)
            ELSE (SELECT r.fee_vnd FROM dossiers_procedurerevision r WHERE r.id = d.rules_id)
       END,
       (SELECT json_build_array(u.name, u.address, u.phone)
          FROM dossiers_unit u WHERE u.id = d.receiving_unit_id),
       (SELECT json_agg(json_build_array(
                 e.at, e.action,
                 (SELECT tu.name FROM dossiers_unit tu WHERE tu.id = e.to_unit_id), e.note)
               ORDER BY e.at, e.id)
          FROM dossiers_dossierevent e WHERE e.dossier_id = d.id)
  FROM dossiers_dossier d
 WHERE d.code = %s
"""


def public_status(code: str, factor: str) -> PublicStatus | None:
    """The public view of the dossier ``code`` when ``factor`` matches; None otherwise (and for
    malformed input, without a query). One statement on PostgreSQL, prepared once per
    connection; the embedded SQLite reads the same through the ORM (two queries)."""
    cleaned = clean(code, factor)
    if cleaned is None:
        return None
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up
    if db.vendor != "postgresql":
        return _public_status_orm(*cleaned)
    row = _fetch_prepared(db, STATUS_SQL, [cleaned[0]])
    if row is None or not factor_matches(cleaned[1], row[0], row[1]):
        return None
    (
        _,
        _,
        code,
        state,
        received_at,
        due_at,
        appointment_at,
        finished_at,
        returned_at,
        was_extended,
        procedure,
        fee_vnd,
        (unit_name, unit_address, unit_phone),
        events,
    ) = row
    return PublicStatus(
        code=code,
        state=state,
        received_at=received_at,
        appointment_at=appointment_at,
        returned_at=returned_at,
        finished_at=finished_at,
        was_extended=was_extended,
        late=lateness(state, due_at, finished_at),
        procedure=procedure,
        unit_name=unit_name,
        unit_address=unit_address,
        unit_phone=unit_phone,
        steps=_steps((datetime.fromisoformat(at), *rest) for at, *rest in events or ()),
        fee_vnd=fee_vnd,
    )


def _fetch_prepared(db, sql, params):
    """The first row of ``sql`` run as a prepared statement of the connection ``db``.

    The status statement costs PostgreSQL more to plan than to run (0.1 ms against 0.08 ms);
    prepared once per (persistent, CONN_MAX_AGE) connection, later lookups skip the planning.
    Django's cursors bind parameters client-side and never prepare, so this one statement goes
    through a server-binding psycopg cursor, wrapped by Django's own cursor wrapper: errors
    are translated, and the query is logged and counted like any other. psycopg keeps at most
    ``prepared_max`` (100) statements per connection; PostgreSQL re-plans a prepared statement
    by itself when a table it reads changes."""
    db.ensure_connection()
    if db.connection.prepare_threshold is None:
        # Django turns psycopg's preparing off for the connection; its own cursors bind
        # client-side and never prepare, so turning it back on affects this cursor alone.
        db.connection.prepare_threshold = PREPARE_THRESHOLD
    raw = PreparedCursor(db.connection)
    wrap = db.make_debug_cursor if db.queries_logged else db.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


PREPARE_THRESHOLD = 5  # psycopg's default; PreparedCursor prepares at the first run anyway


class PreparedCursor(psycopg.Cursor):
    """A server-binding cursor that prepares what it runs (psycopg keeps the statement)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def _public_status_orm(code, factor):
    """:func:`public_status` through the ORM, for databases other than PostgreSQL."""
    return _status_orm(
        code, lambda d: factor_matches(factor, d.check_code, (d.applicant.phone or "")[-4:])
    )


def owned_public_status(code: str, id_number: str):
    """(the ``Dossier`` row, its :class:`PublicStatus`) for the dossier ``code`` when its
    applicant's identity number is ``id_number`` (the signed-in citizen's, as the identity
    provider asserted it); None otherwise, whether the code exists or not. No second factor:
    the provider's login stands for it. Not the hot path (the ORM, two queries)."""
    code = (code or "").strip().upper()
    if not CODE_SHAPE.fullmatch(code) or not id_number:
        return None
    return _status_orm(
        code,
        lambda d: hmac.compare_digest(d.applicant.id_number.encode(), id_number.encode()),
        with_row=True,
    )


def citizen_dossiers(id_number: str):
    """The dossiers whose applicant is ``id_number``, newest first (submitted online or
    received at a counter), with what the citizen's list shows: code, procedure, state,
    received and appointment moments. No applicant field is read."""
    return (
        Dossier.objects.filter(applicant__id_number=id_number)
        .select_related("procedure")
        .only(
            "code",
            "state",
            "received_at",
            "submitted_at",
            "appointment_at",
            "returned_at",
            "procedure__name",
        )
        .annotate(filed_at=Coalesce("received_at", "submitted_at"))
        .order_by(F("filed_at").desc(nulls_last=True), "-id")
    )


def applicant_by_id_number(id_number: str):
    """The applicant (its primary key only) whose identity number is ``id_number``, or None."""
    return Applicant.objects.filter(id_number=id_number).only("pk").first()


def _status_orm(code, accept, *, with_row=False):
    """The :class:`PublicStatus` of the dossier ``code`` when ``accept(dossier)`` (the row with
    its applicant's phone and identity number), with the row first when ``with_row``; None
    otherwise."""
    found = list(
        Dossier.objects.filter(code=code)
        .select_related("procedure", "receiving_unit", "applicant", "rules")
        .only(
            "code",
            "check_code",
            "state",
            "received_at",
            "due_at",
            "appointment_at",
            "finished_at",
            "returned_at",
            "was_extended",
            "procedure__name",
            "procedure__fee_vnd",
            "rules__fee_vnd",
            "receiving_unit__name",
            "receiving_unit__address",
            "receiving_unit__phone",
            "applicant__phone",
            "applicant__id_number",
        )
        .order_by()[:1]
    )
    if not found or not accept(found[0]):
        return None
    d = found[0]
    events = (
        DossierEvent.objects.filter(dossier=d)
        .order_by("at", "id")
        .values_list("at", "action", "to_unit__name", "note")
    )
    unit = d.receiving_unit
    status = PublicStatus(
        code=d.code,
        state=d.state,
        received_at=d.received_at,
        appointment_at=d.appointment_at,
        returned_at=d.returned_at,
        finished_at=d.finished_at,
        was_extended=d.was_extended,
        late=d.is_late,
        procedure=d.procedure.name,
        unit_name=unit.name,
        unit_address=unit.address,
        unit_phone=unit.phone,
        steps=_steps(events),
        fee_vnd=d.received_rules.fee_vnd,
    )
    return (d, status) if with_row else status


def _steps(events):
    """(moment, label, unit name, note for the citizen) of each step the citizen is shown."""
    steps = []
    for at, action, unit_name, note in events:
        label = PUBLIC_STEP_LABELS.get(action)
        if label is None:
            continue
        steps.append(
            (
                at,
                label,
                (unit_name or "") if action in UNIT_SHOWN else "",
                note if action in PUBLIC_NOTES else "",
            )
        )
    return steps


def public_lookup(code: str, factor: str):
    """The ``Dossier`` whose code is ``code`` when ``factor`` matches; None otherwise. For
    services that then write (the rating); pages read :func:`public_status`."""
    cleaned = clean(code, factor)
    if cleaned is None:
        return None
    # No ORDER BY (the code is unique): the model's default ordering would cost a sort.
    found = list(
        Dossier.objects.filter(code=cleaned[0])
        .select_related("applicant")
        .only("code", "check_code", "state", "applicant__phone")
        .order_by()[:1]
    )
    if not found:
        return None
    dossier = found[0]
    phone_tail = (dossier.applicant.phone or "")[-4:]
    return dossier if factor_matches(cleaned[1], dossier.check_code, phone_tail) else None


def supplement_reason(dossier) -> str:
    """What the latest request for supplements (Mẫu 02) asked for, as written for the
    applicant; empty when there was none."""
    return (
        DossierEvent.objects.filter(dossier=dossier, action="request_supplement")
        .order_by("-at", "-id")
        .values_list("note", flat=True)
        .first()
        or ""
    )
