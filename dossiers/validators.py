"""Shapes of Vietnamese identifiers: CCCD, tax code, phone number."""

import re

from django.core.exceptions import ValidationError

CCCD = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9)\d{8}$|^(0|\+84)2\d{9}$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_cccd(value: str):
    """12 digits: 3 for the province of birth (001–096), 1 for century and sex, 2 for the year
    of birth, 6 random."""
    if not CCCD.match(value or ""):
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.", code="cccd_shape")
    if not 1 <= int(value[:3]) <= 96:
        raise ValidationError(
            "Số CCCD không hợp lệ: ba chữ số đầu là mã tỉnh nơi đăng ký khai sinh (001–096).",
            code="cccd_province",
        )


def validate_tax_code(value: str):
    if not TAX_CODE.match(value or ""):
        raise ValidationError(
            "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
            "(đơn vị phụ thuộc).",
            code="tax_code_shape",
        )


def validate_phone(value: str):
    if value and not PHONE.match(normalise_phone(value)):
        raise ValidationError(
            "Số điện thoại không hợp lệ: di động 10 số bắt đầu bằng 03, 05, 07, 08, 09 "
            "hoặc cố định 11 số bắt đầu bằng 02.",
            code="phone_shape",
        )
