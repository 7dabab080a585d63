"""Server-rendered pages of the dossiers app: thin, each parses, asks queries, renders."""

import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template

from core.edge import message_for, refuse

from .. import queries
from ..forms import ProcedureFilterForm
from ..workflow import State


@login_required
def home(request):
    unit = queries.staff_unit(request.user)
    counts, overdue = queries.home_counts(request.user) if unit else ({}, 0)
    states = [(state.label, counts.get(state.value, 0), state.value) for state in State]
    flagged = queries.flagged_ratings(request.user)
    stop_requests = queries.pending_stop_requests(request.user)
    return render(
        request,
        "dossiers/home.html",
        {
            "unit": unit,
            "states": states,
            "total": sum(counts.values()),
            # The tile beside the states: what the list's "Quá hạn" filter opens.
            "overdue": overdue,
            "flagged": flagged,
            "stop_requests": stop_requests,
        },
    )


@login_required
def procedure_list(request):
    form = ProcedureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    procedures = queries.procedure_catalogue(
        text=filters.get("q", ""),
        field=filters.get("field"),
        level=filters.get("level"),
        online_level=filters.get("online_level", ""),
        verified={"yes": True, "no": False}.get(filters.get("verified", "")),
    )
    page = Paginator(procedures, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/procedure_list.html",
        {"form": form, "page": page, "querystring": querystring_without_page(request)},
    )


def querystring_without_page(request):
    """The list's filters, to carry over in the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _error(request, status, title, message):
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    # Rendered without the request, like the edge's refusals: the host may be the problem.
    return refuse(request, message_for(exception))


def csrf_failure(request, reason=""):
    """Django's CSRF failure page, in Vietnamese and in the portal's layout."""
    return _error(
        request,
        403,
        "Phiên làm việc đã hết hạn",
        "Biểu mẫu đã mở quá lâu hoặc được gửi từ trang khác nên chưa được nhận. Xin tải lại "
        "trang, nhập lại và gửi lần nữa; nếu vẫn không được, hãy đăng xuất rồi đăng nhập lại.",
    )


def permission_denied(request, exception=None):
    return _error(
        request, 403, "Không có quyền truy cập", "Tài khoản của bạn không được xem trang này."
    )


def page_not_found(request, exception=None):
    return _error(
        request, 404, "Không tìm thấy trang", "Địa chỉ này không tồn tại hoặc đã bị chuyển."
    )


def server_error(request):
    """The page of an unhandled error. The database unreachable (restarted, failed over) is
    an outage, not a bug: 503 with a Retry-After, saying that nothing sent before was lost."""
    # Rendered without the request: the failure may lie in what the context processors read.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        body = get_template("error.html").render(
            {
                "title": "Tạm thời chưa kết nối được cơ sở dữ liệu",
                "message": "Hệ thống đang kết nối lại cơ sở dữ liệu; hồ sơ và dữ liệu đã gửi "
                "trước đó không bị mất. Vui lòng thử lại sau ít phút.",
            }
        )
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    body = get_template("error.html").render(
        {
            "title": "Hệ thống gặp lỗi",
            "message": "Yêu cầu chưa được xử lý. Vui lòng thử lại sau ít phút; "
            "nếu lỗi lặp lại, báo quản trị viên.",
        }
    )
    return HttpResponse(body, status=500)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out page: 429 with the limit and the wait in minutes."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": username,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
