"""The demo counter lines: three at the district's counter, one at each commune's."""

from .models import ServiceArea

DISTRICT_AREAS = [
    ("A", "Hộ tịch, chứng thực"),
    ("B", "Đất đai, xây dựng, kinh doanh"),
    ("C", "Lao động, thương binh, xã hội và khác"),
]


def add_service_areas(units):
    for unit in units.values():
        if not unit.has_counter:
            continue
        areas = (
            DISTRICT_AREAS
            if unit.kind == "one_stop_district"
            else [("A", "Tiếp nhận, trả kết quả")]
        )
        for letter, name in areas:
            ServiceArea.objects.get_or_create(unit=unit, letter=letter, defaults={"name": name})
