"""The counterpart population database's demo citizens (idempotent).

The first four are the counterpart VNeID's citizens (counterpart/vneid/demo.py, the first
three also applicants of the portal's demo data), so a citizen signed in with VNeID is found
here with the same number, name and birth date. Some addresses are still written on the map
before 1/7/2025 (huyện Bắc Yên), as the database holds them: the portal shows today's
commune."""

from datetime import date

from django.db import transaction

from counterpart.vneid.demo import CITIZENS as VNEID_CITIZENS

from .models import Person

# Per VNeID citizen: sex (1 nam, 2 nữ), ethnicity, permanent and current address.
DETAILS = {
    "014065000140": (1, "Thái", "Bản Phổng, thị trấn Bắc Yên, huyện Bắc Yên, tỉnh Sơn La", ""),
    "014192000153": (2, "Mông", "Bản Pá Chạn, xã Pắc Ngà, huyện Bắc Yên, tỉnh Sơn La", ""),
    "014058000190": (1, "Mông", "Bản Nhọt, xã Pắc Ngà, tỉnh Sơn La", ""),
    "014301012345": (
        2,
        "Mông",
        "Bản Suối Rút, xã Tà Xùa, tỉnh Sơn La",
        "Tổ 2, phường Tô Hiệu, tỉnh Sơn La",
    ),
}
OTHERS = [
    {
        "id_number": "014088004321",
        "full_name": "Hà Văn Thành",
        "birthdate": date(1988, 11, 2),
        "sex": 1,
        "ethnicity": "Thái",
        "permanent_address": "Bản Mòng, xã Chiềng Sại, tỉnh Sơn La",
        "current_address": "",
    },
    {
        "id_number": "014195007788",
        "full_name": "Đinh Thị Lan",
        "birthdate": date(1995, 3, 8),
        "sex": 2,
        "ethnicity": "Mường",
        "permanent_address": "Bản Hạ Trung, xã Tạ Khoa, huyện Bắc Yên, tỉnh Sơn La",
        "current_address": "Bản Hạ Trung, xã Tạ Khoa, tỉnh Sơn La",
    },
]


def people() -> list[dict]:
    found = []
    for c in VNEID_CITIZENS:
        sex, ethnicity, permanent, current = DETAILS[c["id_number"]]
        found.append(
            {
                "id_number": c["id_number"],
                "full_name": c["full_name"],
                "birthdate": c["birthdate"],
                "sex": sex,
                "ethnicity": ethnicity,
                "permanent_address": permanent,
                "current_address": current or permanent,
            }
        )
    return found + OTHERS


def _name_parts(full_name):
    words = full_name.split()
    return words[0], " ".join(words[1:-1]), words[-1]


@transaction.atomic
def load():
    for p in people():
        family, middle, given = _name_parts(p["full_name"])
        Person.objects.update_or_create(
            id_number=p["id_number"],
            defaults={
                "family_name": family,
                "middle_name": middle,
                "given_name": given,
                "birthdate": p["birthdate"],
                "sex": p["sex"],
                "ethnicity": p["ethnicity"],
                "permanent_address": p["permanent_address"],
                "current_address": p["current_address"] or p["permanent_address"],
            },
        )
