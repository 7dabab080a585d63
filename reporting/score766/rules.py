"""The QĐ 766 score's rules as data (reporting/data/score766.json): the groups and their
sub-indicators with their points, the level each applies at, the point scale, and how a
commune's points are redistributed when items do not apply to it."""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "score766.json"
PROVINCE, COMMUNE = "province", "commune"
# Unit levels scored as a commune (dossiers.UnitLevel.code); every other unit as the province.
COMMUNE_LEVELS = ("commune",)


@cache
def data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def item_rule(code) -> dict:
    return next(i for i in data()["items"] if i["code"] == code)


def level_of(unit) -> str:
    return COMMUNE if unit.level.code in COMMUNE_LEVELS else PROVINCE


def applicable(level) -> list[dict]:
    """The items scored at ``level``: all for the province; at a commune those not marked
    "province" (a province-only item is left out, not failed)."""
    return [i for i in data()["items"] if level == PROVINCE or i["level"] != PROVINCE]


def scale(level) -> float:
    """The factor on every applicable item's points so that they add up to 100 again (the
    redistribution rule of the data file, "commune")."""
    total = sum(i["max_points"] for i in applicable(level))
    return 100 / total


def target(rule, year) -> float:
    """The rate (%) that earns the item's full points in ``year``: the latest entry of its
    ``targets`` not after the year, else 100."""
    found = [t for t in rule.get("targets", []) if t["from_year"] <= year]
    return max(found, key=lambda t: t["from_year"])["value"] if found else 100.0


def points(max_points, rate, goal) -> float:
    """max × min(rate / target, 1) — data()["scale"]."""
    return round(max_points * min(rate / goal, 1.0), 2)
