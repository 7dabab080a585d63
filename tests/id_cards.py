"""Identity cards made for the tests (issue #20 item 3): the 2021 chip CCCD's front with its
QR code, the 2024 Căn cước's back with a longer QR, the chip card's back with its TD1 machine-
readable zone — drawn with segno and Pillow at about 300 DPI — and the same cards as a phone
photographs them: on a desk, turned, in perspective, in uneven light, blurred and noisy."""

import io

import cv2
import numpy as np
import segno
from mrz.generator.td1 import TD1CodeGenerator
from PIL import Image, ImageDraw, ImageFont

FONTS = "/usr/share/fonts/truetype/dejavu/"
CARD = (1012, 638)  # 85.6 × 54 mm at 300 DPI

PERSON = {
    "id_number": "014090001234",
    "old_id_number": "050123456",
    "full_name": "Lò Thị Hương",
    "birth": "15061990",
    "sex": "Nữ",
    "address": "Bản Phiêng Ban, xã Bắc Yên, tỉnh Sơn La",
    "issued": "10072021",
}


def qr_text(person=PERSON, extra=()) -> str:
    p = person
    fields = [p["id_number"], p["old_id_number"], p["full_name"], p["birth"], p["sex"]]
    return "|".join([*fields, p["address"], p["issued"], *extra])


def _font(size, bold=False):
    return ImageFont.truetype(FONTS + ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)


def _card(lines, qr=None, at=(700, 170)) -> Image.Image:
    card = Image.new("RGB", CARD, (232, 238, 228))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, CARD[0], 90), fill=(196, 46, 38))
    draw.text((40, 22), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=_font(30, True), fill="white")
    y = 130
    for line in lines:
        draw.text((40, y), line, font=_font(28), fill=(20, 20, 20))
        y += 52
    if qr:
        code = segno.make(qr, error="m")
        out = io.BytesIO()
        code.save(out, kind="png", scale=4, border=2)
        card.paste(Image.open(out).convert("RGB"), at)
    return card


def chip_cccd_front(person=PERSON) -> Image.Image:
    """The 2021 chip card's front: the QR code at the top right."""
    lines = [
        "CĂN CƯỚC CÔNG DÂN",
        f"Số: {person['id_number']}",
        f"Họ và tên: {person['full_name']}",
        f"Ngày sinh: {person['birth'][:2]}/{person['birth'][2:4]}/{person['birth'][4:]}",
        f"Giới tính: {person['sex']}",
    ]
    return _card(lines, qr_text(person), at=(740, 110))


CAN_CUOC_EXTRA = ("Bắc Yên, Sơn La", "Thái", "Không", "10072036")


def can_cuoc_back(person=PERSON, extra=CAN_CUOC_EXTRA) -> Image.Image:
    """The 2024 Căn cước's back: a QR code with more fields after the seven of the chip card."""
    lines = ["Nơi cư trú:", person["address"], "Ngày cấp: 10/07/2024", "BỘ CÔNG AN"]
    return _card(lines, qr_text(person, extra), at=(650, 300))


def mrz_lines(person=PERSON, tamper=False) -> list[str]:
    b = person["birth"]
    code = TD1CodeGenerator(
        "ID",
        "VNM",
        person["id_number"][3:],
        b[6:] + b[2:4] + b[:2],
        "F" if person["sex"] == "Nữ" else "M",
        "360615",
        "VNM",
        "LO",
        "THI HUONG",
        person["id_number"],
    )
    lines = str(code).splitlines()
    if tamper:  # one digit of the birth date changed, its check digit left as it was
        second = lines[1]
        lines[1] = second[:5] + ("1" if second[5] != "1" else "2") + second[6:]
    return lines


def chip_cccd_back(person=PERSON, tamper=False) -> Image.Image:
    """The chip card's back: fingerprints' place, then the TD1 zone at the bottom, no QR."""
    card = Image.new("RGB", CARD, (236, 236, 240))
    draw = ImageDraw.Draw(card)
    draw.text((40, 40), "Đặc điểm nhân dạng: Nốt ruồi cách 2 cm", font=_font(26), fill=(30, 30, 30))
    mono = ImageFont.truetype(FONTS + "DejaVuSansMono.ttf", 34)
    y = CARD[1] - 3 * 52 - 30
    for line in mrz_lines(person, tamper):
        draw.text((40, y), line, font=mono, fill=(10, 10, 10))
        y += 52
    return card


def photographed(card: Image.Image, *, angle=12.0, tilt=0.12, seed=7) -> Image.Image:
    """The card as a phone sees it on a desk: larger frame, turned by ``angle``, one edge
    nearer (``tilt``), light falling off across the frame, a little blur and sensor noise."""
    rng = np.random.default_rng(seed)
    w, h = card.size
    frame = (1800, 1350)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    cx, cy = frame[0] / 2, frame[1] / 2
    corners = np.float32(
        [
            [-w / 2 * (1 - tilt), -h / 2],
            [w / 2 * (1 - tilt), -h / 2],
            [w / 2 * (1 + tilt), h / 2],
            [-w / 2 * (1 + tilt), h / 2],
        ]
    )
    theta = np.deg2rad(angle)
    rot = np.float32([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    dst = corners @ rot.T * 1.15 + np.float32([cx, cy])
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    desk = np.full((frame[1], frame[0], 3), (92, 74, 58), np.uint8)
    warped = cv2.warpPerspective(
        np.asarray(card), matrix, frame, dst=desk, borderMode=cv2.BORDER_TRANSPARENT
    )
    light = np.linspace(1.1, 0.6, frame[0], dtype=np.float32)[None, :, None]
    lit = np.clip(warped.astype(np.float32) * light, 0, 255)
    blurred = cv2.GaussianBlur(lit, (3, 3), 0.9)
    noisy = np.clip(blurred + rng.normal(0, 6, blurred.shape), 0, 255).astype(np.uint8)
    return Image.fromarray(noisy)


def jpeg(image: Image.Image, quality=85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
