"""Which of today's communes an address written by a citizen lies in.

Addresses on today's map ("bản Hua Cà, xã Tà Xùa, tỉnh Sơn La") are matched against the
names of the communes in force. Addresses on the old map ("… xã Háng Đồng, huyện Bắc Yên")
are first converted to today's commune by the maintained ``vietnam-address-converter``
package (its 2025 mapping, asked with the address's own commune, district and province parts:
a fraction of a millisecond, where its free-text parser first spends ~20 s indexing), then
matched the same way. Nothing is guessed: an address that names no commune of the province
gives None.
"""

import re
from datetime import date

from django.utils import timezone

from .models import Unit
from .queries import units_in_force
from .text import fold

# Words that only the map before 1/7/2025 uses: a district, a district's town.
OLD_MAP = re.compile(r"\b(huyen|thi tran|thi xa|quan)\b")


def todays_commune(address: str, *, day: date | None = None) -> Unit | None:
    """The commune or ward in force on ``day`` (today by default) that ``address`` names."""
    text = fold(address or "")
    if not text.strip():
        return None
    if OLD_MAP.search(text):
        converted = _convert(address)
        if converted is None:
            return None
        text = fold(converted)
    return _match(text, day or timezone.localdate())


def _match(text: str, day: date) -> Unit | None:
    communes = units_in_force(day).filter(kind="commune").only("pk", "short_name", "name", "code")
    found = [u for u in communes if _named(fold(u.short_name), text)]
    # "xã Bắc Yên" is also inside "… xã Bắc Yên, huyện …": the longest name wins.
    return max(found, key=lambda u: len(u.short_name), default=None)


def _named(name: str, text: str) -> bool:
    return bool(name) and re.search(rf"(^|[\s,.;-]){re.escape(name)}($|[\s,.;-])", text) is not None


PARTS = {
    "ward_name": re.compile(r"^(xa|thi tran|phuong)\s"),
    "district_name": re.compile(r"^(huyen|thi xa|quan|thanh pho)\s"),
    "province_name": re.compile(r"^(tinh|thanh pho)\s"),
}


def _convert(address: str) -> str | None:
    """Today's "Xã …, Tỉnh …" for an old-map address, or None when the package finds none."""
    # Imported here: the package's 2025 mapping is about 49 MiB, which only a process that
    # reads an old-map address should carry (tests/test_process_memory.py).
    from vietnam_address_converter.conversion import convert_old_to_new

    parts = [p.strip() for p in address.split(",") if p.strip()]
    fields = {}
    for part in reversed(parts):
        for name, shape in PARTS.items():
            if name not in fields and shape.match(fold(part)):
                fields[name] = part
                break
    if "ward_name" not in fields or "district_name" not in fields:
        return None
    if "province_name" not in fields:  # "…, Sơn La" or no province at all
        last = parts[-1]
        fields["province_name"] = last if last not in fields.values() else _home_province()
    result = convert_old_to_new(fields)
    if result.get("status") != "matched":
        return None
    ward = (result.get("result") or {}).get("new_ward") or {}
    return ward.get("path_with_type")


def _home_province() -> str:
    """The province an address without one is in: the root of the unit tree."""
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    return root.name if root else ""
