"""Loading the procedure catalogue and the calendar overrides from their data files."""

import json
from datetime import date, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from core.errors import PortalError

from ..models import (
    AuditEvent,
    CalendarOverride,
    DocumentType,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
    Unit,
    UnitLevel,
)
from .audit import record
from .catalogue_rules import record_revision, snapshot

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class CatalogueError(PortalError):
    """A data file that cannot be loaded; the message says where, in Vietnamese."""


def read_json(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"Không tìm thấy tệp dữ liệu {path}.") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            f"Tệp {path} không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}."
        ) from exc


def _time_values(item) -> dict:
    """The three time kinds of the data file: {"kind": "working_days", "days": N} (or the
    older "working_days": N), {"kind": "calendar_days", "days": N}, {"kind": "same_day",
    "cutoff": "15:00"}."""
    timing, code = item["time"], item.get("national_code")
    kind = timing.get("kind")
    days = timing.get("days", timing.get(kind) if kind != "same_day" else None)
    if kind == "same_day":
        try:
            cutoff = time.fromisoformat(timing["cutoff"])
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogueError(f"Thủ tục {code}: giờ chốt phải có dạng 15:00.") from exc
        return {
            "time_kind": kind,
            "working_days": None,
            "calendar_days": None,
            "same_day_cutoff": cutoff,
        }
    if kind not in ("working_days", "calendar_days"):
        raise CatalogueError(f"Thủ tục {code}: không biết cách tính thời hạn '{kind}'.")
    return {
        "time_kind": kind,
        "working_days": days if kind == "working_days" else None,
        "calendar_days": days if kind == "calendar_days" else None,
        "same_day_cutoff": None,
    }


def level_values(code: str, levels: dict) -> dict:
    """ "commune" | "province" | "both" (filed under the commune level), or an older level
    code such as "district" with no receiving levels."""
    filed = "commune" if code == "both" else code
    if filed not in levels:
        raise CatalogueError(f"không có cấp thực hiện '{code}'")
    return {"level": levels[filed], "levels": code if code in Procedure.Levels.values else ""}


def _procedure_values(item, fields, levels):
    retention = item["retention"]
    try:
        field = fields[item["field"]]
        level = level_values(item["level"], levels)
    except (KeyError, CatalogueError) as exc:
        raise CatalogueError(
            f"Thủ tục {item.get('national_code')}: không có lĩnh vực/cấp {exc}."
        ) from exc
    return {
        "name": item["name"],
        "field": field,
        **level,
        **_time_values(item),
        "fee_vnd": item.get("fee_vnd"),
        "fee_note": item.get("fee_note", ""),
        "fee_basis": item.get("fee_basis", ""),
        "online_level": item.get("online_level", "none"),
        "boundary_free": bool(item.get("boundary_free")),
        "retention_permanent": bool(retention.get("permanent")),
        "retention_years": None if retention.get("permanent") else retention.get("years"),
        "legal_basis": item.get("legal_basis", ""),
        "data_note": item.get("uncertain", ""),
        "verified": item.get("verified") is True,
        "sources": list(item.get("sources", [])),
        "is_active": True,
    }


def _effective_from(item, data):
    text = item.get("effective_from") or data.get("effective_from")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise CatalogueError(
            f"Thủ tục {item.get('national_code')}: ngày hiệu lực '{text}' không hợp lệ "
            "(dạng YYYY-MM-DD)."
        ) from exc


@transaction.atomic
def import_catalogue(data: dict, *, actor=None) -> dict:
    """Create or update fields, document types and procedures (by national code) from ``data``.

    One transaction: a single invalid procedure leaves the catalogue as it was. Components and
    steps of each procedure are replaced; handling units are resolved by unit kind. A change
    of time, fee or components is recorded as a revision from the item's (or the file's)
    ``effective_from``; undated, the first load is each procedure's baseline.
    """
    fields = {
        f["code"]: Field.objects.update_or_create(code=f["code"], defaults={"name": f["name"]})[0]
        for f in data.get("fields", [])
    }
    doc_types = {
        d["code"]: DocumentType.objects.update_or_create(
            code=d["code"], defaults={"name": d["name"]}
        )[0]
        for d in data.get("document_types", [])
    }
    levels = {level.code: level for level in UnitLevel.objects.all()}
    units_by_kind = {}
    for unit in Unit.objects.exclude(kind=""):
        units_by_kind.setdefault(unit.kind, []).append(unit)

    count = 0
    for item in data.get("procedures", []):
        code = item.get("national_code", "?")
        values = _procedure_values(item, fields, levels)
        procedure = Procedure.objects.filter(national_code=code).first() or Procedure(
            national_code=code
        )
        before = snapshot(procedure) if procedure.pk else None
        for name, value in values.items():
            setattr(procedure, name, value)
        try:
            procedure.full_clean()
        except ValidationError as exc:
            raise CatalogueError(f"Thủ tục {code} không hợp lệ: {'; '.join(exc.messages)}") from exc
        result_type = item.get("result_type")
        if result_type and result_type not in doc_types:
            raise CatalogueError(f"Thủ tục {code}: loại giấy tờ '{result_type}' chưa khai báo.")
        procedure.result_type = doc_types.get(result_type) if result_type else None
        procedure.save()
        procedure.components.all().delete()
        procedure.steps.all().delete()
        for order, comp in enumerate(item.get("components", []), start=1):
            reusable = comp.get("reusable_type")
            if reusable and reusable not in doc_types:
                raise CatalogueError(f"Thủ tục {code}: loại giấy tờ '{reusable}' chưa khai báo.")
            ProcedureComponent.objects.create(
                procedure=procedure,
                order=order,
                name=comp["name"],
                form=comp.get("form", "original"),
                copies=comp.get("copies", 1),
                required=comp.get("required", True),
                reusable_type=doc_types.get(reusable) if reusable else None,
            )
        for order, step in enumerate(item.get("steps", []), start=1):
            if int(step.get("days", 0)) < 1:
                raise CatalogueError(
                    f"Thủ tục {code}: bước {order} phải có ít nhất 1 ngày làm việc."
                )
            ProcedureStep.objects.create(
                procedure=procedure,
                order=order,
                name=step["name"],
                unit_kind=step["unit"],
                working_days=step["days"],
            )
        handlers = [
            u for kind in item.get("handling_units", []) for u in units_by_kind.get(kind, [])
        ]
        procedure.handling_units.set(handlers)
        record_revision(
            procedure,
            before,
            snapshot(procedure),
            effective_from=_effective_from(item, data),
            basis="; ".join(item.get("sources", [])) or data.get("source_note", ""),
            actor=actor,
        )
        count += 1
    record(AuditEvent.Kind.CHANGE, "catalogue_imported", actor=actor, data={"procedures": count})
    return {"fields": len(fields), "document_types": len(doc_types), "procedures": count}


@transaction.atomic
def import_calendar_overrides(rows: list[dict], *, actor=None) -> int:
    """Create or update overrides by date (a date appears once: the table is unique on it)."""
    seen = set()
    for row in rows:
        day = date.fromisoformat(row["date"])
        if day in seen:
            raise CatalogueError(
                f"Ngày {day:%d/%m/%Y} xuất hiện hai lần trong tệp điều chỉnh lịch."
            )
        seen.add(day)
        if row["kind"] not in CalendarOverride.Kind.values:
            raise CatalogueError(f"Ngày {day:%d/%m/%Y}: loại '{row['kind']}' không hợp lệ.")
        CalendarOverride.objects.update_or_create(
            date=day, defaults={"kind": row["kind"], "reason": row["reason"]}
        )
    record(AuditEvent.Kind.CHANGE, "calendar_imported", actor=actor, data={"overrides": len(seen)})
    return len(seen)


# The catalogue of the two-level government (data/catalogue_2026.json), in force from the day
# the district level ended (Nghị định 118/2025/NĐ-CP; Luật 72/2025/QH15).
TODAYS_CATALOGUE = "catalogue_2026.json"
TODAYS_CATALOGUE_FROM = date(2025, 7, 1)


def todays_catalogue() -> dict:
    data = read_json(DATA_DIR / TODAYS_CATALOGUE)
    data.setdefault("effective_from", TODAYS_CATALOGUE_FROM.isoformat())
    return data


def todays_codes() -> set[str]:
    return {item["national_code"] for item in todays_catalogue()["procedures"]}


@transaction.atomic
def end_procedures_not_in_force(*, actor=None) -> int:
    """Procedures of the earlier catalogue that today's does not list (the district level's
    own) stop being received; dossiers already received keep them. Idempotent."""
    ended = Procedure.objects.filter(is_active=True).exclude(national_code__in=todays_codes())
    codes = list(ended.values_list("national_code", flat=True))
    ended.update(is_active=False)
    if codes:
        record(AuditEvent.Kind.CHANGE, "catalogue_ended", actor=actor, data={"procedures": codes})
    return len(codes)


def load_reference_data(*, actor=None) -> dict:
    """The shipped catalogues and calendar overrides (units must exist first): the district
    era's (catalogue.json), then today's (catalogue_2026.json) whose changes of time, fee and
    components are revisions from 1/7/2025, so a dossier received before keeps the old rules.
    The procedures today's catalogue leaves out stay receivable until
    :func:`end_procedures_not_in_force` (the demo calls it on 1/7/2025 of its timeline)."""
    summary = import_catalogue(read_json(DATA_DIR / "catalogue.json"), actor=actor)
    summary["todays_procedures"] = import_catalogue(todays_catalogue(), actor=actor)["procedures"]
    summary["calendar_overrides"] = import_calendar_overrides(
        read_json(DATA_DIR / "calendar_overrides.json")["overrides"], actor=actor
    )
    return summary
