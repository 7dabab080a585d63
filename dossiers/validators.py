"""Shapes of Vietnamese identifiers: CCCD, tax code, phone number, an agency's electronic
identification code and the dossier codes made from it."""

import re

from django.core.exceptions import ValidationError

CCCD = re.compile(r"^\d{12}$")
TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")
PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9)\d{8}$|^(0|\+84)2\d{9}$")
# Quyết định 20/2020/QĐ-TTg: at most 35 characters, groups of capital letters and digits joined
# by dots; the first group is the level-1 code, a letter and two digits (H50, G01). The column
# holds 32 (Unit.code).
ELECTRONIC_ID = re.compile(r"^[A-Z][0-9]{2}(\.[A-Z0-9]+)*$")
ELECTRONIC_ID_MAX = 35
# Every dossier code the portal has issued or receives: TT 01/2018 and TT 03/2025
# (<code>-YYMMDD-NNNN, the sequence of four digits or more) and TT 04/2025
# (<code>-YYMMDD-AANNNN: the system owner's two digits, then the sequence).
DOSSIER_CODE = r"[A-Z0-9.]{1,35}-[0-9]{6}-[0-9]{4,8}"


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


def validate_electronic_id(value: str):
    """An agency's electronic identification code (Quyết định 20/2020/QĐ-TTg), the prefix of
    the dossier codes it issues."""
    if len(value or "") > ELECTRONIC_ID_MAX or not ELECTRONIC_ID.match(value or ""):
        raise ValidationError(
            f"«{value}» không phải mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg: mã cấp 1 "
            "gồm một chữ in hoa và hai chữ số (ví dụ H50), các cấp sau là chữ in hoa, chữ số, "
            f"ngăn cách bằng dấu chấm (ví dụ H50.22.02), tối đa {ELECTRONIC_ID_MAX} ký tự.",
            code="electronic_id_shape",
        )
