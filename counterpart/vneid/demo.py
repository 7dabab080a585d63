"""The counterpart VNeID's demo citizens and the portal's client (idempotent: a second load
updates what the first made and adds nothing).

The first three are applicants of the portal's demo district (dossiers/demo.py, seed 141: the
same identity numbers and names), so after ``make run`` they find their dossiers under "Hồ sơ
của tôi". The fourth has never filed anything there."""

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from oauth2_provider.models import Application

from .models import Citizen

# The portal's demo accounts share it too (documented in the README; demo accounts only).
DEMO_PASSWORD = "BacYen@2026"  # noqa: S105
CITIZENS = [
    {
        "id_number": "014065000140",
        "full_name": "Tòng Đức Sùng",
        "birthdate": date(1965, 4, 12),
        "phone": "0950601631",
        "email": "tongducsung@example.vn",
        "address": "Bản Phổng, thị trấn Bắc Yên, huyện Bắc Yên, tỉnh Sơn La",
    },
    {
        "id_number": "014192000153",
        "full_name": "Thào Thị Mua",
        "birthdate": date(1992, 9, 3),
        "phone": "0921580037",
        "email": "thaothimua@example.vn",
        "address": "Bản Pá Chạn, xã Pắc Ngà, huyện Bắc Yên, tỉnh Sơn La",
    },
    {
        "id_number": "014058000190",
        "full_name": "Mùa A Phong",
        "birthdate": date(1958, 1, 20),
        "phone": "0972242533",
        "email": "",
        "address": "Bản Nhọt, xã Pắc Ngà, tỉnh Sơn La",
    },
    {
        "id_number": "014301012345",
        "full_name": "Lò Thị Hoa",
        "birthdate": date(2001, 6, 15),
        "phone": "0987001122",
        "email": "lothihoa@example.vn",
        "address": "Bản Suối Rút, xã Tà Xùa, tỉnh Sơn La",
    },
]
SCOPES = "openid profile email phone address so_dinh_danh"


def redirect_uris():
    """The portal's callbacks, from COUNTERPART_VNEID_REDIRECT_URIS (space- or comma-separated)."""
    return " ".join(settings.VNEID_REDIRECT_URIS.replace(",", " ").split())


@transaction.atomic
def load():
    """Create or update the demo citizens (password DEMO_PASSWORD) and the portal's confidential
    client (its id, secret and callbacks from settings; no consent screen for it)."""
    users = get_user_model().objects
    hashed = make_password(DEMO_PASSWORD)
    for person in CITIZENS:
        user, _ = users.update_or_create(
            username=person["id_number"], defaults={"password": hashed, "is_active": True}
        )
        Citizen.objects.update_or_create(user=user, defaults=person)
    app = Application.objects.filter(client_id=settings.VNEID_CLIENT_ID).first() or Application(
        client_id=settings.VNEID_CLIENT_ID
    )
    app.name = "Cổng Một cửa tỉnh Sơn La"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.client_secret = settings.VNEID_CLIENT_SECRET  # hashed by the model on save
    app.hash_client_secret = True
    app.redirect_uris = redirect_uris()
    app.algorithm = Application.RS256_ALGORITHM
    app.skip_authorization = True
    app.save()
