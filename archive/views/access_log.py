"""The access log for the archivist: who read which record or downloaded which citizen's
document, when, from where and why; filtered and exported as CSV."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import queries
from ..forms import AccessLogForm
from .common import require_archive_role


def _rows(request):
    form = AccessLogForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.access_log(request.user, **{k: v for k, v in filters.items() if v})
    return form, rows


@login_required
def access_log(request):
    require_archive_role(request.user)
    form, rows = _rows(request)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = queries.in_words(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "archive/access_log.html",
        {"form": form, "page": page, "querystring": params.urlencode()},
    )


@login_required
def access_log_csv(request):
    require_archive_role(request.user)
    _form, rows = _rows(request)
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(out)
    writer.writerow(
        [
            "Thời điểm",
            "Người truy cập",
            "Đơn vị",
            "Hành động",
            "Mã hồ sơ",
            "Địa chỉ IP",
            "Lý do",
            "Chi tiết",
            "Tên hành động",
        ]
    )
    for e in queries.in_words(rows[:50_000]):
        writer.writerow(
            [
                timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
                e.who,
                e.unit.name if e.unit else "",
                e.action,
                e.code,
                e.ip_address or "",
                e.reason,
                e.data,
                e.action_name,
            ]
        )
    response = HttpResponse(out.getvalue().encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-truy-cap.csv"'
    return response
