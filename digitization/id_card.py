"""The citizen's identity card read at reception (issue #20 item 3): the QR code of either
card generation, else the machine-readable zone of the chip card's back.

- The 2021 chip CCCD has a QR code on the front, the Căn cước of 1/7/2024 (Thông tư
  16/2024/TT-BCA) one on the back. Its text is ``identity | old 9-digit number | full name |
  birth date DDMMYYYY | sex | address | issue date DDMMYYYY``; the newer card adds fields after
  these. No official specification of the string was found (domain.md): the first seven are
  read by their shape and refused when one is of the wrong shape; further fields are shown to
  the clerk as they are, never filled in.
- The chip card's back carries an ICAO 9303 TD1 zone (three lines of 30): read with Tesseract
  restricted to the zone's alphabet, its check digits verified by the ``mrz`` package. It has
  no diacritics, so the name it gives must be corrected by the clerk.

QR codes are found by zxing-cpp on the image as given (it tries rotations and smaller sizes
itself), then on a flattened black-and-white copy for photos in uneven light. Nothing is
stored: the card image is kept only if the clerk attaches it as a component.
"""

import io
import re
import struct
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pytesseract
from django.core.exceptions import ValidationError
from django.utils import timezone
from mrz.checker.td1 import TD1CodeChecker
from PIL import Image, ImageOps

from core.errors import PortalError
from dossiers.validators import validate_cccd

from .filetypes import JPEG, PNG, TIFF, sniff
from .paper import find_sheet, opencv

MIN_SIDE = 120  # px: below this no QR module or MRZ character is legible
MAX_PIXELS = 40_000_000  # a 40 MP photo; beyond, Pillow's bomb guard and our memory
MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_SIDE = 2500  # px: a photo is read at most this large (a card fills a fraction of it)
MRZ_TIMEOUT_S = 10  # each Tesseract pass on the zone; at most three passes per card
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
SEXES = {"nam": "Nam", "nữ": "Nữ", "nu": "Nữ"}
MRZ_SEXES = {"M": "Nam", "F": "Nữ"}


class CardRefused(PortalError):  # noqa: N818 - a refusal, not a fault
    """The image or the code read from it is not a card the portal can read."""


@dataclass
class CardReading:
    """What a card says, as the reception form and ``read_id_card`` show it."""

    source: str  # "qr" | "mrz" | "none"
    id_number: str = ""
    old_id_number: str = ""
    full_name: str = ""
    birth_date: date | None = None
    sex: str = ""
    address: str = ""
    issue_date: date | None = None
    extra: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("birth_date", "issue_date"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def read_card(data: bytes) -> CardReading:
    """The card in an image file's bytes: its QR code, else its MRZ, else ``source="none"``
    with the reason in Vietnamese. Never raises for what a person can send."""
    try:
        image = _open(data)
    except CardRefused as refusal:
        return CardReading("none", error=refusal.message)
    refused = None
    for text in _qr_texts(image):
        try:
            return parse_qr(text)
        except CardRefused as refusal:
            refused = refusal
    for candidate in _mrz_places(image):
        if lines := _mrz_lines(candidate):
            try:
                return parse_mrz(lines)
            except CardRefused as refusal:
                refused = refused or refusal
    if refused is not None:
        return CardReading("none", error=refused.message)
    return CardReading(
        "none",
        error="Không tìm thấy mã QR hay dòng MRZ của thẻ căn cước trong ảnh: đặt thẻ phẳng, đủ "
        "sáng, chụp mặt có mã QR (hoặc mặt sau của thẻ CCCD gắn chip).",
    )


def parse_qr(text: str) -> CardReading:
    """The fields of a card's QR text; :class:`CardRefused` when it is not a card's."""
    parts = [p.strip() for p in text.strip().split("|")]
    if len(parts) < 7:
        raise CardRefused("Mã QR đọc được không phải của thẻ căn cước / CCCD.")
    id_number, old, name, birth, sex, address, issued, *extra = parts
    try:
        validate_cccd(id_number)
    except ValidationError as error:
        raise CardRefused(f"Mã QR không phải của thẻ căn cước: {error.messages[0]}") from error
    if old and not re.fullmatch(r"\d{9}", old):
        raise CardRefused("Mã QR không phải của thẻ căn cước: số CMND cũ phải gồm 9 chữ số.")
    if not name or len(name) > 100 or any(ch.isdigit() for ch in name):
        raise CardRefused("Mã QR không phải của thẻ căn cước: họ tên không hợp lệ.")
    if sex.lower() not in SEXES:
        raise CardRefused("Mã QR không phải của thẻ căn cước: giới tính phải là Nam hoặc Nữ.")
    return CardReading(
        "qr",
        id_number=id_number,
        old_id_number=old,
        full_name=" ".join(name.split()),
        birth_date=_day(birth, "ngày sinh"),
        sex=SEXES[sex.lower()],
        address=address[:300],
        issue_date=_day(issued, "ngày cấp"),
        extra=[e[:200] for e in extra if e][:10],
    )


def parse_mrz(lines: list[str]) -> CardReading:
    """The fields of a TD1 zone (three lines of 30), check digits verified."""
    checker = TD1CodeChecker("\n".join(lines))
    if not checker:
        raise CardRefused(
            "Dòng MRZ ở mặt sau thẻ đọc được nhưng sai số kiểm tra: chụp lại rõ hơn hoặc nhập tay."
        )
    fields = checker.fields()
    digits = re.sub(r"\D", "", fields.optional_data or "")
    id_number = digits if len(digits) == 12 else ""
    if not id_number:
        raise CardRefused("Dòng MRZ không có số định danh cá nhân 12 chữ số.")
    return CardReading(
        "mrz",
        id_number=id_number,
        full_name=" ".join(f"{fields.surname} {fields.name}".split()).title(),
        birth_date=_mrz_day(fields.birth_date),
        sex=MRZ_SEXES.get(fields.sex, ""),
        warnings=["Họ tên đọc từ dòng MRZ không có dấu: sửa lại đúng như trên thẻ."],
    )


def _open(data: bytes) -> Image.Image:
    if sniff(data[:1024]) not in (JPEG, PNG, TIFF):
        raise CardRefused("Ảnh thẻ cần là tệp JPEG, PNG hoặc TIFF.")
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise CardRefused(
                f"Ảnh quá lớn ({width}×{height} điểm ảnh): chụp lại với độ phân giải thấp hơn."
            )
        if min(width, height) < MIN_SIDE:
            raise CardRefused(f"Ảnh quá nhỏ ({width}×{height} điểm ảnh) để đọc thẻ.")
        image = ImageOps.exif_transpose(image)
        image.load()
        gray = image.convert("L")
    # What Pillow raises on malformed files: OSError (UnidentifiedImageError is one), ValueError,
    # SyntaxError and struct.error from its decoders, its bomb guard.
    except (OSError, ValueError, SyntaxError, struct.error, Image.DecompressionBombError) as error:
        raise CardRefused("Không mở được ảnh thẻ: tệp hỏng hoặc không phải ảnh.") from error
    if max(gray.size) > MAX_SIDE:
        gray.thumbnail((MAX_SIDE, MAX_SIDE))  # a card needs no more; decoding costs less
    return gray


def _qr_texts(image: Image.Image):
    """The texts of the QR codes found: on the image, then on a flattened black-and-white
    copy (a photo's shadow or glare hides the finder patterns from the plain pass)."""
    # Imported where a card is read: the web processes that never read one do not load them.
    import zxingcpp

    qr = zxingcpp.BarcodeFormat.QRCode
    seen = set()
    for candidate in (image, _flattened(image)):
        for found in zxingcpp.read_barcodes(candidate, formats=qr):
            if found.valid and found.text not in seen:
                seen.add(found.text)
                yield found.text


def _flattened(image: Image.Image) -> np.ndarray:
    cv2 = opencv()
    gray = np.asarray(image)
    scale = 1600 / max(gray.shape)
    if scale < 1:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 51, 15
    )


def _mrz_places(image: Image.Image):
    """Where the zone may be read, cheapest first: the bottom half of the card found in the
    image and made flat (a photo), the same turned upside down, then the image as it is (a
    flatbed scan, where the card does not stand out from the scanner's white lid)."""
    card = _card_region(image)
    if card is not None:
        for turned in (card, card.rotate(180)):
            width, height = turned.size
            yield turned.crop((0, height // 2, width, height))
    yield image


def _card_region(image: Image.Image) -> Image.Image | None:
    """The card in a photo, straightened: the sheet found on the desk as the OCR's photos
    are (paper.find_sheet), warped to the card's own proportions (ISO/IEC 7810 ID-1)."""
    corners = find_sheet(image)
    if corners is None:
        return None
    quad = np.float32(corners)
    width = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))
    height = max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    size = (1012, 638) if width >= height else (638, 1012)
    target = np.float32([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]])
    cv2 = opencv()
    matrix = cv2.getPerspectiveTransform(quad, target)
    return Image.fromarray(cv2.warpPerspective(np.asarray(image), matrix, size))


def _mrz_lines(image: Image.Image) -> list[str]:
    """Three consecutive lines of the TD1 shape in the image's text, or []."""
    small = image
    if max(image.size) > 2000:
        small = image.copy()
        small.thumbnail((2000, 2000))
    config = f"--psm 6 -c tessedit_char_whitelist={MRZ_ALPHABET}"
    try:
        text = pytesseract.image_to_string(small, lang="eng", config=config, timeout=MRZ_TIMEOUT_S)
    # Timed out (RuntimeError), an image it refuses, or no Tesseract on this host (OSError).
    except (RuntimeError, OSError, pytesseract.TesseractError):
        return []
    rows = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    rows = [row for row in rows if 26 <= len(row) <= 34]
    for i in range(len(rows) - 2):
        if rows[i].startswith(("I", "A", "C")):
            return [(row + "<" * 30)[:30] for row in rows[i : i + 3]]
    return []


def _day(text: str, label: str) -> date | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{8}", text):
        raise CardRefused(f"Mã QR không phải của thẻ căn cước: {label} phải có dạng ngàythángnăm.")
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError as error:
        raise CardRefused(f"Mã QR không phải của thẻ căn cước: {label} không có thật.") from error


def _mrz_day(text: str) -> date | None:
    """A TD1 birth date YYMMDD: the century that does not put it in the future."""
    try:
        year = 2000 + int(text[:2])
        if year > timezone.localdate().year:
            year -= 100
        return date(year, int(text[2:4]), int(text[4:6]))
    except (TypeError, ValueError):
        return None
