"""Evaluation pages for the OCR benchmark: Vietnamese administrative text drawn with Pillow,
degraded as a scanner or a phone would degrade it, with the ground truth.

Everything is seeded: the same seed gives the same pages, byte for byte. Reading order of the
truth is line by line, top to bottom; a table row is its cells left to right, separated by
spaces. Headers are centred single lines (no two-column header), so the truth's reading
order is the page's only reasonable one and neither segmentation is favoured by it.
"""

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu")
FONTS = {
    "Noto Serif": ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Lò",
    "Lường",
    "Quàng",
    "Hà",
    "Cầm",
    "Vì",
    "Đinh",
    "Sồng",
    "Giàng",
    "Mùa",
    "Tòng",
    "Điêu",
    "Đặng",
    "Vũ",
    "Bùi",
]
MIDDLE = ["Văn", "Thị", "A", "Đức", "Thị Thu", "Văn Hưởng", "Minh", "Quốc"]
GIVEN = [
    "Hoà",
    "Thượng",
    "Dũng",
    "Hương",
    "Chứ",
    "Mỷ",
    "Xuân",
    "Cường",
    "Tuấn",
    "Nguyệt",
    "Thắm",
    "Lợi",
    "Dở",
    "Phống",
    "Sình",
    "Ểnh",
    "Khánh",
    "Quỳnh",
    "Hải",
    "Ngọc",
]
COMMUNES = [
    "Phiêng Ban",
    "Hang Chú",
    "Xím Vàng",
    "Tà Xùa",
    "Hồng Ngài",
    "Song Pe",
    "Mường Khoa",
    "Chiềng Sại",
    "Tạ Khoa",
    "Hua Nhàn",
    "Pắc Ngà",
    "Làng Chếu",
    "Chim Vàn",
    "Phiêng Côn",
    "Háng Đồng",
    "Tà Lù",
]
VILLAGES = [
    "Đán Đăm",
    "Nà Khái",
    "Suối Tọ",
    "Hốc",
    "Pá Chè",
    "Co Mạ",
    "Nong Cóc",
    "Phiêng Ngàm",
    "Bẹ Hầu",
    "Ún Xó",
    "Nặm Ét",
    "Khoa",
    "Chiềng Đông",
    "Xa Thượng",
]

HEADER = [
    ("ỦY BAN NHÂN DÂN HUYỆN BẮC YÊN", True),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
    ("Độc lập - Tự do - Hạnh phúc", True),
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015 và Luật sửa đổi, bổ sung "
    "một số điều của Luật Tổ chức Chính phủ ngày 22/11/2019;",
    "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục "
    "hành chính trên môi trường điện tử;",
    "Xét đề nghị của ông (bà) {name}, sinh ngày {date}, số định danh cá nhân {cccd}, "
    "thường trú tại bản {village}, xã {commune}, huyện Bắc Yên, tỉnh Sơn La;",
    "Hồ sơ được tiếp nhận tại Bộ phận Một cửa ngày {date}, hẹn trả kết quả ngày {date}.",
    "Điều {n}. Cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình ông (bà) {name} "
    "với diện tích {area} mét vuông tại thửa đất số {n}, tờ bản đồ số {n}.",
    "Lệ phí cấp giấy là {amount} đồng, phí thẩm định hồ sơ là {amount} đồng, nộp tại "
    "Bộ phận Một cửa của Ủy ban nhân dân xã {commune}.",
    "Người đề nghị cam kết những nội dung khai trên là đúng sự thật và chịu trách nhiệm "
    "trước pháp luật về lời khai của mình.",
    "Trường hợp hồ sơ chưa đầy đủ, cán bộ tiếp nhận hướng dẫn bổ sung một lần bằng phiếu "
    "yêu cầu bổ sung, hoàn thiện hồ sơ.",
    "Bà {name}, số định danh {cccd}, được hỗ trợ {amount} đồng theo Quyết định số "
    "{n}/QĐ-UBND ngày {date} của Chủ tịch Ủy ban nhân dân huyện.",
    "Giấy khai sinh của cháu {name}, sinh ngày {date} tại Trạm y tế xã {commune}, "
    "được đăng ký lại theo đề nghị của cha mẹ.",
    "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Hội đồng nhân dân và Ủy "
    "ban nhân dân huyện, Trưởng phòng Tài nguyên và Môi trường chịu trách nhiệm thi hành.",
    "Thời hạn giải quyết là {n} ngày làm việc; quá hạn, cơ quan giải quyết phải gửi phiếu "
    "xin lỗi và hẹn lại ngày trả kết quả cho công dân.",
    "Ông {name} đã nộp đủ các giấy tờ: đơn đề nghị, bản sao giấy chứng minh, sổ hộ khẩu "
    "và biên lai thu tiền số {n} ngày {date}.",
    "Những hộ nghèo, hộ cận nghèo ở bản {village} được miễn phí, lệ phí theo Nghị quyết "
    "của Hội đồng nhân dân tỉnh Sơn La.",
]
TITLES = [
    "QUYẾT ĐỊNH",
    "GIẤY XÁC NHẬN",
    "ĐƠN ĐỀ NGHỊ CẤP BẢN SAO",
    "THÔNG BÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
]
TABLE_HEAD = ["STT", "Họ và tên", "Ngày sinh", "Số định danh", "Bản", "Số tiền"]


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str  # "letter" or "table"
    font: str
    dpi: int
    skew: float = 0.0  # degrees, positive: lines descend to the right
    noise: float = 0.0  # sigma of the Gaussian grain, grey levels
    specks: float = 0.0  # dark specks per square inch
    jpeg: int | None = None  # JPEG quality, None: lossless
    size_pt: float = 12.5
    fmt: str = "png"  # png, jpg, tif or pdf (a scanned PDF, image only)
    seed: int = 0
    turn: int = 0  # clockwise degrees the sheet is turned on the scanner (90, 180, 270)
    paper: str = ""  # a real-paper kind of bench/ocr_paper.py (kind "paper"), "" for a scan


@dataclass
class EvalPage:
    spec: Spec
    path: Path  # the file given to the portal's recognition
    content_type: str
    number: int  # page number in that file
    image_path: Path  # the same page as an image file, for raw Tesseract
    truth: str


SPECS = [
    Spec(name="clean 300 Noto Serif", kind="letter", font="Noto Serif", dpi=300, seed=1),
    Spec(
        name="clean 200 DejaVu Sans", kind="letter", font="DejaVu Sans", dpi=200, size_pt=12, seed=2
    ),
    Spec(
        name="skew +2.5° 300 DejaVu Serif",
        kind="letter",
        font="DejaVu Serif",
        dpi=300,
        skew=2.5,
        seed=3,
    ),
    Spec(
        name="skew −3.5° 300 noisy JPEG",
        kind="letter",
        font="Noto Sans",
        dpi=300,
        skew=-3.5,
        noise=14,
        specks=6,
        jpeg=60,
        fmt="jpg",
        seed=4,
    ),
    Spec(
        name="skew +1.5° 200 JPEG",
        kind="letter",
        font="Noto Serif",
        dpi=200,
        skew=1.5,
        noise=8,
        jpeg=70,
        fmt="jpg",
        seed=5,
    ),
    Spec(
        name="skew −4° 200 noisy TIFF",
        kind="letter",
        font="DejaVu Sans",
        dpi=200,
        skew=-4,
        noise=16,
        specks=10,
        fmt="tif",
        seed=6,
    ),
    Spec(
        name="skew +1° 300 scanned PDF",
        kind="letter",
        font="Noto Sans",
        dpi=300,
        skew=1,
        noise=6,
        jpeg=80,
        fmt="pdf",
        seed=7,
    ),
    Spec(
        name="table 300 Noto Sans",
        kind="table",
        font="Noto Sans",
        dpi=300,
        noise=6,
        size_pt=11,
        seed=8,
    ),
    Spec(
        name="table skew −2° 300 JPEG",
        kind="table",
        font="DejaVu Serif",
        dpi=300,
        skew=-2,
        noise=10,
        jpeg=65,
        size_pt=11,
        fmt="jpg",
        seed=9,
    ),
    Spec(
        name="table skew +3° 200 noisy",
        kind="table",
        font="Noto Serif",
        dpi=200,
        skew=3,
        noise=12,
        specks=6,
        size_pt=11,
        seed=10,
    ),
    Spec(
        name="skew −1.5° 300 JPEG q50",
        kind="letter",
        font="Noto Serif",
        dpi=300,
        skew=-1.5,
        noise=10,
        jpeg=50,
        fmt="jpg",
        seed=11,
    ),
    Spec(
        name="skew +3° 200 DejaVu Serif",
        kind="letter",
        font="DejaVu Serif",
        dpi=200,
        skew=3,
        noise=6,
        specks=4,
        seed=12,
    ),
    Spec(
        name="table 200 DejaVu Sans JPEG",
        kind="table",
        font="DejaVu Sans",
        dpi=200,
        noise=8,
        jpeg=70,
        size_pt=10.5,
        fmt="jpg",
        seed=13,
    ),
    Spec(
        name="turned 90° skew +2° 300 JPEG",
        kind="letter",
        font="Noto Sans",
        dpi=300,
        skew=2,
        noise=8,
        jpeg=70,
        fmt="jpg",
        seed=14,
        turn=90,
    ),
    Spec(
        name="turned 180° table 300 scanned PDF",
        kind="table",
        font="Noto Serif",
        dpi=300,
        noise=6,
        jpeg=80,
        size_pt=11,
        fmt="pdf",
        seed=15,
        turn=180,
    ),
]
# Real paper (issue #20): bench/ocr_paper.py draws them.
PAPER_SPECS = [
    Spec(
        name="office copy 150 colour, seal",
        kind="paper",
        font="Noto Serif",
        dpi=150,
        size_pt=13,
        jpeg=80,
        fmt="jpg",
        seed=21,
        paper="office",
    ),
    Spec(
        name="office copy 200 colour, seal",
        kind="paper",
        font="Noto Serif",
        dpi=200,
        jpeg=75,
        fmt="jpg",
        seed=22,
        paper="office",
    ),
    Spec(
        name="two-column heading 300 grey",
        kind="paper",
        font="Noto Serif",
        dpi=300,
        seed=23,
        paper="heading",
    ),
    Spec(
        name="phone photo of a sealed copy",
        kind="paper",
        font="Noto Serif",
        dpi=200,
        size_pt=13,
        jpeg=85,
        fmt="jpg",
        seed=24,
        paper="photo",
    ),
    Spec(
        name="phone photo, steep",
        kind="paper",
        font="Noto Sans",
        dpi=200,
        size_pt=13,
        jpeg=85,
        fmt="jpg",
        seed=25,
        paper="photo",
    ),
    Spec(
        name="fax-like copy 200 1-bit TIFF",
        kind="paper",
        font="Noto Serif",
        dpi=200,
        size_pt=13,
        fmt="tif",
        seed=26,
        paper="copy",
    ),
    Spec(
        name="form filled in blue 200 colour",
        kind="paper",
        font="Noto Sans",
        dpi=200,
        jpeg=80,
        fmt="jpg",
        seed=27,
        paper="form",
    ),
]
ALL_SPECS = SPECS + PAPER_SPECS


class Filler:
    """Random but seeded names, dates, ID numbers and amounts."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def name(self):
        r = self.rng
        return f"{r.choice(FAMILY)} {r.choice(MIDDLE)} {r.choice(GIVEN)}"

    def date(self):
        r = self.rng
        return f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1950, 2025)}"

    def cccd(self):
        r = self.rng
        return f"0{r.randint(10, 96):02d}{r.randint(0, 3)}{r.randint(50, 99):02d}" + "".join(
            str(r.randint(0, 9)) for _ in range(6)
        )

    def amount(self):
        return f"{self.rng.randint(5, 4800) * 1000:,}".replace(",", ".")

    def fill(self, template: str) -> str:
        r = self.rng
        values = {
            "name": self.name,
            "date": self.date,
            "cccd": self.cccd,
            "amount": self.amount,
            "village": lambda: r.choice(VILLAGES),
            "commune": lambda: r.choice(COMMUNES),
            "n": lambda: str(r.randint(1, 250)),
            "area": lambda: f"{r.randint(80, 2400)},{r.randint(0, 9)}",
        }
        out, rest = [], template
        while "{" in rest:
            before, _, tail = rest.partition("{")
            key, _, rest = tail.partition("}")
            out += [before, values[key]()]
        return "".join(out) + rest


def _font(family: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    filename = FONTS[family][1 if bold else 0]
    for folder in FONT_DIRS:
        path = Path(folder) / filename
        if path.exists():
            return ImageFont.truetype(str(path), px)
    raise FileNotFoundError(f"font {filename} (fonts-noto-core, fonts-dejavu-core)")


def _wrap(text: str, font, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _letter(spec: Spec, rng: random.Random, draw, size) -> list[str]:
    fill = Filler(rng)
    px = round(spec.size_pt * spec.dpi / 72)
    regular, bold = _font(spec.font, False, px), _font(spec.font, True, px)
    margin, width = spec.dpi, size[0] - 2 * spec.dpi
    step, y, truth = round(px * 1.45), round(spec.dpi * 0.8), []

    def centred(text, face):
        nonlocal y
        draw.text(((size[0] - face.getlength(text)) / 2, y), text, font=face, fill=0)
        truth.append(text)
        y += step

    for text, is_bold in HEADER:
        centred(text, bold if is_bold else regular)
    centred(f"Số: {rng.randint(1, 999)}/QĐ-UBND", regular)
    centred(
        f"Bắc Yên, ngày {rng.randint(1, 28):02d} tháng {rng.randint(1, 12):02d} năm 2025", regular
    )
    y += step // 2
    centred(rng.choice(TITLES), bold)
    y += step // 2
    bottom = size[1] - spec.dpi
    while True:
        sentence = fill.fill(rng.choice(SENTENCES))
        lines = _wrap(sentence, regular, width)
        if y + step * len(lines) > bottom:
            break
        for line in lines:
            draw.text((margin, y), line, font=regular, fill=0)
            truth.append(line)
            y += step
        y += step // 3
    return truth


def _table(spec: Spec, rng: random.Random, draw, size) -> list[str]:
    fill = Filler(rng)
    px = round(spec.size_pt * spec.dpi / 72)
    regular, bold = _font(spec.font, False, px), _font(spec.font, True, px)
    rows = [
        [str(i), fill.name(), fill.date(), fill.cccd(), rng.choice(VILLAGES), fill.amount()]
        for i in range(1, 19)
    ]
    pad = round(px * 0.45)
    widths = [
        max(bold.getlength(TABLE_HEAD[c]), *(regular.getlength(r[c]) for r in rows)) + 2 * pad
        for c in range(len(TABLE_HEAD))
    ]
    room = size[0] - 2 * spec.dpi * 0.7
    if sum(widths) > room:
        raise ValueError(f"table too wide for {spec.name}: {sum(widths):.0f} > {room:.0f}")
    widths = [w + (room - sum(widths)) / len(widths) for w in widths]
    left = spec.dpi * 0.7
    y, truth = round(spec.dpi * 0.9), []
    title = "DANH SÁCH HỘ ĐƯỢC HỖ TRỢ KINH PHÍ NĂM 2025"
    draw.text(((size[0] - bold.getlength(title)) / 2, y), title, font=bold, fill=0)
    truth.append(title)
    y += round(px * 2.4)
    row_h = round(px * 1.9)
    line = max(2, round(spec.dpi / 150))
    top = y
    for index, cells in enumerate([TABLE_HEAD, *rows]):
        face = bold if index == 0 else regular
        x = left
        for c, cell in enumerate(cells):
            draw.text((x + pad, y + (row_h - px) / 2 - px * 0.1), cell, font=face, fill=0)
            x += widths[c]
        truth.append(" ".join(cells))
        y += row_h
    x = left
    for edge in [0, *np.cumsum(widths)]:
        draw.line([(left + edge, top), (left + edge, y)], fill=0, width=line)
    for r in range(len(rows) + 2):
        draw.line([(x, top + r * row_h), (x + sum(widths), top + r * row_h)], fill=0, width=line)
    note = "Tổng số tiền hỗ trợ đã chi trả qua Bộ phận Một cửa theo danh sách trên."
    draw.text((left, y + round(px * 1.5)), note, font=regular, fill=0)
    truth.append(note)
    return truth


def _degrade(page: Image.Image, spec: Spec, rng: random.Random) -> Image.Image:
    """Paper and ink tones, scanner blur, a crooked page, grain and specks."""
    nprng = np.random.default_rng(spec.seed)
    page = page.filter(ImageFilter.GaussianBlur(0.6 * spec.dpi / 300))
    if spec.skew:
        page = page.rotate(-spec.skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    ink, paper = rng.randint(20, 55), rng.randint(232, 248)
    pixels = ink + (paper - ink) * (np.asarray(page, dtype=np.float32) / 255)
    if spec.noise:
        pixels += nprng.normal(0, spec.noise, pixels.shape).astype(np.float32)
    if spec.specks:
        inches = pixels.shape[0] * pixels.shape[1] / spec.dpi**2
        count = int(spec.specks * inches)
        ys = nprng.integers(0, pixels.shape[0] - 4, count)
        xs = nprng.integers(0, pixels.shape[1] - 4, count)
        sizes = nprng.integers(1, max(2, spec.dpi // 100) + 1, count)
        for y, x, s in zip(ys, xs, sizes, strict=True):
            pixels[y : y + s, x : x + s] = ink
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


TURNS = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def draw(spec: Spec) -> tuple[Image.Image, str]:
    """The degraded page image of ``spec`` and its truth (lines joined by newlines)."""
    if spec.paper:
        from bench.ocr_paper import draw_paper  # it builds on this module's text and fonts

        return draw_paper(spec)
    rng = random.Random(spec.seed)
    size = (round(8.27 * spec.dpi), round(11.69 * spec.dpi))
    page = Image.new("L", size, 255)
    content = _letter if spec.kind == "letter" else _table
    truth = content(spec, rng, ImageDraw.Draw(page), size)
    page = _degrade(page, spec, rng)
    return (page.transpose(TURNS[spec.turn]) if spec.turn else page), "\n".join(truth)


def write(spec: Spec, folder: Path) -> EvalPage:
    from digitization import filetypes

    image, truth = draw(spec)
    stem = folder / f"p{spec.seed:02d}"
    dpi = (72, 72) if spec.paper == "photo" else (spec.dpi, spec.dpi)  # as phones write it
    if spec.fmt in ("jpg", "pdf"):
        image_path = stem.with_suffix(".jpg")
        image.save(image_path, quality=spec.jpeg or 90, dpi=dpi)
    elif spec.fmt == "tif":
        image_path = stem.with_suffix(".tif")
        compression = "group4" if image.mode == "1" else "tiff_lzw"
        image.save(image_path, compression=compression, dpi=dpi)
    else:
        image_path = stem.with_suffix(".png")
        image.save(image_path, dpi=dpi)
    path, content_type = image_path, filetypes.sniff_path(image_path)
    if spec.fmt == "pdf":
        # A scanner's PDF: the JPEG page inside a PDF page of the paper's size. Raw Tesseract
        # gets the page as poppler renders it at 300 DPI, which is what the portal reads.
        path, content_type = stem.with_suffix(".pdf"), filetypes.PDF
        image.save(path, "PDF", resolution=spec.dpi)
        image_path = stem.with_name(f"{stem.name}-render.png")
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-singlefile", str(path), str(stem) + "-render"],
            check=True,
            timeout=60,
        )
        rendered = stem.with_name(f"{stem.name}-render.pgm")
        with Image.open(rendered) as render:
            render.save(image_path, dpi=(300, 300))  # pdftoppm's own PNG costs 10 s of CPU
        rendered.unlink()
    return EvalPage(spec, path, content_type, 1, image_path, truth)


def write_all(folder: Path, specs=ALL_SPECS) -> list[EvalPage]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write(spec, folder) for spec in specs]
