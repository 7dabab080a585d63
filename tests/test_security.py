"""Staff log-in, lock-out, security headers, audit of log-ins, start-up errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from dossiers.models import AuditEvent

from .factories import PASSWORD, UnitFactory, staff

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/dang-nhap/"


@pytest.fixture
def clerk(db):
    return staff(UnitFactory(name="UBND xã Hang Chú"), role="clerk", username="motcua.hangchu")


def test_login_page_is_in_vietnamese(client, db):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Đăng nhập hệ thống" in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body


def test_pages_need_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_wrong_password_is_explained_in_vietnamese(client, clerk):
    response = client.post(LOGIN, {"username": "motcua.hangchu", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_six_wrong_passwords_lock_the_account_out(client, clerk):
    for _ in range(5):
        client.post(LOGIN, {"username": "motcua.hangchu", "password": "sai-mat-khau"})
    sixth = client.post(LOGIN, {"username": "motcua.hangchu", "password": "sai-mat-khau"})
    assert sixth.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in sixth.content.decode()
    # Locked out means locked out: even the right password is refused now.
    right = client.post(LOGIN, {"username": "motcua.hangchu", "password": PASSWORD})
    assert right.status_code == 429
    assert not client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="locked_out").exists()
    assert AuditEvent.objects.filter(action="login_failed").count() >= 5


def test_a_locked_out_user_does_not_lock_out_a_colleague(client, clerk, db):
    colleague = staff(clerk.staff.unit, role="clerk", username="motcua.hangchu2")
    for _ in range(6):
        client.post(LOGIN, {"username": "motcua.hangchu", "password": "sai"})
    response = client.post(LOGIN, {"username": colleague.username, "password": PASSWORD})
    assert response.status_code == 302


def test_login_and_logout_are_audited(client, clerk):
    response = client.post(LOGIN, {"username": "motcua.hangchu", "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))
    actions = list(
        AuditEvent.objects.filter(actor=clerk).order_by("at", "id").values_list("action", "unit")
    )
    assert actions == [("login", clerk.staff.unit_id), ("logout", clerk.staff.unit_id)]


def test_security_headers_and_secure_cookies(client, db):
    response = client.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.cookies["csrftoken"]["secure"] is True  # DEBUG is off


def test_unknown_pages_get_a_vietnamese_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def _start_django(env_changes):
    env = {k: v for k, v in os.environ.items() if k not in env_changes}
    env.update({k: v for k, v in env_changes.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bacyen_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("variable", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"])
def test_full_mode_refuses_to_start_without_a_required_variable(variable):
    result = _start_django({"PORTAL_MODE": "full", variable: None})
    assert result.returncode != 0
    assert f"Thiếu biến môi trường {variable}" in result.stderr


def test_bad_working_hours_stop_start_up_with_the_variable_name():
    result = _start_django({"WORKING_HOURS": "7h30 đến 17h"})
    assert result.returncode != 0
    assert "WORKING_HOURS không đúng dạng" in result.stderr


def test_a_bad_portal_mode_is_named():
    result = _start_django({"PORTAL_MODE": "cloud"})
    assert result.returncode != 0
    assert "PORTAL_MODE phải là 'embedded' hoặc 'full'" in result.stderr
