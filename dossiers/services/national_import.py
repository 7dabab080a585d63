"""Importing the national portal's procedure records (services.national_formats reads them):
create or update procedures, record every change of time, fee or components as a revision
from its effective date, and say in Vietnamese what changed. Used by ``manage.py
import_catalogue`` and the admin's upload."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import AuditEvent, Field, Procedure, Unit, UnitLevel, time_label
from ..text import fold
from .audit import record
from .catalogue import CatalogueError, level_values
from .catalogue_rules import GROUP_LABELS, apply_rules, changed_groups, record_revision, snapshot
from .national_formats import NationalRecord, read_file


@dataclass
class ImportReport:
    dry_run: bool
    lines: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revisions: int = 0

    def summary(self) -> str:
        head = "Chạy thử (chưa ghi gì): " if self.dry_run else "Đã nhập: "
        return (
            f"{head}{self.created} thủ tục mới, {self.updated} thủ tục cập nhật, "
            f"{self.unchanged} không đổi; {self.revisions} thay đổi quy định được ghi nhận."
        )


def import_national_file(
    name: str,
    content: bytes,
    *,
    effective_from: date | None = None,
    dry_run=False,
    actor=None,
    request=None,
) -> ImportReport:
    """Apply every record of the file ``name`` in one transaction: any invalid record raises
    CatalogueError (naming the row/column or record/key) and nothing is written. A dry run
    does the same work and rolls it back, so its report is what a real run would do. Records
    without their own effective date take ``effective_from`` (default today). One audit row."""
    records = read_file(name, content)
    today = timezone.localdate()
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        context = _Context()
        for item in records:
            _apply(item, context, report, effective_from or today, today, name, actor)
        record(
            AuditEvent.Kind.CHANGE,
            "catalogue.national_import",
            actor=actor,
            request=request,
            data={
                "file": name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "created": report.created,
                "updated": report.updated,
                "revisions": report.revisions,
            },
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Context:
    """What every record needs, read once: fields, levels, units by kind and by name."""

    def __init__(self):
        self.fields = {fold(f.name): f for f in Field.objects.all()}
        self.levels = {level.code: level for level in UnitLevel.objects.all()}
        self.units = list(Unit.objects.filter(valid_to__isnull=True).exclude(kind=""))

    def field_for(self, item: NationalRecord) -> Field:
        key = fold(item.field_name)
        if key not in self.fields:
            code = slugify(item.field_code or item.field_name)[:20] or "linh-vuc"
            self.fields[key] = Field.objects.create(code=code, name=item.field_name)
        return self.fields[key]

    def handlers(self, item: NationalRecord) -> list[Unit]:
        """Communes for a commune-level procedure; the province's units the record names."""
        names = [fold(a) for a in item.agencies if a.strip()]
        return [
            u
            for u in self.units
            if (u.kind == "commune" and item.levels in ("commune", "both"))
            or (u.kind != "commune" and any(n in fold(u.name) or fold(u.name) in n for n in names))
        ]


def _rules(item: NationalRecord, procedure) -> dict:
    return {
        **item.time,
        "fee_vnd": item.fee_vnd,
        "fee_note": item.fee_note,
        "fee_basis": procedure.fee_basis if procedure else "",  # not in the portal's record
        "components": item.components,
    }


def _fee(value):
    return (
        "chưa có"
        if value is None
        else "miễn"
        if value == 0
        else f"{value:,} đồng".replace(",", ".")
    )


def describe(groups, old, new) -> list[str]:
    """One Vietnamese phrase per changed group."""
    phrases = []
    if "time" in groups:
        phrases.append(
            f"thời hạn: {time_label(SimpleNamespace(**old))} → {time_label(SimpleNamespace(**new))}"
        )
    if "fee" in groups:
        phrases.append(f"phí, lệ phí: {_fee(old['fee_vnd'])} → {_fee(new['fee_vnd'])}")
    if "components" in groups:
        before = {c["name"] for c in old["components"]}
        after = {c["name"] for c in new["components"]}
        phrases.append(
            f"thành phần hồ sơ: {len(old['components'])} → {len(new['components'])} "
            f"(thêm {len(after - before)}, bỏ {len(before - after)})"
        )
    return phrases


def _check(procedure, where):
    try:
        procedure.full_clean(exclude=["handling_units"])
    except ValidationError as exc:
        raise CatalogueError(f"{where.capitalize()}: {'; '.join(exc.messages)}") from exc


def _apply(item: NationalRecord, context, report, default_day, today, name, actor):
    day = item.effective_from or default_day
    since = f"áp dụng từ {day:%d/%m/%Y}" + ("" if day <= today else " (chưa đến ngày)")
    source = f"Cổng DVCQG, tệp {name} ({item.where}), nhập ngày {today:%d/%m/%Y}"
    procedure = Procedure.objects.select_for_update().filter(national_code=item.code).first()
    try:
        level = level_values(item.levels, context.levels)
    except CatalogueError as exc:
        raise CatalogueError(f"{item.where.capitalize()}: {exc}") from exc
    values = {"name": item.name[:400], "field": context.field_for(item), **level}
    if item.legal_basis:
        values["legal_basis"] = item.legal_basis
    rules = _rules(item, procedure)
    if procedure is None:
        _create(item, values, rules, context, day, source, actor)
        report.created += 1
        report.revisions += 1
        report.lines.append(
            f"[Tạo mới] {item.code} {item.name} — {time_label(SimpleNamespace(**rules))}, "
            f"phí, lệ phí: {_fee(item.fee_vnd)}, {len(item.components)} thành phần; {since}"
        )
        return
    old = snapshot(procedure)
    other = [
        label
        for key, label in (("name", "tên"), ("field", "lĩnh vực"), ("levels", "cấp"))
        if getattr(procedure, key) != values[key]
    ]
    groups = changed_groups(old, rules)
    for key, value in {**values, **{k: rules[k] for k in item.time}}.items():
        setattr(procedure, key, value)
    _check(procedure, item.where)  # the new rules themselves, whatever their date
    for key in item.time:
        setattr(procedure, key, old[key])
    if source not in procedure.sources:
        procedure.sources = [*procedure.sources, source]
    procedure.save()
    record_revision(procedure, old, rules, effective_from=day, basis=source, actor=actor)
    if groups and day <= today:
        apply_rules(procedure, rules)
    if not groups and not other:
        report.unchanged += 1
        report.lines.append(f"[Không đổi] {item.code} {item.name}")
        return
    report.updated += 1
    report.revisions += bool(groups)
    changes = [f"{label} mới" for label in other] + describe(groups, old, rules)
    report.lines.append(
        f"[Cập nhật] {item.code} {item.name}: {'; '.join(changes)}"
        + (f"; {since}" if groups else "")
    )


def _create(item, values, rules, context, day, source, actor):
    handlers = context.handlers(item)
    notes = ["Thời hạn lưu trữ chưa xác minh: tạm để vĩnh viễn khi nhập từ Cổng DVCQG."]
    if not any(u.kind != "commune" for u in handlers) and item.levels != "commune":
        notes.append("Chưa gán đơn vị giải quyết cấp tỉnh (tên cơ quan không khớp đơn vị nào).")
    procedure = Procedure(
        national_code=item.code,
        **values,
        **{k: rules[k] for k in item.time},
        fee_vnd=rules["fee_vnd"],
        fee_note=rules["fee_note"],
        retention_permanent=True,  # never destroyed until someone sets the real period
        data_note=" ".join(notes),
        verified=False,
        sources=[source],
    )
    _check(procedure, item.where)
    procedure.save()
    apply_rules(procedure, rules)
    procedure.handling_units.set(handlers)
    record_revision(procedure, None, rules, effective_from=day, basis=source, actor=actor)


__all__ = ["GROUP_LABELS", "ImportReport", "describe", "import_national_file"]
