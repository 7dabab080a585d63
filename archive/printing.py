"""The disposal minute (biên bản hủy hồ sơ hết hạn lưu trữ) as an A4 PDF, with the national
heading and the place-date line every printed form of the portal uses."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def _name(user):
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def render_minute(batch) -> bytes:
    from dossiers.printing import _place_date  # the date line every printed form uses

    zone = ZoneInfo(settings.TIME_ZONE)
    area = batch.area
    day = timezone.localtime(batch.executed_at or timezone.now(), zone).date()
    items = list(batch.items.order_by("code"))
    context = {
        "batch": batch,
        "area": area,
        "parent": area.parent,
        "place_date": _place_date(area, day),
        "items": items,
        "files": sum(i.files_destroyed for i in items),
        "bytes": sum(i.bytes_destroyed for i in items),
        "proposer": _name(batch.proposed_by),
        "decider": _name(batch.decided_by),
    }
    with timezone.override(zone):
        html = render_to_string("archive/documents/bien_ban_huy.html", context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
