"""A demo citizen of the counterpart VNeID: a Django user (its username is the identity number,
which the login form asks for) and the identity the provider asserts."""

import secrets

from django.conf import settings
from django.db import models


def new_subject():
    """An opaque, random subject identifier: never derived from the identity number."""
    return secrets.token_hex(16)


class Citizen(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vneid_citizen"
    )
    subject = models.CharField(max_length=64, unique=True, default=new_subject)
    id_number = models.CharField("số định danh cá nhân", max_length=12, unique=True)
    full_name = models.CharField("họ tên", max_length=200)
    birthdate = models.DateField("ngày sinh")
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    address = models.CharField("nơi cư trú", max_length=300, blank=True)

    def __str__(self):
        return self.full_name

    def claims(self):
        """The claims VNeID asserts for this citizen (each released under its scope by the
        validator): OpenID's standard names, and the identity number under ``so_dinh_danh``."""
        return {
            "name": self.full_name,
            "birthdate": self.birthdate.isoformat(),
            "phone_number": self.phone,
            "email": self.email,
            "address": {"formatted": self.address},
            "so_dinh_danh": self.id_number,
        }
