"""Today's map of the province (two-level local government since 1/7/2025), loaded from the
maintained ``vietnam-provinces`` package (the communes and wards with their statistical
codes) and ``data/map_2025.json`` (the provincial agencies and centre, the reorganisations
that ended the district map, and where each hand-written fact comes from).

Loading is idempotent (units are created or updated by code); the reorganisations are
applied by :func:`services.reorganisation.apply_reorganisation`, itself idempotent.
"""

from datetime import date

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from ..models import Unit, UnitLevel
from .catalogue import DATA_DIR, read_json
from .reorganisation import apply_reorganisation

MAP_FILE = DATA_DIR / "map_2025.json"


def read_map() -> dict:
    return read_json(MAP_FILE)


def wards(statistical_code: int) -> list[Ward]:
    """The province's communes and wards in force today, as the package lists them."""
    province = ProvinceCode(statistical_code)
    return sorted((w for w in Ward.iter_all() if w.province_code == province), key=lambda w: w.code)


def commune_code(data, statistical_code: str) -> str:
    return data["commune_code"].format(statistical_code=statistical_code)


def load_todays_map() -> dict[str, Unit]:
    """Create or update the province's agencies and its communes and wards, valid from the
    day the two-level map took effect. Returns the units by code."""
    data = read_map()
    levels = {level.code: level for level in UnitLevel.objects.all()}
    valid_from = date.fromisoformat(data["valid_from"])
    province_code = ProvinceCode(data["province"]["statistical_code"])
    units: dict[str, Unit] = {}
    with transaction.atomic():
        province = Unit.objects.get(code=data["province"]["code"])
        province.statistical_code = f"{province_code.value:02d}"
        province.name = f"Tỉnh {Province.from_code(province_code).name}"
        province.save()
        units[province.code] = province
        for row in data["agencies"]:
            units[row["code"]] = _upsert(
                row["code"],
                name=row["name"],
                short_name=row.get("short_name", ""),
                level=levels[row["level"]],
                parent=units[row["parent"]],
                kind=row["kind"],
                has_counter=row.get("has_counter", False),
                counter_name=row.get("counter_name", ""),
                valid_from=valid_from,
                created_basis=data["created_basis"],
            )
            units[row["code"]].slug = row.get("slug", "")
        for ward in wards(province_code.value):
            statistical = f"{ward.code.value:05d}"
            extra = data["communes"].get(statistical, {})
            code = commune_code(data, statistical)
            units[code] = _upsert(
                code,
                name=f"UBND {_lower_type(ward)}",
                short_name=ward.name,
                level=levels["commune"],
                parent=province,
                kind="commune",
                is_remote=extra.get("is_remote", False),
                has_counter=True,
                statistical_code=statistical,
                counter_name=data["counter_name"].format(name=_lower_type(ward)),
                valid_from=valid_from,
                created_basis=data["created_basis"],
            )
            units[code].slug = extra.get("slug", "")
    return units


def _lower_type(ward: Ward) -> str:
    """ "Xã Tà Xùa" → "xã Tà Xùa" (the type word in lower case, as written mid-sentence)."""
    kind = ward.division_type.value  # "xã", "phường", "đặc khu"
    if ward.name.lower().startswith(kind):
        return kind + ward.name[len(kind) :]
    return ward.name


def _upsert(code, **fields) -> Unit:
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


def reorganisations() -> list[dict]:
    """Each reorganisation of the data file as the arguments of apply_reorganisation."""
    data = read_map()
    plans = []
    for row in data["reorganisations"]:
        mapping = dict(row.get("units", {}))
        for successor, predecessors in row.get("communes", {}).items():
            for old in predecessors:
                mapping[old] = commune_code(data, successor)
        plans.append(
            {
                "basis": row["basis"],
                "date": date.fromisoformat(row["date"]),
                "kind": row["kind"],
                "mapping": mapping,
            }
        )
    return plans


def apply_todays_map(*, actor=None) -> list:
    """Apply the data file's reorganisations in order (the communes first, then the district
    with what is left under it). Safe to run again: a reorganisation already applied is a
    no-op."""
    return [apply_reorganisation(actor=actor, **plan) for plan in reorganisations()]
