"""VNeID (the national electronic identity, Nghị định 69/2024/NĐ-CP) as the public site's way
for a citizen to sign in: OpenID Connect's authorization-code flow, with Authlib's Django client.

- :func:`start` fetches the provider's discovery document (with a timeout), keeps ``state``,
  ``nonce`` and the PKCE (S256) verifier in the session and sends the citizen to the provider;
- :func:`finish` takes the provider's answer: the ``state`` must be the session's (Authlib
  refuses any other, and forgets it once used), the code is exchanged with the client secret
  and the verifier, and the ID token's RS256 signature is checked against the provider's JWKS,
  with its ``iss``, ``aud``, ``exp`` and ``nonce``. Only then is the citizen signed in
  (dossiers.public_identity.sign_in, which owns the idea of a signed-in citizen).

Every failure is a :class:`VneidError` with a Vietnamese message (a refusal of the citizen's
request, 400, or the provider unreachable, 503): the views show it, never a 500. Neither the
log lines written here nor the messages name the citizen or their identity number.

Nothing is cached between requests: the discovery document and the JWKS are fetched again for
each login (two small GETs), so a key rotated at the provider is used at once.
"""

import logging
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from joserfc.errors import JoseError

from core.errors import PortalError

log = logging.getLogger(__name__)

NAME = "vneid"
# The identity claims the portal asks for; so_dinh_danh releases the identity number.
SCOPE = "openid profile email phone address so_dinh_danh"
ALGORITHMS = ["RS256"]  # whatever else the provider lists, the portal accepts RS256 only
STATE_SECONDS = 600  # a login not finished within ten minutes starts again

NOT_CONFIGURED = (
    "Cổng chưa kết nối dịch vụ đăng nhập bằng tài khoản định danh điện tử VNeID. Ông/bà vẫn "
    "tra cứu được hồ sơ bằng mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận."
)
UNAVAILABLE = (
    "Hệ thống định danh điện tử VNeID hiện không phản hồi. Ông/bà vui lòng thử lại sau ít phút, "
    "hoặc tra cứu hồ sơ bằng mã hồ sơ và mã tra cứu in trên Giấy tiếp nhận."
)
CANCELLED = "Ông/bà đã hủy đăng nhập bằng VNeID. Chưa có thông tin nào được chia sẻ với Cổng."
EXPIRED = (
    "Phiên đăng nhập không hợp lệ hoặc đã hết hạn (có thể do mở lại một trang cũ). Ông/bà vui "
    "lòng đăng nhập lại."
)
REFUSED = (
    "Không xác nhận được thông tin đăng nhập từ VNeID. Ông/bà vui lòng đăng nhập lại; nếu vẫn "
    "không được, xin liên hệ Bộ phận Một cửa."
)
NO_IDENTITY = (
    "VNeID chưa cung cấp số định danh cá nhân cho Cổng, nên Cổng chưa tìm được hồ sơ của ông/bà. "
    "Ông/bà vui lòng đăng nhập lại và đồng ý chia sẻ thông tin."
)


class VneidError(PortalError):
    """A login that cannot go on; ``message`` is for the citizen."""


@dataclass(frozen=True, slots=True)
class Identity:
    """What VNeID asserted about the citizen (the ID token's claims)."""

    subject: str
    id_number: str
    name: str
    birthdate: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def __repr__(self):  # never the identity number, in a log or a traceback
        return f"Identity(subject={self.subject!r})"


def configured() -> bool:
    return bool(settings.VNEID_ISSUER)


def _client() -> DjangoOAuth2App:
    """The portal's OpenID client, made for each request from the settings (tests and a
    reconfigured deployment change them; nothing is kept in the process)."""
    if not configured():
        raise VneidError(NOT_CONFIGURED, status=404)
    framework = DjangoIntegration(NAME)
    framework.expires_in = STATE_SECONDS
    issuer = settings.VNEID_ISSUER.rstrip("/")
    return DjangoOAuth2App(
        framework,
        name=NAME,
        client_id=settings.VNEID_CLIENT_ID,
        client_secret=settings.VNEID_CLIENT_SECRET,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "default_timeout": settings.VNEID_TIMEOUT_SECONDS,
        },
    )


def _metadata(client):
    """The discovery document, checked: its issuer is the one configured (an answer from
    another issuer is refused: the mix-up defence), and the ID token is RS256."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        log.warning("VNeID discovery failed: %s", type(exc).__name__)
        raise VneidError(UNAVAILABLE, status=503) from exc
    if metadata.get("issuer", "").rstrip("/") != settings.VNEID_ISSUER.rstrip("/"):
        log.warning("VNeID discovery names another issuer")
        raise VneidError(UNAVAILABLE, status=503)
    metadata["id_token_signing_alg_values_supported"] = ALGORITHMS
    return metadata


def start(request, redirect_uri):
    """The redirect to VNeID's login page; the flow's secrets wait in the session."""
    client = _client()
    _metadata(client)
    return client.authorize_redirect(request, redirect_uri)


def finish(request) -> Identity:
    """The citizen's identity from VNeID's answer to :func:`start` (the callback's query),
    every check passed; otherwise :class:`VneidError`."""
    error = request.GET.get("error", "")
    if error:
        log.info("VNeID answered with an error: %s", error[:40])
        raise VneidError(CANCELLED if error == "access_denied" else REFUSED, status=400)
    client = _client()
    metadata = _metadata(client)
    options = {
        "iss": {"essential": True, "value": metadata["issuer"]},
        "aud": {"essential": True, "value": settings.VNEID_CLIENT_ID},
        "exp": {"essential": True},
        "sub": {"essential": True},
    }
    try:
        token = client.authorize_access_token(request, claims_options=options, leeway=60)
    except MismatchingStateError as exc:
        log.info("VNeID callback with an unknown state")
        raise VneidError(EXPIRED, status=400) from exc
    except OAuthError as exc:  # the token endpoint refused (a used or expired code)
        log.info("VNeID token request refused: %s", exc.error)
        raise VneidError(REFUSED, status=400) from exc
    except JoseError as exc:  # a bad signature, issuer, audience, expiry or nonce
        log.warning("VNeID ID token refused: %s", type(exc).__name__)
        raise VneidError(REFUSED, status=400) from exc
    except (requests.RequestException, ValueError) as exc:
        log.warning("VNeID token request failed: %s", type(exc).__name__)
        raise VneidError(UNAVAILABLE, status=503) from exc
    claims = token.get("userinfo")
    if not claims:  # no ID token, or Authlib had no nonce to check it with
        log.warning("VNeID answered without a checked ID token")
        raise VneidError(REFUSED, status=400)
    return _identity(claims)


def _identity(claims) -> Identity:
    id_number = str(claims.get("so_dinh_danh") or "")
    if not (len(id_number) == 12 and id_number.isdigit()):
        log.warning("VNeID ID token without an identity number")
        raise VneidError(NO_IDENTITY, status=400)
    address = claims.get("address") or {}
    return Identity(
        subject=str(claims["sub"]),
        id_number=id_number,
        name=str(claims.get("name") or ""),
        birthdate=str(claims.get("birthdate") or ""),
        phone=str(claims.get("phone_number") or ""),
        email=str(claims.get("email") or ""),
        address=str(address.get("formatted", "") if isinstance(address, dict) else address),
    )
