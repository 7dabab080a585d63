"""The disposal minute (biên bản hủy hồ sơ hết hạn lưu trữ) as an A4 PDF, with the national
heading and the place-date line every printed form of the portal uses."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from dossiers.printing import full_name, place_date_line, render_pdf


def render_minute(batch) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    area = batch.area
    day = timezone.localtime(batch.executed_at or timezone.now(), zone).date()
    items = list(batch.items.order_by("code"))
    context = {
        "batch": batch,
        "area": area,
        "parent": area.parent,
        "place_date": place_date_line(area, day),
        "items": items,
        "files": sum(i.files_destroyed for i in items),
        "bytes": sum(i.bytes_destroyed for i in items),
        "proposer": full_name(batch.proposed_by),
        "decider": full_name(batch.decided_by),
    }
    return render_pdf("archive/documents/bien_ban_huy.html", context)
