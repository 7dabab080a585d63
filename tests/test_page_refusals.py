"""The one conversion of a refusal into a page (core/pages.py): an action's button comes back
to its page with the reason, anything else a view lets through is the error page with the
refusal's status, never a 500 and never a redirect off the site."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django.urls import reverse

from core.errors import PortalError
from core.pages import RefusalMiddleware, refusals_go_back
from counter.models import ServiceArea
from dossiers.views.base import server_error

from .workflow_fixtures import receive

pytestmark = pytest.mark.django_db


def _post(data=None):
    request = RequestFactory().post("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@refusals_go_back("dossier-detail", "code")
def refusing_view(request, code):
    raise PortalError("Hồ sơ đang ở bước khác.", status=409)


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        ("", "/ho-so/H50-1/"),
        ("/luu-tru/", "/luu-tru/"),
        ("//evil.example/", "/ho-so/H50-1/"),
        ("https://evil.example/", "/ho-so/H50-1/"),
    ],
)
def test_an_action_refused_goes_back_with_the_reason(back, expected):
    request = _post({"back": back} if back else None)
    response = refusing_view(request, code="H50-1")
    assert response.status_code == 302
    assert response["Location"] == expected
    assert [m.message for m in get_messages(request)] == ["Hồ sơ đang ở bước khác."]


def test_a_refusal_no_view_handled_is_the_error_page_with_its_status():
    request = RequestFactory().get("/x/")
    response = RefusalMiddleware(lambda r: None).process_exception(
        request, PortalError("Không có quyền xem <hồ sơ>.", status=403)
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền thực hiện" in body
    assert "Không có quyền xem &lt;hồ sơ&gt;." in body  # escaped
    assert RefusalMiddleware(lambda r: None).process_exception(request, ValueError()) is None


def test_a_form_never_issued_is_a_404_page_that_says_so(client, district):
    dossier = receive(district)
    client.force_login(district["clerk"])
    response = client.get(reverse("dossier-form", args=[dossier.code, "04"]))
    assert response.status_code == 404
    assert "Hồ sơ chưa có Mẫu 04." in response.content.decode()


def test_an_action_the_state_forbids_comes_back_to_the_dossier(client, district):
    dossier = receive(district)
    client.force_login(district["clerk"])
    response = client.post(
        reverse("dossier-action", args=[dossier.code, "approve"]), {"reason": "x"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dossier-detail", args=[dossier.code])
    messages = [m.message for m in response.context["messages"]]
    assert len(messages) == 1 and "Đã thực hiện" not in messages[0]


def test_a_desk_number_in_other_digits_is_refused_not_a_500(client, district):
    area = ServiceArea.objects.create(unit=district["counter"], letter="A", name="Tiếp nhận")
    client.force_login(district["clerk"])
    response = client.post(reverse("counter-call", args=[area.pk]), {"desk": "²"}, follow=True)
    assert response.status_code == 200
    assert [m.message for m in response.context["messages"]] == ["Nhập số quầy (1–99)."]


@pytest.mark.parametrize(
    ("error", "status", "title"),
    [
        (OperationalError("connection refused"), 503, "Tạm thời chưa kết nối được cơ sở dữ liệu"),
        (InterfaceError("connection already closed"), 503, "chưa kết nối được cơ sở dữ liệu"),
        (ValueError("a bug"), 500, "Hệ thống gặp lỗi"),
    ],
)
def test_an_unreachable_database_is_an_outage_page_not_a_server_error(error, status, title):
    # Django calls the handler inside its `except` block, as here.
    try:
        raise error
    except Exception:
        answer = server_error(RequestFactory().get("/ho-so/"))
    assert answer.status_code == status and title in answer.content.decode()
    assert answer.has_header("Retry-After") == (status == 503)
