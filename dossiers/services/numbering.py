"""Dossier codes in the shape the legal basis in force on the reception day gives them
(rule ``dossier_code`` of data/legal_bases.json), gap-free per code prefix and day.

- Thông tư 01/2018/TT-VPCP Điều 19 (until 14/9/2025): the receiving unit's code, ``YYMMDD``,
  four digits.
- Thông tư 03/2025/TT-VPCP Điều 13 (from 15/9/2025): the handling agency's electronic
  identification code, ``YYMMDD``, the day's sequence of at least four digits.
- Thông tư 04/2025/TT-VPCP (from 25/01/2026), for a procedure handled on a nationally
  centralised system: the same, with the system owner's two digits before the sequence.

A code is made once, when the dossier is created, and stored: a later change of the rules,
of a unit's code or of a procedure's flag never rewrites it.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from .. import legal
from ..models import DossierCounter, Procedure, Unit
from ..validators import validate_electronic_id
from .errors import WorkflowError

RULE = "dossier_code"


@dataclass(frozen=True)
class CodeRule:
    """One basis's code shape: ``template`` has ``{agency}``, ``{day}``, ``{sequence}`` and,
    for TT 04/2025, ``{owner}``; ``agency`` says whose code leads (receiving or handling)."""

    basis: str
    applies_to: str
    agency: str
    template: str
    sequence_digits: int
    sequence_max_digits: int | None = None

    @classmethod
    def of(cls, basis, rule):
        return cls(
            basis=basis,
            applies_to=rule["applies_to"],
            agency=rule["agency"],
            template=rule["template"],
            sequence_digits=rule["sequence_digits"],
            sequence_max_digits=rule.get("sequence_max_digits"),
        )


def code_rule(day: date, *, centralised=False, among=None) -> CodeRule:
    """The code shape of a dossier received on ``day``: for a procedure on a centralised
    system the basis for those if one is in force, else the general one. Two bases of the
    same scope in force on one day, or none, is an error in the data file."""
    rules = [CodeRule.of(key, rule) for key, rule in legal.rules_in_force(RULE, day, among)]
    for scope in ("centralised", "all") if centralised else ("all",):
        found = [r for r in rules if r.applies_to == scope]
        if len(found) > 1:
            names = ", ".join(legal.title(r.basis) if among is None else r.basis for r in found)
            raise WorkflowError(
                f"Dữ liệu căn cứ pháp lý sai: ngày {day:%d/%m/%Y} có hai văn bản cùng quy định "
                f"mã số hồ sơ ({names}). Sửa ngày hiệu lực trong legal_bases.json.",
                status=500,
            )
        if found:
            return found[0]
    raise WorkflowError(
        f"Dữ liệu căn cứ pháp lý thiếu: không có văn bản nào quy định mã số hồ sơ vào ngày "
        f"{day:%d/%m/%Y}.",
        status=500,
    )


def check_agency_code(unit: Unit) -> None:
    """The unit's code can lead a dossier code, or a Vietnamese refusal naming the unit."""
    try:
        validate_electronic_id(unit.code)
    except ValidationError as exc:
        raise WorkflowError(
            f"Chưa cấp được mã số hồ sơ: {unit.name} chưa có mã định danh điện tử hợp lệ. "
            f"{exc.messages[0]} Cập nhật mã đơn vị trong trang quản trị rồi tiếp nhận lại."
        ) from exc


def system_owner(procedure: Procedure) -> str:
    if not procedure.system_owner_code:
        raise WorkflowError(
            f"Thủ tục «{procedure.name}» thực hiện trên hệ thống tập trung nhưng chưa có mã cơ "
            "quan chủ quản hệ thống (2 chữ số) để cấp mã số hồ sơ theo Thông tư 04/2025/TT-VPCP: "
            "cập nhật danh mục thủ tục.",
            field="procedure",
        )
    return procedure.system_owner_code


def allot_code(
    *, procedure: Procedure, receiving_unit: Unit, handling_unit: Unit | None, day: date
) -> str:
    """The next code of ``day`` for a dossier of ``procedure`` received by ``receiving_unit``
    and handled by ``handling_unit`` (None: the receiving unit handles it, as reception
    decides). Call inside the transaction that saves the dossier: the counter row of the
    code's prefix stays locked until it commits, and a rollback returns the number."""
    rule = code_rule(day, centralised=procedure.centralised_system)
    agency = receiving_unit if rule.agency == "receiving" else handling_unit or receiving_unit
    check_agency_code(agency)
    head, tail = rule.template.split("{sequence}")
    parts = {"agency": agency.code, "day": f"{day:%y%m%d}"}
    if "{owner}" in rule.template:
        parts["owner"] = system_owner(procedure)
    prefix = head.format(**parts)
    number = next_number(prefix, day)
    if rule.sequence_max_digits and len(str(number)) > rule.sequence_max_digits:
        raise WorkflowError(
            f"Đã hết số thứ tự hồ sơ trong ngày của {agency.name} "
            f"({rule.sequence_max_digits} chữ số theo {legal.title(rule.basis)}).",
            status=409,
        )
    return f"{prefix}{number:0{rule.sequence_digits}d}{tail.format(**parts)}"


def next_number(prefix: str, day: date) -> int:
    """The next sequence number of ``prefix`` on ``day``, its counter row locked."""
    DossierCounter.objects.bulk_create(
        [DossierCounter(prefix=prefix, day=day)], ignore_conflicts=True
    )
    counter = DossierCounter.objects.select_for_update().get(prefix=prefix, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
