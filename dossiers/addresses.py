"""Which of today's communes an address written by a citizen lies in.

Addresses on today's map ("bản Hua Cà, xã Tà Xùa, tỉnh Sơn La") are matched against the
names of the communes in force. Addresses on the old map ("… xã Háng Đồng, huyện Bắc Yên")
are first converted to today's commune by the maintained ``vietnam-address-converter``
package (its 2025 mapping), then matched the same way. Nothing is guessed: an address that
names no commune of the province gives None.
"""

import re
from datetime import date
from functools import cache

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


def _convert(address: str) -> str | None:
    """Today's "xã …, tỉnh …" for an old-map address, or None when the package finds none."""
    result = _converter()(address)
    ward = ((result or {}).get("converted_new") or {}).get("ward") or {}
    return ward.get("path_with_type")


@cache
def _converter():
    # Imported on first use: the package's mapping is 10 MB of Python and takes seconds to
    # load, which only an old-map address needs to pay.
    from vietnam_address_converter import auto_convert_address

    return auto_convert_address
