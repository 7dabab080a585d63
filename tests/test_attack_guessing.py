"""The attacks of the hardening review, replayed: guessing a dossier's second factor from many
addresses on the page and the API, guessing a password from many addresses, forging the
forwarded address. Each test fails if the attack succeeds within the limits."""

import pytest
from django.conf import settings
from django.test import override_settings

from dossiers import login_backoff, public_guard, services
from dossiers.models import AuditEvent
from dossiers.roles import Role

from .factories import PASSWORD, staff
from .workflow_fixtures import receive

STATUS_PAGE, STATUS_API = "/tra-cuu/", "/api/v1/public/status/"


def phone_tail(dossier):
    return dossier.applicant.phone[-4:]


def replay(client, dossier, candidates, addresses=5):
    """The review's attack: phone-digit candidates from ``addresses`` loopback addresses,
    alternating the page and the API. Returns (the candidate that showed the dossier or None,
    the answers' status codes)."""
    statuses = []
    for i, candidate in enumerate(candidates):
        address = f"127.0.0.{i % addresses + 2}"
        if i % 2:
            answer = client.get(
                STATUS_API, {"code": dossier.code, "factor": candidate}, REMOTE_ADDR=address
            )
            shown = answer.status_code == 200
        else:
            answer = client.get(
                STATUS_PAGE, {"ma": dossier.code, "kt": candidate}, REMOTE_ADDR=address
            )
            shown = "Các bước đã thực hiện" in answer.content.decode()
        statuses.append(answer.status_code)
        if shown:
            return candidate, statuses
    return None, statuses


def test_the_phone_digits_cannot_be_guessed_from_many_addresses(client, district):
    d = receive(district)
    right = phone_tail(d)
    candidates = [f"{n:04d}" for n in range(100) if f"{n:04d}" != right]
    candidates.insert(50, right)  # the review found it among the first hundred
    found, statuses = replay(client, d, candidates)
    assert found is None
    # Three wrong phone tries close the phone path; the right digits are refused after that.
    assert statuses[:3] == [200, 404, 200] and set(statuses[3:]) == {429}
    failed = AuditEvent.objects.filter(action="public.factor_failed", object_id=str(d.pk))
    assert failed.count() == settings.PUBLIC_PHONE_FAILURES
    assert failed.latest("id").unit == d.receiving_unit and failed.latest("id").data["phone_locked"]
    # The printed check code still works for the citizen who holds the receipt.
    answer = client.get(STATUS_PAGE, {"ma": d.code, "kt": d.check_code}, REMOTE_ADDR="127.0.0.9")
    assert answer.status_code == 200 and "Các bước đã thực hiện" in answer.content.decode()


def test_wrong_check_codes_lock_the_dossier_whatever_the_address(client, district):
    d = receive(district)
    for i in range(settings.PUBLIC_FACTOR_FAILURES):
        client.get(STATUS_API, {"code": d.code, "factor": f"WRONG{i}"}, REMOTE_ADDR=f"10.0.0.{i}")
    for url, params in (
        (STATUS_PAGE, {"ma": d.code, "kt": d.check_code}),
        (STATUS_API, {"code": d.code, "factor": d.check_code}),
    ):
        locked = client.get(url, params, REMOTE_ADDR="10.0.9.9")
        assert locked.status_code == 429
        assert (
            "tạm khóa" in locked.content.decode() and "Bộ phận Một cửa" in locked.content.decode()
        )
    assert int(locked["Retry-After"]) > (settings.PUBLIC_LOCK_MINUTES - 1) * 60
    # The rating and the supplement page take the same guard.
    rating = client.post("/danh-gia/", {"ma": d.code, "kt": d.check_code, "score": "4"})
    supplement = client.get("/bo-sung/", {"ma": d.code, "kt": d.check_code})
    assert rating.status_code == supplement.status_code == 429


def test_a_code_of_no_dossier_is_answered_and_locked_exactly_like_a_real_one(client, district):
    d = receive(district)
    ghost = d.code[:-4] + "9999"
    answers = {}
    for code in (d.code, ghost):
        seen = []
        for i in range(settings.PUBLIC_FACTOR_FAILURES + 1):
            page = client.get(STATUS_PAGE, {"ma": code, "kt": f"WRONG{i}"})
            seen.append((page.status_code, page.content.decode().replace(code, "CODE")))
        answers[code] = seen
    assert answers[d.code] == answers[ghost]
    assert not AuditEvent.objects.filter(action="public.factor_failed", object_id="").exists()


def test_the_unit_sees_the_failures_and_a_clerk_lifts_the_lock(
    client, district, django_capture_on_commit_callbacks
):
    d = receive(district)
    for i in range(settings.PUBLIC_FACTOR_FAILURES):
        client.get(STATUS_PAGE, {"ma": d.code, "kt": f"WRONG{i}"}, REMOTE_ADDR=f"10.0.1.{i}")
    services.assign(d.pk, actor=district["clerk"], to_unit=district["justice"])
    specialist = staff(district["justice"], Role.SPECIALIST, username="kiemtra.tuphap")
    client.force_login(specialist)
    # The handling unit's specialist sees the dossier (it was assigned there) but may not
    # unlock it: only the receiving unit's clerks and leaders may.
    assert client.get(f"/ho-so/{d.code}/").status_code == 200
    refused = client.post(f"/ho-so/{d.code}/mo-khoa-tra-cuu/", follow=True)
    assert "Chỉ cán bộ Bộ phận Một cửa hoặc lãnh đạo" in refused.content.decode()
    assert public_guard.lock_state(d.code).locked
    client.force_login(district["clerk"])
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert "5 lần nhập sai thông tin xác nhận" in page and "từ 5 địa chỉ" in page
    assert "Đang tạm khóa đến" in page and "Mở khóa tra cứu" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ho-so/{d.code}/mo-khoa-tra-cuu/")
    assert not public_guard.lock_state(d.code).locked
    audit = AuditEvent.objects.get(action="public.lookup_unlocked")
    assert audit.actor == district["clerk"] and audit.data["failures"] == {"old": 5, "new": 0}
    client.logout()
    open_again = client.get(STATUS_PAGE, {"ma": d.code, "kt": d.check_code})
    assert "Các bước đã thực hiện" in open_again.content.decode()


def test_page_and_api_share_one_budget_per_client(client, district):
    d = receive(district)
    limit = settings.PUBLIC_LOOKUPS_PER_MINUTE
    for i in range(limit):
        url, key = ((STATUS_PAGE, "ma"), (STATUS_API, "code"))[i % 2]
        client.get(url, {key: f"H50.22.02-260101-{i:04d}", "kt": "AAAAAA", "factor": "AAAAAA"})
    for url, params in (
        (STATUS_PAGE, {"ma": d.code, "kt": d.check_code}),
        (STATUS_API, {"code": d.code, "factor": d.check_code}),
    ):
        assert client.get(url, params).status_code == 429


@override_settings(LOGIN_USERNAME_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=5)
def test_a_password_guessed_from_many_addresses_locks_the_username_for_a_while(client, district):
    clerk = district["clerk"]
    for i in range(6):  # one wrong password from each of six addresses: axes never locks
        client.post(
            "/dang-nhap/",
            {"username": clerk.username, "password": f"sai-{i}"},
            REMOTE_ADDR=f"10.2.0.{i}",
        )
    right = client.post(
        "/dang-nhap/", {"username": clerk.username, "password": PASSWORD}, REMOTE_ADDR="10.2.9.9"
    )
    body = right.content.decode()
    assert right.status_code == 200 and "tạm khóa khoảng 15 phút" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="username_locked").get().data["minutes"] == 15
    # The next lock within a day lasts twice as long: a back-off, never a permanent lock.
    login_backoff.caches["limits"].delete(login_backoff._keys(clerk.username)[2])
    for _ in range(6):
        login_backoff.failed(clerk.username)
    assert 29 * 60 < login_backoff.locked_for(clerk.username) <= 30 * 60 + 1
    login_backoff.clear(clerk.username)
    ok = client.post("/dang-nhap/", {"username": clerk.username, "password": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "seen"),
    [
        ("127.0.0.1", "10.9.9.9, 203.0.113.7", "203.0.113.7"),  # our proxy: its last entry
        ("127.0.0.1", "203.0.113.7, 127.0.0.1", "203.0.113.7"),  # two trusted hops
        ("198.51.100.4", "10.1.1.1", "198.51.100.4"),  # straight to gunicorn: its own address
    ],
)
def test_the_forwarded_address_is_believed_from_the_trusted_proxy_only(remote, forwarded, seen):
    from django.test import RequestFactory

    from dossiers.services.audit import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(BEHIND_PROXY=True):
        assert client_ip(request) == seen


def test_a_client_reaching_gunicorn_directly_cannot_rotate_its_address(client, district):
    d = receive(district)
    with override_settings(BEHIND_PROXY=True):
        for i in range(settings.PUBLIC_LOOKUPS_PER_MINUTE):
            client.get(
                STATUS_API,
                {"code": f"H50.22.02-260101-{i:04d}", "factor": "AAAAAA"},
                REMOTE_ADDR="198.51.100.4",
                HTTP_X_FORWARDED_FOR=f"10.3.0.{i}",
            )
        rotated = client.get(
            STATUS_API,
            {"code": d.code, "factor": d.check_code},
            REMOTE_ADDR="198.51.100.4",
            HTTP_X_FORWARDED_FOR="10.3.9.9",
        )
    assert rotated.status_code == 429


def test_guesses_sent_together_get_no_more_tries_than_the_limit(district):
    """The try is counted before the dossier is read: many guesses arriving at once (threads
    on one shared counter) still get at most PUBLIC_PHONE_FAILURES reads."""
    import threading

    from django.test import RequestFactory

    d = receive(district)
    reads, lock = [], threading.Lock()
    barrier = threading.Barrier(8)

    def read(code, factor):
        with lock:
            reads.append(factor)
        return None

    def guess(n):
        barrier.wait()
        request = RequestFactory().get("/tra-cuu/", REMOTE_ADDR=f"10.4.0.{n}")
        public_guard.look_up(request, d.code, f"{n:04d}", read)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= len(reads) <= settings.PUBLIC_PHONE_FAILURES


def test_a_right_factor_gives_its_try_back(client, district):
    d = receive(district)
    for _ in range(settings.PUBLIC_FACTOR_FAILURES + 3):
        answer = client.get(STATUS_API, {"code": d.code, "factor": d.check_code})
        assert answer.status_code == 200
    assert public_guard.lock_state(d.code).failures == 0


def test_the_admin_login_refuses_a_locked_username(client, district):
    from django.core.management import call_command

    clerk = district["clerk"]
    clerk.is_staff = clerk.is_superuser = True
    clerk.save()
    with override_settings(LOGIN_USERNAME_FAILURE_LIMIT=2):
        for _ in range(2):
            login_backoff.failed(clerk.username)
    answer = client.post("/quan-tri/login/", {"username": clerk.username, "password": PASSWORD})
    assert answer.status_code == 200 and "_auth_user_id" not in client.session
    call_command("unlock_login", clerk.username)
    ok = client.post("/quan-tri/login/", {"username": clerk.username, "password": PASSWORD})
    assert ok.status_code == 302
    assert AuditEvent.objects.filter(action="login_unlocked").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_locked_citizen_and_the_clerk_who_unlocks_in_a_browser(
    live_server, browser, contexts, district, artifacts_dir
):
    from .test_browser_journey import login

    d = receive(district)
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    contexts.append(phone)
    citizen = phone.new_page()
    for i in range(settings.PUBLIC_FACTOR_FAILURES + 1):
        citizen.goto(f"{live_server.url}{STATUS_PAGE}?ma={d.code}&kt=WRONG{i}")
    assert "tạm khóa" in citizen.locator("main").inner_text()
    assert citizen.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    citizen.screenshot(path=artifacts_dir / "status-locked-360.png", full_page=True)
    clerk = login(contexts, browser, live_server.url, district["clerk"].username)
    clerk.goto(f"{live_server.url}/ho-so/{d.code}/")
    panel = clerk.locator("#public-lock")
    assert "6 lần nhập sai" not in panel.inner_text()  # the sixth was refused unread
    assert "5 lần nhập sai thông tin xác nhận" in panel.inner_text()
    clerk.screenshot(path=artifacts_dir / "dossier-public-lock.png", full_page=True)
    panel.get_by_role("button", name="Mở khóa tra cứu").click()
    assert "Đã mở khóa tra cứu trực tuyến" in clerk.locator("body").inner_text()
    assert clerk.locator("#public-lock").count() == 0
    citizen.goto(f"{live_server.url}{STATUS_PAGE}?ma={d.code}&kt={d.check_code}")
    assert citizen.locator("h1").inner_text() == d.code
