"""Citizens sign in with VNeID (OpenID Connect) against the counterpart's provider, over real
HTTP: the portal through Django's test client, the provider through httpx, each redirect
followed by hand. The code flow end to end ("Hồ sơ của tôi", a dossier without its second
factor, the online form filled in, signing out), and each refusal as a Vietnamese page: a
state the session never issued, a code used twice, a nonce that does not match, the provider
down, no provider configured, a login the citizen cancelled."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet

from dossiers.models import AuditEvent

from .factories import RECEIVED_AT, ApplicantFactory, DossierFactory
from .workflow_fixtures import CITIZEN

pytestmark = pytest.mark.django_db
# A demo citizen of the counterpart (counterpart/vneid/demo.py) and its password.
SUNG = {"id_number": "014065000140", "name": "Tòng Đức Sùng", "phone": "0950601631"}
PASSWORD = "BacYen@2026"


@pytest.fixture
def portal(counterpart):
    """The portal's test client, on the loopback address the counterpart accepts callbacks on
    (RFC 8252: any port)."""
    return Client(HTTP_HOST="127.0.0.1")


class Provider:
    """The citizen's browser on the counterpart VNeID (its own cookies)."""

    def __init__(self, counterpart):
        self.http = httpx.Client(base_url=counterpart.url, timeout=30)

    def log_in(self, authorize_url, id_number=SUNG["id_number"], password=PASSWORD):
        """From the portal's redirect to the provider, to the provider's redirect back (the
        callback address with ``code`` and ``state``)."""
        r = self.http.get(authorize_url)
        assert r.status_code == 302 and "/vneid/dang-nhap/" in r.headers["location"]
        login_page = self.http.get(r.headers["location"])
        assert "Số định danh cá nhân" in login_page.text
        query = parse_qs(urlsplit(r.headers["location"]).query)
        r = self.http.post(
            "/vneid/dang-nhap/",
            data={
                "username": id_number,
                "password": password,
                "next": query["next"][0],
                "csrfmiddlewaretoken": self.http.cookies["counterpart_csrftoken"],
            },
        )
        assert r.status_code == 302, r.text[:500]
        r = self.http.get(r.headers["location"])  # the authorize endpoint, now signed in
        assert r.status_code == 302
        return r.headers["location"]


def start(portal):
    r = portal.get(reverse("vneid-login"))
    assert r.status_code == 302, r.content.decode()[:500]
    return r["Location"]


def back(portal, callback_url, **changes):
    """The provider's redirect back, followed on the portal (query parameters changed)."""
    parts = urlsplit(callback_url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return portal.get(parts.path, query)


def sign_in(portal, counterpart, **login):
    callback = Provider(counterpart).log_in(start(portal), **login)
    r = back(portal, callback)
    assert r.status_code == 302 and r["Location"] == reverse("my-dossiers")
    return callback


def body(response):
    return response.content.decode()


def test_the_code_flow_signs_the_citizen_in_and_shows_their_dossiers(portal, counterpart):
    mine = ApplicantFactory(**SUNG)
    older = DossierFactory(applicant=mine, returned=True)
    newer = DossierFactory(applicant=mine, received_at=RECEIVED_AT.replace(month=5))
    online = DossierFactory(applicant=mine, submitted=True, submitted_at=RECEIVED_AT)
    theirs = DossierFactory(applicant=ApplicantFactory(**{**CITIZEN, "phone": "0912345678"}))
    authorize = start(portal)
    params = parse_qs(urlsplit(authorize).query)
    assert params["code_challenge_method"] == ["S256"] and params["nonce"][0]
    assert "so_dinh_danh" in params["scope"][0].split()
    sign_in(portal, counterpart)
    page = body(portal.get(reverse("my-dossiers")))
    assert "Hồ sơ của Tòng Đức Sùng" in page and "Đăng xuất" in page
    assert page.index(newer.code) < page.index(older.code)
    assert online.code in page and theirs.code not in page
    assert SUNG["id_number"] not in page
    # A dossier of theirs opens without the second factor; someone else's meets the form.
    own = body(portal.get(reverse("my-dossier"), {"ma": newer.code}))
    assert f'<h1 class="code-head">{newer.code}</h1>' in own and 'name="kt"' not in own
    other = body(portal.get(reverse("my-dossier"), {"ma": theirs.code}))
    assert 'name="kt"' in other and theirs.procedure.name not in other
    viewed = AuditEvent.objects.get(action="dossier.public_view")
    assert viewed.object_id == str(newer.pk) and viewed.actor_name == "vneid:014******140"
    signed = AuditEvent.objects.get(action="public.citizen_signed_in")
    assert signed.object_id == str(mine.pk) and SUNG["id_number"] not in str(signed.data)
    assert AuditEvent.objects.filter(action="citizen.dossiers_listed").count() == 1
    # The online form is filled from the identity.
    form = body(portal.get(reverse("online-procedures")))
    assert "Tòng Đức Sùng" in form
    r = portal.post(reverse("vneid-logout"))
    assert r.status_code == 302
    assert "Đăng nhập bằng VNeID" in body(portal.get(reverse("my-dossiers")))


def test_the_online_form_is_filled_from_the_identity(portal, counterpart, district):
    district["procedure"].online_level = "full"
    district["procedure"].save()
    url = reverse("online-submit", args=[district["procedure"].national_code])
    assert 'value="Tòng Đức Sùng"' not in body(portal.get(url))
    sign_in(portal, counterpart)
    form = body(portal.get(url))
    for value in ("Tòng Đức Sùng", "0950601631", "tongducsung@example.vn", "Bản Phổng"):
        assert value in form
    assert f'value="{SUNG["id_number"]}"' in form


def test_the_id_token_is_rs256_with_an_opaque_subject(counterpart):
    """The provider's side of the contract: the ID token is signed with the key its JWKS
    publishes, names the portal as audience, and its subject is not the identity number."""
    portal = Client(HTTP_HOST="127.0.0.1")
    authorize = start(portal)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    verifier = portal.session[f"_state_vneid_{state}"]["data"]["code_verifier"]
    callback = Provider(counterpart).log_in(authorize)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    issuer = settings.VNEID_ISSUER
    token = _exchange(issuer, code, verifier, callback.split("?")[0])
    assert token.status_code == 200
    keys = KeySet.import_key_set(httpx.get(f"{issuer}/.well-known/jwks.json").json())
    claims = jwt.decode(token.json()["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["iss"] == issuer and claims["aud"] == settings.VNEID_CLIENT_ID
    assert claims["so_dinh_danh"] == SUNG["id_number"] and claims["name"] == SUNG["name"]
    assert claims["sub"] != SUNG["id_number"] and SUNG["id_number"] not in claims["sub"]
    # The same code again: refused by the provider.
    again = _exchange(issuer, code, verifier, callback.split("?")[0])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def _exchange(issuer, code, verifier, redirect_uri):
    return httpx.post(
        f"{issuer}/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        },
        auth=(settings.VNEID_CLIENT_ID, settings.VNEID_CLIENT_SECRET),
    )


def test_a_state_the_session_never_issued_is_refused(portal, counterpart):
    callback = Provider(counterpart).log_in(start(portal))
    r = back(portal, callback, state="khong-phai-cua-phien-nay")
    assert r.status_code == 400
    assert "Phiên đăng nhập không hợp lệ hoặc đã hết hạn" in body(r)
    # Another browser bringing this callback back: its session issued no state either.
    stranger = Client(HTTP_HOST="127.0.0.1")
    assert back(stranger, callback).status_code == 400
    assert "Đăng nhập bằng VNeID" in body(portal.get(reverse("my-dossiers")))


def test_a_code_used_twice_is_refused(portal, counterpart):
    callback = sign_in(portal, counterpart)
    portal.post(reverse("vneid-logout"))
    # The same callback again: its state was spent.
    r = back(portal, callback)
    assert r.status_code == 400 and "Phiên đăng nhập" in body(r)
    # The old code under a fresh state of this session: the provider refuses the code.
    fresh = parse_qs(urlsplit(start(portal)).query)["state"][0]
    r = back(portal, callback, state=fresh)
    assert r.status_code == 400
    assert "Không xác nhận được thông tin đăng nhập từ VNeID" in body(r)
    assert "Đăng nhập bằng VNeID" in body(portal.get(reverse("my-dossiers")))


def test_an_id_token_with_another_nonce_is_refused(portal, counterpart):
    authorize = start(portal)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    callback = Provider(counterpart).log_in(authorize)
    session = portal.session
    key = f"_state_vneid_{state}"
    stored = session[key]
    stored["data"]["nonce"] = "mot-nonce-khac"
    session[key] = stored
    session.save()
    r = back(portal, callback)
    assert r.status_code == 400
    assert "Không xác nhận được thông tin đăng nhập từ VNeID" in body(r)
    assert not AuditEvent.objects.filter(action="public.citizen_signed_in").exists()


def test_a_cancelled_login_says_so(portal, counterpart):
    state = parse_qs(urlsplit(start(portal)).query)["state"][0]
    r = portal.get(reverse("vneid-callback"), {"error": "access_denied", "state": state})
    assert r.status_code == 400 and "đã hủy đăng nhập" in body(r)


def test_the_provider_down_is_a_vietnamese_page(portal, counterpart):
    callback = Provider(counterpart).log_in(start(portal))
    counterpart.stop()
    try:
        r = back(portal, callback)
        assert r.status_code == 503 and "VNeID hiện không phản hồi" in body(r)
        r = portal.get(reverse("vneid-login"))
        assert r.status_code == 503 and "VNeID hiện không phản hồi" in body(r)
    finally:
        counterpart.start()
    start(portal)  # back up: the login starts again


def test_without_an_issuer_no_link_and_a_vietnamese_page(client, settings, counterpart):
    page = body(client.get(reverse("online-procedures")))
    assert "Đăng nhập bằng VNeID" in page
    settings.VNEID_ISSUER = ""
    page = body(client.get(reverse("online-procedures")))
    assert "Đăng nhập bằng VNeID" not in page and reverse("vneid-login") not in page
    for name in ("vneid-login", "vneid-callback"):
        r = client.get(reverse(name), {"code": "x", "state": "y"})
        assert r.status_code == 404 and "Cổng chưa kết nối dịch vụ đăng nhập" in body(r)
    mine = body(client.get(reverse("my-dossiers")))
    assert "Cổng chưa kết nối dịch vụ đăng nhập bằng định danh điện tử" in mine


def test_the_list_runs_a_fixed_number_of_queries(
    portal, counterpart, django_assert_max_num_queries
):
    mine = ApplicantFactory(**SUNG)
    sign_in(portal, counterpart)
    for _ in range(3):
        DossierFactory(applicant=mine)
    # session, count, page of dossiers, applicant for the audit row, audit insert, savepoints
    with django_assert_max_num_queries(8):
        assert portal.get(reverse("my-dossiers")).status_code == 200
    for _ in range(12):
        DossierFactory(applicant=mine)
    with django_assert_max_num_queries(8):
        page = body(portal.get(reverse("my-dossiers")))
    assert page.count('href="/ho-so-cua-toi/xem/?ma=') == 10


def test_signing_out_by_a_link_asks_first(portal, counterpart):
    sign_in(portal, counterpart)
    asked = portal.get(reverse("vneid-logout"))
    assert asked.status_code == 200 and "Đăng xuất khỏi Cổng Một cửa?" in body(asked)
    assert "Hồ sơ của Tòng Đức Sùng" in body(portal.get(reverse("my-dossiers")))
    portal.post(reverse("vneid-logout"))
    assert AuditEvent.objects.filter(action="public.citizen_signed_out").count() == 1
    # Signed out, a dossier's address meets the factor form like anyone's.
    other = DossierFactory(applicant=ApplicantFactory(**SUNG))
    page = body(portal.get(reverse("my-dossier"), {"ma": other.code}))
    assert 'name="kt"' in page and other.procedure.name not in page
