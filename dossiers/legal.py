"""The legal texts whose dates change what the portal does (data/legal_bases.json).

A rule belongs to a text and applies from the day the text is in force, so a dossier received
on 30/6/2025 follows the old decree and one received on 1/7/2025 the new one, and adding the
next text is a data change. Read once per process.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

LEGAL_FILE = Path(__file__).resolve().parent / "data" / "legal_bases.json"


@cache
def texts() -> dict:
    return json.loads(LEGAL_FILE.read_text(encoding="utf-8"))["texts"]


def title(key: str) -> str:
    return texts()[key]["title"]


def in_force(key: str, day: date) -> bool:
    """Whether text ``key`` is in force on ``day`` (both ends included)."""
    return _text_in_force(texts()[key], day)


def _text_in_force(text: dict, day: date) -> bool:
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
        if name in text.get("rules", {}) and _text_in_force(text, day)
    ]
