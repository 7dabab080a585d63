"""Real paper for the OCR bench (issue #20): the pages a counter really receives, with their
ground truth, drawn with Pillow and numpy only (not with the OpenCV the portal reads them
with, so neither side is tuned to the other's arithmetic).

Kinds (``Spec.paper``):

- ``office``: a colour office copy at 150–200 DPI on yellowed paper: the national two-column
  heading, the body, a signature block with a red seal stamped over its title and a blue
  signature over the signer's name, a shadow along one edge with the dark lid beyond it,
  and a fold across the sheet;
- ``heading``: a clean 300 DPI grey scan whose only difficulty is the two-column heading;
- ``photo``: an office copy photographed with a phone: the sheet on a wooden desk, turned
  a few degrees, seen at up to ~25° (perspective), lit from one side, JPEG, 72 DPI in the
  metadata as phones write it;
- ``copy``: a photocopy sent by fax: black and white only (1 bit, CCITT G4 TIFF), broken and
  swollen strokes, toner specks, the copier's black bands along two edges;
- ``form``: a printed form whose dotted blanks were filled by hand in blue ballpoint.

The truth is the printed text only: a seal, a signature and handwriting are not text (the
portal may drop them; reading them is an error). Its order is the reading order of an
administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the heading's left column
(agency, number) before its right column (Quốc hiệu, tiêu ngữ, place and date), then the
title, the body and the signature block.
"""

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.ocr_pages import COMMUNES, SENTENCES, Filler, _font, _wrap

PAPER_KINDS = ("office", "heading", "photo", "copy", "form")
INK = np.array([28, 28, 36], dtype=np.float32)  # toner: black with a little blue
SEAL_RED = np.array([212, 38, 48], dtype=np.float32)
PEN_BLUE = np.array([30, 52, 168], dtype=np.float32)
FIELDS = [
    "Họ và tên người đề nghị:",
    "Ngày, tháng, năm sinh:",
    "Số định danh cá nhân:",
    "Nơi thường trú:",
    "Số điện thoại liên hệ:",
    "Nội dung đề nghị:",
]


def _upper(name: str) -> str:
    return name.upper()


class Sheet:
    """A white A4 page (L) being drawn, with the masks (0–1) of coloured inks to lay on it."""

    def __init__(self, spec, rng: random.Random):
        self.spec, self.rng, self.dpi = spec, rng, spec.dpi
        self.size = (round(8.27 * spec.dpi), round(11.69 * spec.dpi))
        self.page = Image.new("L", self.size, 255)
        self.draw = ImageDraw.Draw(self.page)
        self.inks: list[tuple[Image.Image, np.ndarray]] = []
        self.truth: list[str] = []
        self.px = round(spec.size_pt * spec.dpi / 72)
        self.left, self.right = round(1.1 * spec.dpi), round(0.7 * spec.dpi)
        self.width = self.size[0] - self.left - self.right
        self.y = round(0.7 * spec.dpi)

    def face(self, bold=False, italic=False, scale=1.0):
        if italic:
            return _italic(self.spec.font, round(self.px * scale))
        return _font(self.spec.font, bold, round(self.px * scale))

    def centred(self, text, face, centre, y, record=True):
        self.draw.text((centre - face.getlength(text) / 2, y), text, font=face, fill=0)
        if record:
            self.truth.append(text)

    def rule(self, centre, y, length):
        thick = max(1, round(self.dpi / 150))
        self.draw.line([(centre - length / 2, y), (centre + length / 2, y)], fill=0, width=thick)

    def ink(self, colour) -> Image.Image:
        mask = Image.new("L", self.size, 0)
        self.inks.append((mask, colour))
        return mask


def _italic(family: str, px: int):
    from PIL import ImageFont  # only the Noto families ship an italic here

    name = family.replace(" ", "")
    for folder in ("/usr/share/fonts/truetype/noto",):
        try:
            return ImageFont.truetype(f"{folder}/{name}-Italic.ttf", px)
        except OSError:
            pass
    return _font(family, False, px)


def national_heading(sheet: Sheet, commune: str, number: int, day: tuple[int, int]) -> None:
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: the agency and the number on the left, the Quốc
    hiệu, the tiêu ngữ and the place and date on the right, on the same rows."""
    rng, dpi = sheet.rng, sheet.dpi
    split = sheet.left + 0.40 * sheet.width
    left_c, right_c = (sheet.left + split) / 2, (split + sheet.left + sheet.width) / 2
    regular, bold = sheet.face(scale=0.96), sheet.face(bold=True, scale=0.96)
    nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    scale = 0.96
    while bold.getlength(nation) > 0.6 * sheet.width - 0.1 * dpi:
        scale -= 0.04
        regular, bold = sheet.face(scale=scale), sheet.face(bold=True, scale=scale)
    step = round(bold.size * 1.45)
    y = sheet.y
    agency = ("ỦY BAN NHÂN DÂN", f"XÃ {_upper(commune)}")
    motto = "Độc lập - Tự do - Hạnh phúc"
    place = f"{commune}, ngày {day[0]:02d} tháng {day[1]:02d} năm 2025"
    left = [(agency[0], regular, y), (agency[1], bold, y + step)]
    right = [(nation, bold, y), (motto, bold, y + step)]
    rule_y = y + 2 * step + round(0.02 * dpi)
    sheet.rule(left_c, rule_y, max(0.9 * dpi, 0.35 * bold.getlength(agency[1])))
    sheet.rule(right_c, rule_y, bold.getlength(motto))
    third = y + 2 * step + round(0.22 * dpi)
    left.append((f"Số: {number}/QĐ-UBND", regular, third))
    right.append((place, sheet.face(italic=True, scale=scale), third))
    for text, face, row in left:
        sheet.centred(text, face, left_c, row)
    for text, face, row in right:
        sheet.centred(text, face, right_c, row)
    sheet.y = third + step + round(0.3 * dpi)
    del rng


def body(sheet: Sheet, bottom: int, title: str) -> None:
    fill, regular, bold = Filler(sheet.rng), sheet.face(), sheet.face(bold=True)
    step = round(sheet.px * 1.45)
    sheet.centred(title, bold, sheet.left + sheet.width / 2, sheet.y)
    sheet.y += step + step // 2
    while True:
        lines = _wrap(fill.fill(sheet.rng.choice(SENTENCES)), regular, sheet.width)
        if sheet.y + step * len(lines) > bottom:
            break
        for line in lines:
            sheet.draw.text((sheet.left, sheet.y), line, font=regular, fill=0)
            sheet.truth.append(line)
            sheet.y += step
        sheet.y += step // 3


def signature_block(sheet: Sheet, commune: str) -> None:
    """The signer's block on the right; the seal over its left part, the signature over the
    name, as a chairman signs and the office stamps."""
    dpi, rng = sheet.dpi, sheet.rng
    bold = sheet.face(bold=True)
    step = round(sheet.px * 1.45)
    centre = sheet.left + 0.70 * sheet.width
    y = sheet.y + step // 2
    sheet.centred("TM. ỦY BAN NHÂN DÂN", bold, centre, y)
    sheet.centred("CHỦ TỊCH", bold, centre, y + step)
    name_y = y + step + round(1.05 * dpi)
    name = Filler(rng).name()
    sheet.centred(name, bold, centre, name_y)
    seal_centre = (centre - 0.62 * dpi, y + step + 0.55 * dpi)
    draw_seal(sheet.ink(SEAL_RED), seal_centre, 0.74 * dpi, commune, rng)
    draw_scribble(
        sheet.ink(PEN_BLUE), (centre - 0.8 * dpi, y + 1.3 * step), (1.7 * dpi, 0.85 * dpi), rng
    )
    sheet.y = name_y + step


def draw_seal(mask: Image.Image, centre, radius: float, commune: str, rng) -> None:
    """A round office seal: two rings, the agency's name around, a star in the middle, its
    ink uneven as a rubber stamp leaves it."""
    draw = ImageDraw.Draw(mask)
    cx, cy = centre
    width = max(2, round(radius * 0.045))
    for r in (radius, radius * 0.72):
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=width)
    star = []
    for k in range(10):
        r = radius * (0.3 if k % 2 == 0 else 0.12)
        angle = -math.pi / 2 + k * math.pi / 5
        star.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(star, fill=255)
    text = f"ỦY BAN NHÂN DÂN XÃ {_upper(commune)} * HUYỆN BẮC YÊN * "
    face = _font("Noto Sans", True, max(8, round(radius * 0.2)))
    span = 2 * math.pi / len(text)
    for index, char in enumerate(text):
        if char == " ":
            continue
        angle = -math.pi / 2 + (index - len(text) / 2) * span
        letter = Image.new("L", (face.size * 2, face.size * 2), 0)
        ImageDraw.Draw(letter).text((face.size / 2, face.size / 3), char, font=face, fill=255)
        letter = letter.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BILINEAR)
        r = radius * 0.86
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        mask.paste(255, (round(x - face.size), round(y - face.size)), letter)
    # Uneven stamping: the ink's strength varies smoothly from 55 % to 100 %.
    small = np.random.default_rng(rng.randint(0, 2**31)).uniform(0.55, 1.0, (8, 8))
    strength = Image.fromarray((small * 255).astype(np.uint8)).resize(
        mask.size, Image.Resampling.BICUBIC
    )
    mask.paste(Image.fromarray((np.asarray(mask) * (np.asarray(strength) / 255)).astype("uint8")))


def draw_scribble(mask: Image.Image, origin, box, rng, loops=7) -> None:
    """Ballpoint strokes in ``box`` from ``origin``: a hand's loops and a flourish."""
    draw = ImageDraw.Draw(mask)
    x0, y0 = origin
    w, h = box
    width = max(2, round(mask.size[0] / 8.27 / 110))
    points = []
    for t in np.linspace(0, 1, 60 * loops):
        x = x0 + w * t + 0.06 * w * math.sin(2 * math.pi * loops * t + rng.random())
        y = y0 + h * (0.5 + 0.38 * math.sin(2 * math.pi * loops * t * 1.5) * (0.6 + 0.4 * t))
        points.append((x, y))
    draw.line(points, fill=230, width=width, joint="curve")
    draw.line(
        [(x0 + 0.1 * w, y0 + 0.85 * h), (x0 + 1.05 * w, y0 + 0.55 * h)], fill=230, width=width
    )


def handwriting(mask: Image.Image, origin, length: float, height: float, rng) -> None:
    """Word-like ballpoint strokes along a blank: loops of random height, gaps between."""
    draw = ImageDraw.Draw(mask)
    x, y0 = origin
    end = x + length
    width = max(2, round(mask.size[0] / 8.27 / 120))
    while x < end - height:
        word = rng.uniform(2.5, 6) * height
        points = []
        for t in np.linspace(0, 1, 40):
            px = x + word * t
            lift = rng.uniform(0.35, 1.0) if rng.random() < 0.2 else 0.5
            py = y0 - height * lift * (0.5 + 0.5 * math.sin(2 * math.pi * 5 * t))
            points.append((min(px, end), py))
        draw.line(points, fill=220, width=width, joint="curve")
        x += word + rng.uniform(0.6, 1.2) * height


def dotted(sheet: Sheet, x: float, y: float, end: float) -> None:
    r, gap = max(1, sheet.dpi / 170), sheet.dpi / 18
    while x < end:
        sheet.draw.ellipse([x - r, y - r, x + r, y + r], fill=0)
        x += gap


def _letter(spec, rng) -> Sheet:
    sheet = Sheet(spec, rng)
    commune = rng.choice(COMMUNES)
    national_heading(sheet, commune, rng.randint(1, 999), (rng.randint(1, 28), rng.randint(1, 12)))
    bottom = sheet.size[1] - round((0.8 if spec.paper == "heading" else 2.7) * spec.dpi)
    body(sheet, bottom, rng.choice(["QUYẾT ĐỊNH", "GIẤY XÁC NHẬN", "THÔNG BÁO"]))
    if spec.paper != "heading":
        signature_block(sheet, commune)
    return sheet


def _form(spec, rng) -> Sheet:
    sheet = Sheet(spec, rng)
    bold, regular = sheet.face(bold=True), sheet.face()
    step = round(sheet.px * 1.55)
    centre = sheet.left + sheet.width / 2
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        sheet.centred(text, bold, centre, sheet.y)
        sheet.y += step
    sheet.rule(centre, sheet.y, bold.getlength("Độc lập - Tự do - Hạnh phúc"))
    sheet.y += step
    sheet.centred("ĐƠN ĐỀ NGHỊ CẤP BẢN SAO GIẤY TỜ", bold, centre, sheet.y)
    sheet.y += 2 * step
    greeting = f"Kính gửi: Ủy ban nhân dân xã {rng.choice(COMMUNES)}"
    sheet.centred(greeting, regular, centre, sheet.y)
    sheet.y += 2 * step
    pen = sheet.ink(PEN_BLUE)
    for label in [*FIELDS, None]:
        x = sheet.left
        if label:
            sheet.draw.text((x, sheet.y), label, font=regular, fill=0)
            sheet.truth.append(label)
            x += regular.getlength(label) + sheet.px * 0.4
        baseline = sheet.y + sheet.px * 1.05
        dotted(sheet, x, baseline, sheet.left + sheet.width)
        handwriting(
            pen, (x + sheet.px, baseline - 0.15 * sheet.px), sheet.width * 0.55, sheet.px * 1.1, rng
        )
        sheet.y += round(step * 1.3)
    sheet.y += step
    fill = Filler(rng)
    for _ in range(3):
        for line in _wrap(fill.fill(rng.choice(SENTENCES)), regular, sheet.width):
            sheet.draw.text((sheet.left, sheet.y), line, font=regular, fill=0)
            sheet.truth.append(line)
            sheet.y += step
    centre = sheet.left + 0.72 * sheet.width
    sheet.y += step
    sheet.centred("NGƯỜI ĐỀ NGHỊ", bold, centre, sheet.y)
    draw_scribble(
        pen, (centre - 0.7 * spec.dpi, sheet.y + step), (1.4 * spec.dpi, 0.6 * spec.dpi), rng
    )
    return sheet


# --- paper, light and the camera -----------------------------------------------------------


def _smooth(nprng, shape, cells, low, high) -> np.ndarray:
    grid = nprng.uniform(low, high, cells).astype(np.float32)
    image = Image.fromarray(grid, "F").resize((shape[1], shape[0]), Image.Resampling.BICUBIC)
    return np.asarray(image, dtype=np.float32)


def colour(sheet: Sheet, nprng, paper=(238, 229, 200)) -> np.ndarray:
    """The sheet in colour (float RGB): toner on tinted paper, the inks multiplied on."""
    blurred = sheet.page.filter(ImageFilter.GaussianBlur(0.6 * sheet.dpi / 300))
    t = np.asarray(blurred, dtype=np.float32)[..., None] / 255
    tint = _smooth(nprng, t.shape[:2], (6, 5), 0.96, 1.02)[..., None]
    rgb = (np.array(paper, dtype=np.float32) * tint) * t + INK * (1 - t)
    for mask, ink in sheet.inks:
        a = np.asarray(mask.filter(ImageFilter.GaussianBlur(0.5)), dtype=np.float32)[..., None]
        a /= 255
        rgb *= 1 - a + a * (ink / 255)
    return rgb


def shadows(rgb: np.ndarray, dpi: int, rng, nprng) -> np.ndarray:
    """A shadow along one long edge with the scanner's dark lid beyond it, and a fold."""
    height, width = rgb.shape[:2]
    x = np.arange(width, dtype=np.float32)
    if rng.random() < 0.5:
        x = x[::-1]
    lid = round(rng.uniform(0.12, 0.25) * dpi)
    edge = 1 - 0.55 * np.exp(-(x - lid).clip(0) / (0.35 * dpi))
    edge[x < lid] = rng.uniform(0.18, 0.3)
    wobble = _smooth(nprng, (height, 1), (12, 1), -0.03 * dpi, 0.03 * dpi)[:, 0]
    factor = np.empty((height, width), dtype=np.float32)
    for row in range(0, height, 64):
        shift = int(wobble[row])
        factor[row : row + 64] = np.roll(edge, shift)
    y = np.arange(height, dtype=np.float32)[:, None]
    fold = rng.uniform(0.42, 0.58) * height
    factor *= 1 - 0.28 * np.exp(-(((y - fold) / (0.04 * dpi)) ** 2))
    factor *= 1 - 0.12 * (1 / (1 + np.exp(-(y - fold) / (0.3 * dpi))))
    return rgb * factor[..., None]


def finish(rgb: np.ndarray, nprng, noise=5.0) -> Image.Image:
    rgb = rgb + nprng.normal(0, noise, rgb.shape).astype(np.float32)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def _homography(src, dst) -> np.ndarray:
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.append(np.linalg.solve(np.array(rows), np.array(rhs)), 1).reshape(3, 3)


def photograph(page: Image.Image, rng, nprng, canvas=(2448, 3264)) -> Image.Image:
    """``page`` (RGB) on a wooden desk seen by a phone: tilted up to ~25° towards or away
    from the camera, turned a few degrees, lit from one side, blurred a little."""
    w, h = page.size
    tilt = math.radians(rng.uniform(12, 25)) * rng.choice((-1, 1))
    yaw = math.radians(rng.uniform(-8, 8))
    turn = math.radians(rng.uniform(-7, 7))
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    focal = 1.3 * h
    projected = []
    for x, y in corners:
        # rotate about the x axis (tilt), then the y axis (yaw), then project
        y1, z1 = y * math.cos(tilt), y * math.sin(tilt)
        x2, z2 = x * math.cos(yaw) + z1 * math.sin(yaw), -x * math.sin(yaw) + z1 * math.cos(yaw)
        depth = focal + z2
        u, v = focal * x2 / depth, focal * y1 / depth
        projected.append(
            (u * math.cos(turn) - v * math.sin(turn), u * math.sin(turn) + v * math.cos(turn))
        )
    projected = np.array(projected)
    span = projected.max(axis=0) - projected.min(axis=0)
    scale = min(0.84 * canvas[0] / span[0], 0.86 * canvas[1] / span[1])
    centre = np.array(canvas) / 2 + np.array([rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03)])
    dst = (projected - projected.mean(axis=0)) * scale + centre
    src = corners + np.array([w / 2, h / 2])
    inverse = _homography(dst, src)  # PIL maps each output pixel back to the page
    coeffs = tuple((inverse / inverse[2, 2]).ravel()[:8])
    warped = page.transform(canvas, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    inside = Image.new("L", page.size, 255).transform(
        canvas, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    # The desk: warm brown wood, grain along x.
    ys = np.arange(canvas[1], dtype=np.float32)[:, None]
    grain = 0.85 + 0.15 * np.sin(ys / 9 + 3 * np.sin(np.arange(canvas[0]) / 300)[None, :])
    desk = np.array([128, 88, 58], dtype=np.float32) * grain[..., None]
    desk += nprng.normal(0, 6, desk.shape).astype(np.float32)
    a = np.asarray(inside, dtype=np.float32)[..., None] / 255
    rgb = np.asarray(warped, dtype=np.float32) * a + desk * (1 - a)
    # Light from one side: 1.05 at one corner to ~0.62 at the other, and a soft shadow.
    gx = np.linspace(0, 1, canvas[0], dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, canvas[1], dtype=np.float32)[:, None]
    if rng.random() < 0.5:
        gx = gx[:, ::-1]
    light = 1.05 - 0.43 * (0.6 * gx + 0.4 * gy)
    blob = np.exp(-(((gx - 0.2) / 0.25) ** 2 + ((gy - 0.85) / 0.2) ** 2))
    rgb *= (light * (1 - 0.25 * blob))[..., None]
    image = finish(rgb, nprng, noise=4)
    return image.filter(ImageFilter.GaussianBlur(0.9))


def fax(sheet: Sheet, rng, nprng) -> Image.Image:
    """Black and white at 200 DPI: the toner threshold swells and breaks strokes, specks,
    the copier's black bands along the top and one side, a slight skew."""
    gray = sheet.page.filter(ImageFilter.GaussianBlur(0.8 * sheet.dpi / 200))
    gray = gray.rotate(-rng.uniform(-1.5, 1.5), Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(gray, dtype=np.float32)
    pixels += nprng.normal(0, 28, pixels.shape).astype(np.float32)
    pixels += _smooth(nprng, pixels.shape, (20, 14), -35, 35)
    height, width = pixels.shape
    black = pixels < 150
    count = int(40 * height * width / sheet.dpi**2)
    ys, xs = nprng.integers(0, height - 3, count), nprng.integers(0, width - 3, count)
    black[ys, xs] = black[ys + 1, xs] = black[ys, xs + 1] = True
    ragged = _smooth(nprng, (height, 1), (30, 1), 0.08, 0.22)[:, 0] * sheet.dpi
    side = np.arange(width)[None, :] < ragged[:, None]
    if rng.random() < 0.5:
        side = side[:, ::-1]
    black |= side
    black[: round(rng.uniform(0.06, 0.14) * sheet.dpi)] = True
    return Image.fromarray(np.where(black, 0, 255).astype(np.uint8), "L").convert("1")


def draw_paper(spec) -> tuple[Image.Image, str]:
    """The page image of a real-paper ``spec`` and its truth."""
    rng, nprng = random.Random(spec.seed), np.random.default_rng(spec.seed)
    sheet = _form(spec, rng) if spec.paper == "form" else _letter(spec, rng)
    truth = "\n".join(sheet.truth)
    if spec.paper == "heading":
        gray = sheet.page.filter(ImageFilter.GaussianBlur(0.6))
        pixels = 40 + 200 * (np.asarray(gray, dtype=np.float32) / 255)
        pixels += nprng.normal(0, 6, pixels.shape).astype(np.float32)
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L"), truth
    if spec.paper == "copy":
        return fax(sheet, rng, nprng), truth
    if spec.paper == "form":
        return finish(colour(sheet, nprng, paper=(244, 242, 236)), nprng), truth
    rgb = colour(sheet, nprng)
    if spec.paper == "photo":
        return photograph(finish(rgb, nprng, noise=2), rng, nprng), truth
    return finish(shadows(rgb, spec.dpi, rng, nprng), nprng), truth
