"""What a page of real paper needs before recognition, decided per page, and the work itself.

A counter receives clean scans, but also colour office copies with a red seal and a blue
signature over the text, shadows along an edge or a fold, yellowed paper, phone photos of a
sheet on a desk, and black-and-white faxes (issue #20). ``analyse`` looks at a copy of the
page about ANALYSIS_SIDE pixels long (a few ms) and says which of the steps below the page
needs; a clean grey scan needs none and pays only for the look:

- ``blank``: nothing on the page is much darker than its paper (a photo of a desk, a
  wall, grain): there is no text, and Tesseract is given white paper rather than junk.
- ``inks``: seals and signatures are red or blue, the text is black. Tesseract's grey copy
  takes, per pixel, the larger of the red and blue channels (red ink is light in red, blue
  ink in blue, black text is dark in both), and pixels of strongly saturated red or blue
  become paper. The colour page stays what the searchable PDF shows.
- ``page``: a photo of a sheet on a desk: the sheet's four corners are found (the largest
  bright four-sided shape, OpenCV) and the sheet is warped to a flat A4 rectangle, its DPI
  known from its width.
- ``flatten``: a background that varies across the page (shadows, folds, a lamp, a copier's
  black bands) is estimated by a grey closing (a maximum then a minimum filter wider than
  any letter) on the small copy, smoothed, scaled up and divided out: paper becomes white
  wherever it is, and a shadow's edge never becomes a line of junk.
- ``leaders``: on a page with inks (a filled form), the dotted lines of its blanks are
  erased: Tesseract reads them as ``....`` and, where handwriting was taken off them, as
  ``sẻ`` or ``cà``.
- ``despeckle``: a page in black and white only (a photocopy, a fax) loses its toner
  specks (small groups of black pixels) before anything else.
- ``margins``: after flattening, on a page with a dark side or in black and white only
  (a photocopy, a fax), marks that are not text-like (too big, too long, too thin)
  and lie outside the text block are painted white, so nothing in a margin is read.

Then, on every page (a few ms on the small copy), ``heading_columns`` finds the national
two-column heading, so that its columns are read one after the other, never interleaved.

OpenCV (opencv-python-headless, about 30 MB once loaded) is imported only by the pages that
need it.
"""

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops
from scipy import ndimage

ANALYSIS_SIDE = 640  # pixels of the long side of the analysis copy
# Hue (OpenCV's 0–180) and saturation/value (0–255) of the inks that are not text.
RED_HUES = ((0, 8), (165, 180))
BLUE_HUES = ((95, 135),)
INK_SATURATION = 60
INK_VALUE = 70
INK_FAINT = 22  # saturation of an ink's edge beside it (yellowed paper is ~40, not its hue)
INK_SHARE = 0.0008  # of the analysis copy's pixels: a seal or a signature, not a tint
TEXT_DARK = 110  # ink pixels darker than this are text under the ink
EDGE_LIGHT = 150  # pixels beside the ink lighter than this are its edge
RESIDUE_SHARE = 0.3  # a dark group with more of its pixels on a pen stroke is left of it
# A background whose lighter and darker parts differ by this many grey levels is flattened:
# clean scans differ by < 10 (their turned white corners included), shadows by 40 or more.
UNEVEN_LEVELS = 28
CLOSING_INCHES = 0.35  # wider than any letter, narrower than a shadow
SIDE_DARKER = 45  # grey levels: an image side this much darker than the paper is not paper
MIN_PAGE_SHARE = 0.2  # the sheet in a photo covers at least this much of it
MAX_PAGE_SHARE = 0.9  # beyond this the "photo" is a scan with dark edges
A4_RATIO = 11.69 / 8.27
DOT_INCHES = 0.025  # a dot of a form's dotted line, at most
LEADER_GAP = 0.09  # inches between the dots of one dotted line, at most
EDGE_INCHES = 0.5  # of a sheet's edge where shadows are
NO_INK_BELOW = 60  # grey levels under the paper's that ink is, at least
NO_INK_SHARE = 0.002  # of the small copy's pixels: fewer such, and the page has no text
BILEVEL_GREYS = 0.02  # grey pixels per black one, at most, in black and white (text: 0.3+)
SPECK_300 = 14  # pixels at 300 DPI: a toner speck on a photocopy, at most
HEADING_GAP = 0.2  # inches of empty column between the heading's two columns, at least
HEADING_LINES = 6  # the heading is among the page's first lines
HEADING_CENTRED = 0.15  # inches the centres of a heading column's lines may differ by
MARK_GAP = 0.025  # inches between a line and the accents above it, at most
LEADER_DOTS = 3  # what the pen left of a dotted line may be that short


@dataclass(frozen=True)
class Needs:
    inks: bool = False  # red or blue inks (seals, signatures) to drop
    flatten: bool = False  # an uneven background to divide out
    page: tuple | None = None  # the sheet's corners (tl, tr, br, bl) in a photo, full scale
    margins: bool = False  # marks outside the text block to paint white
    bilevel: bool = False  # black and white only (a photocopy, a fax): its specks to go
    blank: bool = False  # nothing darker than its paper: no text to read (a desk, grain)

    @property
    def steps(self) -> list[str]:
        """The names of the steps, in the order they run ([] on the fast path)."""
        chosen = [("blank", self.blank), ("page", self.page is not None), ("inks", self.inks)]
        chosen += [("leaders", self.inks)]
        chosen += [("despeckle", self.bilevel), ("flatten", self.flatten)]
        chosen += [("margins", self.margins)]
        return [name for name, wanted in chosen if wanted]


def opencv():
    """OpenCV, loaded on first use with one thread (the ID card reader uses it too)."""
    import cv2  # OpenCV is loaded only for the pages that need it (see the module's docstring)

    cv2.setNumThreads(1)  # one page per worker process, as Tesseract (OMP_THREAD_LIMIT=1)
    return cv2


def _small(image: Image.Image) -> tuple[Image.Image, int]:
    factor = max(1, math.ceil(max(image.size) / ANALYSIS_SIDE))
    return (image.reduce(factor) if factor > 1 else image), factor


def colourful(image: Image.Image) -> bool:
    """Whether an RGB ``image`` holds coloured ink at all (else it is read as grey)."""
    step = max(1, math.ceil(max(image.size) / (2 * ANALYSIS_SIDE)))
    size = (max(1, image.width // step), max(1, image.height // step))
    sample = image.resize(size, Image.Resampling.NEAREST)  # thin strokes kept, not averaged
    hsv = np.asarray(sample.convert("HSV"))
    strong = (hsv[..., 1] > INK_SATURATION) & (hsv[..., 2] > INK_VALUE)
    return np.count_nonzero(strong) > INK_SHARE * strong.size


def _hues(hsv: np.ndarray) -> np.ndarray:
    hue = hsv[..., 0]
    mask = np.zeros(hue.shape, dtype=bool)
    for low, high in RED_HUES + BLUE_HUES:
        mask |= (hue >= low) & (hue <= high)
    return mask & (hsv[..., 2] > INK_VALUE)


def _ink_mask(hsv: np.ndarray) -> np.ndarray:
    """Pixels of red or blue ink in an OpenCV HSV array."""
    return _hues(hsv) & (hsv[..., 1] > INK_SATURATION)


def background(gray: np.ndarray, dpi_small: float) -> np.ndarray:
    """The paper's grey level everywhere on a small grey copy: letters closed over."""
    size = max(3, round(CLOSING_INCHES * dpi_small) | 1)
    closed = ndimage.grey_closing(gray, size=(size, size))
    return ndimage.uniform_filter(closed.astype(np.float32), size=size)


def _dark_sides(gray: np.ndarray) -> int:
    """How many of the image's four sides are much darker than its paper."""
    height, width = gray.shape
    paper = np.percentile(gray[height // 4 : -height // 4, width // 4 : -width // 4], 90)
    band_y, band_x = max(2, height // 40), max(2, width // 40)
    sides = (gray[:band_y], gray[-band_y:], gray[:, :band_x], gray[:, -band_x:])
    return sum(float(np.median(side)) < paper - SIDE_DARKER for side in sides)


def find_sheet(rgb_or_gray: Image.Image) -> tuple | None:
    """The four corners (tl, tr, br, bl, full-scale pixels) of a sheet photographed on a
    desk, or None when the page fills the image or no four-sided sheet is found."""
    cv2 = opencv()
    small, factor = _small(rgb_or_gray)
    gray = np.asarray(small.convert("L"))
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(contour) / gray.size
    if not MIN_PAGE_SHARE <= share <= MAX_PAGE_SHARE:
        return None
    hull = cv2.convexHull(contour)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        rect = cv2.minAreaRect(hull)
        quad = cv2.boxPoints(rect)
    points = quad.reshape(4, 2).astype(np.float64) * factor
    total, diff = points.sum(axis=1), points[:, 1] - points[:, 0]
    corners = (
        points[np.argmin(total)],
        points[np.argmin(diff)],
        points[np.argmax(total)],
        points[np.argmax(diff)],
    )
    return tuple(tuple(float(v) for v in corner) for corner in corners)


def analyse(image: Image.Image, dpi: int) -> Needs:
    """What ``image`` (L, or RGB when it holds colour) needs, from a small copy of it."""
    small, factor = _small(image)
    gray = np.asarray(small.convert("L") if small.mode != "L" else small)
    page, dark = None, _dark_sides(gray) if min(gray.shape) >= 16 else 0
    if dark >= 3:
        page = find_sheet(image)
    inks = image.mode == "RGB"
    if gray.size < 64 or int(gray.max()) - int(gray.min()) < 32:
        return Needs(inks=inks, page=page)
    paper_level = float(np.percentile(gray, 90))
    if np.count_nonzero(gray < paper_level - NO_INK_BELOW) < NO_INK_SHARE * gray.size:
        return Needs(blank=True)  # grain, a desk, a wall: no ink on paper to read
    # A copier's or a fax's black and white: its bands and specks are no text either.
    hist = (image if image.mode == "L" else image.convert("L")).histogram()
    bilevel = sum(hist[1:255]) < BILEVEL_GREYS * hist[0]
    if inks:
        gray = np.maximum(np.asarray(small)[..., 0], np.asarray(small)[..., 2])
    paper = background(gray, dpi / factor)
    inner = paper[paper.shape[0] // 20 : -paper.shape[0] // 20 or None]
    spread = float(np.percentile(inner, 99) - np.percentile(inner, 1))
    flat = page is not None or spread > UNEVEN_LEVELS
    margins = flat or bool(dark) or bilevel
    return Needs(inks=inks, flatten=flat, page=page, margins=margins, bilevel=bilevel)


def warp_sheet(image: Image.Image, corners) -> tuple[Image.Image, int]:
    """The photographed sheet within ``corners`` as a flat A4 page, and its DPI."""
    cv2 = opencv()
    tl, tr, br, bl = (np.array(c) for c in corners)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    if width <= height and abs(height / width - A4_RATIO) < 0.25 * A4_RATIO:
        height = width * A4_RATIO  # the tilt shortens the sheet: a portrait A4 it is
    elif width > height and abs(width / height - A4_RATIO) < 0.25 * A4_RATIO:
        width = height * A4_RATIO
    size = (max(1, round(width)), max(1, round(height)))
    source = np.array([tl, tr, br, bl], dtype=np.float32)
    target = np.array(
        [[0, 0], [size[0] - 1, 0], [size[0] - 1, size[1] - 1], [0, size[1] - 1]],
        dtype=np.float32,
    )
    # Pillow warps the image it holds: through OpenCV, the photo and the flat page were
    # copied to arrays and back, 100 MB at once for a phone's 8 Mpx photo. Pillow's
    # coefficients map the flat page's pixels to the photo's (the inverse transform).
    matrix = cv2.getPerspectiveTransform(target, source)
    coefficients = tuple(float(v) for v in (matrix / matrix[2, 2]).flatten()[:8])
    fill = 255 if image.mode == "L" else (255,) * len(image.getbands())
    flat = image.transform(
        size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BILINEAR,
        fillcolor=fill,
    )
    dpi = round(min(size) / 8.27)
    return flat, max(70, dpi)


@dataclass
class Inks:
    """Where a page's red and blue inks are: ``mask`` over the box at (top, left) that
    holds them all (2: ink, 1: beside it, +4: a blue pen's stroke; see ``whiten``)."""

    mask: np.ndarray
    top: int = 0
    left: int = 0


def _strong_ink(image: Image.Image, cv2) -> np.ndarray:
    """Pixels (uint8 0/1) of strongly saturated red or blue, in bands of rows: an HSV copy
    of a whole photographed page would cost 18 MB (and its RGB array 23 MB)."""
    strong = np.zeros((image.height, image.width), dtype=np.uint8)
    for top in range(0, image.height, 256):
        band = np.asarray(image.crop((0, top, image.width, min(image.height, top + 256))))
        strong[top : top + 256] = _ink_mask(cv2.cvtColor(band, cv2.COLOR_RGB2HSV))
    return strong


def ink_free(image: Image.Image) -> tuple[Image.Image, Inks | None]:
    """Tesseract's grey copy of an RGB page in which red and blue inks are light (the larger
    of the red and blue channels), and where those inks are (``whiten`` paints them, once
    the background is flattened); None when there are none."""
    cv2 = opencv()
    gray = ImageChops.lighter(image.getchannel("R"), image.getchannel("B"))
    strong = _strong_ink(image, cv2)
    if not strong.any():
        return gray, None
    x, y, w, h = cv2.boundingRect(strong)
    pad = 8
    top, left = max(0, y - pad), max(0, x - pad)
    bottom, right = min(image.height, y + h + pad), min(image.width, x + w + pad)
    strong = strong[top:bottom, left:right]
    hsv = cv2.cvtColor(np.asarray(image.crop((left, top, right, bottom))), cv2.COLOR_RGB2HSV)
    hues = _hues(hsv)
    # A stroke's blurred, JPEG-smeared edge is paler: of the ink's hue, faintly saturated,
    # beside the ink.
    near = cv2.dilate(strong, np.ones((7, 7), np.uint8)).view(bool)
    faint = hues & (hsv[..., 1] > INK_FAINT) & near
    mask = cv2.dilate((strong.view(bool) | faint).view(np.uint8), np.ones((3, 3), np.uint8))
    # Beside the ink (2 pixels, at most), a light grey is the ink's edge, not a letter's.
    beside = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    blue = (hsv[..., 0] >= BLUE_HUES[0][0]) & (hsv[..., 0] <= BLUE_HUES[0][1])
    pen = cv2.dilate((mask.view(bool) & blue).view(np.uint8), np.ones((3, 3), np.uint8))
    return gray, Inks(mask + beside + 4 * pen, top, left)


def whiten(gray: Image.Image, inks: Inks) -> Image.Image:
    """``gray`` with the inks' pixels made paper, unless they are as dark as text (black
    text under a seal stays: red on black is black); then what is left of a pen's stroke (a
    dark group of pixels lying mostly on it: where pen and seal cross, red on blue is nearly
    black too) goes as well. A letter is not mostly on a pen's stroke and stays."""
    cv2 = opencv()
    out = np.asarray(gray).copy()
    paper = int(np.percentile(out[::8, ::8], 90))
    mask = inks.mask
    pixels = out[inks.top : inks.top + mask.shape[0], inks.left : inks.left + mask.shape[1]]
    ink, beside = mask & 3, mask > 0
    pixels[((ink > 1) & (pixels > TEXT_DARK)) | (beside & (pixels > EDGE_LIGHT))] = paper
    dark = (pixels < EDGE_LIGHT).view(np.uint8)
    count, labels = cv2.connectedComponents(dark, connectivity=8)
    if count > 1:
        total = np.bincount(labels.ravel(), minlength=count)
        on_pen = np.bincount(labels[mask > 3], minlength=count)
        residue = on_pen > RESIDUE_SHARE * total
        residue[0] = False
        pixels[residue[labels]] = paper
    return Image.fromarray(out, "L")


def despeckle(gray: Image.Image, dpi: int) -> Image.Image:
    """A black-and-white page without its toner specks: groups of ink of at most
    SPECK_300 pixels at 300 DPI (8-connected) become paper. An accent's mark is bigger; a
    3×3 median, tried first, erased the marks of ê and ô at 200 DPI (accent errors 2 → 10)."""
    cv2 = opencv()
    pixels = np.asarray(gray)
    ink = (pixels < 128).view(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= max(2, round(SPECK_300 * (dpi / 300) ** 2))
    small[0] = False
    out = pixels.copy()
    out[small[labels]] = 255
    return Image.fromarray(out, "L")


def flatten(gray: Image.Image, dpi: int) -> Image.Image:
    """``gray`` divided by its own background: white paper everywhere, ink kept dark (in
    8 bits: a float copy of a photographed page would cost 20 MB a copy)."""
    cv2 = opencv()
    small, factor = _small(gray)
    paper = np.clip(background(np.asarray(small), dpi / factor), 1, 255).astype(np.uint8)
    paper = cv2.resize(paper, gray.size, interpolation=cv2.INTER_LINEAR)
    return Image.fromarray(cv2.divide(np.asarray(gray), paper, scale=255.0), "L")


def blank_margins(gray: Image.Image, dpi: int) -> Image.Image:
    """``gray`` (white paper) with everything outside its block of text-like marks painted
    white: letters are between 0.04 and 0.6 inch high, words sit beside other letters, a
    line is half an inch long or shares its rows with one."""
    small, factor = _small(gray)
    pixels = np.asarray(small)
    scale = dpi / factor  # pixels per inch of the small copy
    ink = pixels < 160
    labels, count = ndimage.label(ink)
    if not count:
        return gray
    boxes = ndimage.find_objects(labels)
    heights = np.array([b[0].stop - b[0].start for b in boxes])
    widths = np.array([b[1].stop - b[1].start for b in boxes])
    letter = (heights <= 0.6 * scale) & (widths <= 1.2 * scale) & (heights >= 0.04 * scale)
    keep = np.zeros(count + 1, dtype=bool)
    keep[1:] = letter
    letters = keep[labels]
    # Words and lines: letters a quarter inch apart joined; a line is at least half an inch.
    joined = ndimage.binary_dilation(letters, np.ones((1, max(1, round(0.25 * scale))), bool))
    lines, found = ndimage.label(joined)
    if not found:
        return gray
    groups = ndimage.find_objects(lines)
    long = [box for box in groups if box[1].stop - box[1].start >= 0.5 * scale]
    if not long:
        return gray
    # A short group on a line's rows (a table's row number) is text too, unless it lies at
    # the sheet's edge, where shadows and a copier's bands leave marks.
    covered = np.zeros(pixels.shape[0], dtype=bool)
    for box in long:
        covered[box[0]] = True
    edge, width = EDGE_INCHES * scale, pixels.shape[1]
    chosen = long + [
        box
        for box in groups
        if covered[box[0]].any() and edge <= box[1].start and box[1].stop <= width - edge
    ]
    rows = [edge for box in chosen for edge in (box[0].start, box[0].stop)]
    cols = [edge for box in chosen for edge in (box[1].start, box[1].stop)]
    pad = 0.12 * scale
    top, bottom = max(0, (min(rows) - pad) * factor), (max(rows) + pad) * factor
    left, right = max(0, (min(cols) - pad) * factor), (max(cols) + pad) * factor
    out = np.asarray(gray).copy()
    out[: int(top)] = 255
    out[int(bottom) :] = 255
    out[:, : int(left)] = 255
    out[:, int(right) :] = 255
    return Image.fromarray(out, "L")


def erase_leaders(gray: Image.Image, dpi: int) -> Image.Image:
    """``gray`` (white paper) without the dotted lines of a form's blanks: rows of at least
    LEADER_DOTS dots (marks at most DOT_INCHES a side) no more than LEADER_GAP apart. A full
    stop, the dot of an i or under an ạ has no such row of neighbours and stays. Done in
    bands of rows (a dotted line is horizontal): a whole page's labels cost 23 MB."""
    side = max(2, round(DOT_INCHES * dpi))
    out = np.asarray(gray).copy()
    band, overlap = 256, 2 * side
    for top in range(0, out.shape[0], band):
        start = max(0, top - overlap)
        erased = _leaders(out[start : top + band + overlap], side, dpi)
        if erased is not None:
            keep = slice(top - start, top - start + band)
            region = out[top : top + band]
            region[erased[keep]] = 255
    return Image.fromarray(out, "L")


def _leaders(pixels: np.ndarray, side: int, dpi: int) -> np.ndarray | None:
    """The pixels (bool) of the dotted lines in a band of rows, or None."""
    cv2 = opencv()
    ink = (pixels < 160).view(np.uint8)
    _, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = (stats[:, cv2.CC_STAT_WIDTH] <= side) & (stats[:, cv2.CC_STAT_HEIGHT] <= side)
    small[0] = False
    if np.count_nonzero(small) < LEADER_DOTS:
        return None
    dots = small[labels].view(np.uint8)
    gap = max(3, round(LEADER_GAP * dpi))
    rows = cv2.dilate(dots, np.ones((1, gap), np.uint8))
    found, row_labels = cv2.connectedComponents(rows, connectivity=8)
    where = centres[small].astype(int)
    per_row = np.bincount(row_labels[where[:, 1], where[:, 0]], minlength=found)
    long = per_row >= LEADER_DOTS
    long[0] = False
    if not long.any():
        return None
    return (dots > 0) & long[row_labels]


def _line_bands(ink: np.ndarray, scale: float) -> list[tuple[int, int]]:
    """(top, bottom) rows of the text lines of a small ink mask (``scale`` pixels an inch):
    a letter's marks a row or two above it belong to its line."""
    rows = ink.any(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.view(np.int8), [0]))))
    bands: list[list[int]] = []
    for top, stop in zip(edges[0::2], edges[1::2], strict=True):
        if bands and top - bands[-1][1] <= max(1, round(MARK_GAP * scale)):
            bands[-1][1] = int(stop)
        else:
            bands.append([int(top), int(stop)])
    return [(top, stop) for top, stop in bands]


def _groups(line: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """(first, last + 1) columns of the runs of ink of ``line`` (bool per column) separated
    by at least ``gap`` empty columns."""
    cols = np.flatnonzero(line)
    if not len(cols):
        return []
    breaks = np.flatnonzero(np.diff(cols) > gap)
    starts = np.concatenate(([cols[0]], cols[breaks + 1]))
    stops = np.concatenate((cols[breaks], [cols[-1]])) + 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def heading_columns(gray: Image.Image, dpi: int) -> tuple[int, int] | None:
    """(split column, bottom row), full scale, of the national two-column heading at the top
    of a white-paper page (Nghị định 30/2020/NĐ-CP, Phụ lục I: the agency and the number on
    the left, the Quốc hiệu, tiêu ngữ, place and date on the right). Its first lines share
    an empty gap at least HEADING_GAP wide in the middle of the text; each holds at most one
    group of words either side of it, centred on its column (a table's row has more groups,
    a letter's left-aligned lines are not centred), and at least two lines have both. None
    for any other page."""
    small, factor = _small(gray)
    ink = np.asarray(small) < 160
    cols = np.flatnonzero(ink.any(axis=0))
    if len(cols) < 2:
        return None
    left, right = int(cols[0]), int(cols[-1]) + 1
    width, scale = right - left, dpi / factor
    zone = slice(left + int(0.2 * width), left + int(0.7 * width))
    gap = max(2, round(HEADING_GAP * scale))
    empty, sides, bottom = None, [], None
    for top, stop in _line_bands(ink, scale)[:HEADING_LINES]:
        line = ink[top:stop].any(axis=0)
        joined = ~line if empty is None else empty & ~line
        runs = np.flatnonzero(ndimage.minimum_filter1d(joined[zone].view(np.uint8), gap))
        groups = _groups(line, gap)
        if not len(runs) or len(groups) > 2:
            break
        split = zone.start + int(runs.mean())
        if len(groups) == 2 and not groups[0][1] <= split <= groups[1][0]:
            break
        empty, bottom = joined, stop
        sides.append(groups)
    pairs = [groups for groups in sides if len(groups) == 2]
    if len(pairs) < 2:
        return None
    tolerance = HEADING_CENTRED * scale
    for side in (0, 1):
        centres = [(groups[side][0] + groups[side][1]) / 2 for groups in pairs]
        if max(centres) - min(centres) > tolerance:
            return None
    runs = np.flatnonzero(ndimage.minimum_filter1d(empty[zone].view(np.uint8), gap))
    split = zone.start + int(runs.mean())
    return split * factor, min(gray.height, (bottom + max(1, round(0.08 * scale))) * factor)
