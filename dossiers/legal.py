"""The legal texts whose dates change what the portal does (data/legal_bases.json).

A rule belongs to a text and applies from the day the text is in force, so a dossier received
on 30/6/2025 follows the old decree and one received on 1/7/2025 the new one, and adding the
next text is a data change. Read once per process.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from core.errors import PortalError

LEGAL_FILE = Path(__file__).resolve().parent / "data" / "legal_bases.json"


@cache
def texts() -> dict:
    return json.loads(LEGAL_FILE.read_text(encoding="utf-8"))["texts"]


def title(key: str) -> str:
    return texts()[key]["title"]


def in_force(key: str, day: date) -> bool:
    """Whether text ``key`` is in force on ``day`` (both ends included)."""
    return _in_force(texts()[key], day)


def _in_force(text: dict, day: date) -> bool:
    if day < date.fromisoformat(text["in_force"]):
        return False
    return "until" not in text or day <= date.fromisoformat(text["until"])


def rule(key: str, name: str, day: date) -> dict | None:
    """The rule ``name`` of text ``key`` if that text is in force on ``day``, else None."""
    return texts()[key].get("rules", {}).get(name) if in_force(key, day) else None


def rules_in_force(name: str, day: date, among: dict | None = None) -> list[tuple[str, dict]]:
    """Every (text key, rule ``name``) of the texts in force on ``day`` that have that rule,
    from ``among`` (the texts' mapping; default: the data file), in the file's order."""
    among = texts() if among is None else among
    return [
        (key, text["rules"][name])
        for key, text in among.items()
        if name in text.get("rules", {}) and _in_force(text, day)
    ]


# --- The printed forms a text prescribes (rule "forms") ------------------------------------

# The forms the counter prints, by what they are for (stable across circulars, unlike their
# numbers: the control slip is Mẫu 05 in TT 01/2018 and Mẫu 06 in TT 03/2025).
FORM_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control", "register")


class LegalBasisError(PortalError):
    """The legal data cannot say which text governs a day: fix data/legal_bases.json."""

    def __init__(self, message):
        super().__init__(message, status=500)


@dataclass(frozen=True)
class FormSpec:
    kind: str
    number: str  # "01", as printed: "Mẫu số 01"
    title: str
    template: str  # under dossiers/documents/, e.g. "tt-03-2025/mau01.html"


@dataclass(frozen=True)
class FormsBasis:
    key: str  # "tt-03-2025"
    short_title: str  # "TT 03/2025"
    forms: dict  # kind -> FormSpec

    def label(self, kind: str) -> str:
        """ "Mẫu 05 · Thông báo dừng giải quyết hồ sơ (TT 03/2025)"."""
        form = self.forms[kind]
        return f"Mẫu {form.number} · {form.title} ({self.short_title})"

    def kind_of_number(self, number: str) -> str | None:
        return next((f.kind for f in self.forms.values() if f.number == number), None)


def _basis(key: str, text: dict) -> FormsBasis:
    forms = {
        kind: FormSpec(kind, spec["number"], spec["title"], spec["template"])
        for kind, spec in text["rules"]["forms"].items()
    }
    return FormsBasis(key, text.get("short_title", key), forms)


def forms_bases(data: dict | None = None) -> dict[str, FormsBasis]:
    """Every text that prescribes forms, by key (for a stored form, whatever is in force)."""
    return _forms_bases() if data is None else _read_bases(data)


@cache
def _forms_bases() -> dict[str, FormsBasis]:
    return _read_bases(texts())


def _read_bases(data: dict) -> dict[str, FormsBasis]:
    bases = {}
    for key, text in data.items():
        if "forms" not in text.get("rules", {}):
            continue
        if not text.get("in_force"):
            raise LegalBasisError(
                f"Văn bản {key} quy định mẫu phiếu nhưng chưa có ngày có hiệu lực (in_force)."
            )
        unknown = set(text["rules"]["forms"]) - set(FORM_KINDS)
        if unknown:
            raise LegalBasisError(f"Văn bản {key} có loại mẫu không biết: {sorted(unknown)}.")
        bases[key] = _basis(key, text)
    return bases


def forms_basis(day: date, data: dict | None = None) -> FormsBasis:
    """The text whose forms the counter prints on ``day``: exactly one, or a clear error
    (none in force that day, two in force at once, a text without its effective date)."""
    data = texts() if data is None else data
    bases = forms_bases(data)
    current = [key for key, _ in rules_in_force("forms", day, data)]
    if not current:
        raise LegalBasisError(
            f"Không có văn bản quy định mẫu phiếu nào có hiệu lực vào ngày {day:%d/%m/%Y}."
        )
    if len(current) > 1:
        raise LegalBasisError(
            f"Có {len(current)} văn bản quy định mẫu phiếu cùng có hiệu lực vào ngày "
            f"{day:%d/%m/%Y} ({', '.join(current)}): sửa ngày hiệu lực trong legal_bases.json."
        )
    return bases[current[0]]
