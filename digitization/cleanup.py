"""What Tesseract should see: the ink alone, on white paper, without rules or specks.

Tesseract's single-block segmentation (``--psm 6``) keeps a page's reading order on tables
and letters alike, but it reads every dark mark on a line: ruling lines become ``|``, ``_``
or glue that merges rows into nonsense, and specks become ``.``, ``:`` and ``'``; and the
grain of the paper and of the strokes costs it accents (``ề`` read ``ể``) and time. So, on
the deskewed page:

- the ink is separated from the paper with Otsu's threshold;
- rules are runs of ink at least RULE_INCHES long, horizontal or vertical (a minimum then a
  maximum filter along each axis, linear in the page's size);
- specks are isolated groups of ink of at most SPECK_AREA_300 pixels at 300 DPI (a full
  stop at 10 pt is about 25), once rules are gone;
- the paper is made white: every grey level above PAPER_CUT of the way from the threshold
  to the paper's level becomes 255, rules and specks too; the ink and its anti-aliased
  edges keep their grey levels;
- on a grainy page (neighbouring paper pixels differ by GRAIN_MIN grey levels or more, as
  on every scan of the bench), a 3×3 median takes the grain off the strokes' edges. A page
  without grain (a clean render) is left as it is: there the median would only erase the
  1-pixel strokes of accents at 200 DPI (``đồng`` read ``đông``). Nor is a page under
  MEDIAN_MIN_DPI: on the bench's 150 DPI office copy the median turns ``bằng`` into
  ``băng`` and ``cầu`` into ``câu`` (accent errors 7 → 0 without it, CER 1.3 % → 1.8 %).

On the bench's pages (bench/bench_ocr.py) white paper and the median together divide CER by
5 and accent errors by 2, and Tesseract is faster on the cleaner page than on the scan. The
image kept in the searchable PDF is the page before this cleaning; only Tesseract's input is
cleaned. Work is done in bands of rows to keep the temporaries small.
"""

import numpy as np
from PIL import Image
from scipy import ndimage

RULE_INCHES = 0.8
SPECK_AREA_300 = 12
PAPER_CUT = 0.6
GRAIN_MIN = 2
MEDIAN_MIN_DPI = 170  # below, the median erases accents' strokes (150 DPI office copies)
EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)
BAND_ROWS = 256
CELL = 4  # pixels a side of the cells in which specks are looked for
ALL_INK = np.frombuffer(b"\x01\x01\x01\x01", dtype=np.uint32)[0]


def otsu_threshold(pixels: np.ndarray) -> int:
    """Otsu's threshold on a sample of the page (every 4th pixel of every 4th row)."""
    hist = np.bincount(pixels[::4, ::4].ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weights = np.cumsum(hist)
    means = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (means[-1] * weights - means * total) ** 2 / (weights * (total - weights))
    if not np.isfinite(between).any():
        return 0
    return int(np.nanargmax(between))


def _widen(marks: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """``marks`` (0/1) OR'd with its neighbours up to ``radius`` away along ``axis``."""
    out = marks.copy()
    for step in range(1, radius + 1):
        if axis == 0:
            out[step:] |= marks[:-step]
            out[:-step] |= marks[step:]
        else:
            out[:, step:] |= marks[:, :-step]
            out[:, :-step] |= marks[:, step:]
    return out


def _rules(ink: np.ndarray, length: int, halo: int) -> np.ndarray:
    """Pixels of ink that belong to a horizontal or vertical run of about ``length`` or more,
    widened across by ``halo``: the grey edge that resampling leaves along a rule, lighter
    than the threshold, may be ink by Tesseract's once the rule is gone.

    Each direction is searched on a copy shrunk 4 times along the run (a shrunk pixel is ink
    when its 4 pixels are: along a row, 4 bytes read as one 32-bit word), which makes the
    filters 4 times cheaper; the few ink pixels left at a rule's ends go with the specks."""
    height, width = ink.shape
    short = max(2, length // 4 - 1)
    rules = np.zeros_like(ink)
    # Horizontal: 4 neighbouring bytes of a row are all ink when their word is 0x01010101.
    cut = width - width % 4
    shrunk = (np.ascontiguousarray(ink[:, :cut]).view(np.uint32) == ALL_INK).view(np.uint8)
    runs = ndimage.minimum_filter1d(shrunk, short, axis=1)
    if runs.any():
        runs = _widen(ndimage.maximum_filter1d(runs, short, axis=1), halo, axis=0)
        rules[:, :cut] = np.repeat(runs, 4, axis=1)
    # Vertical: 4 rows at a time.
    cut = height - height % 4
    shrunk = ink[0:cut:4] & ink[1:cut:4] & ink[2:cut:4] & ink[3:cut:4]
    runs = ndimage.minimum_filter1d(shrunk, short, axis=0)
    if runs.any():
        runs = _widen(ndimage.maximum_filter1d(runs, short, axis=0), halo, axis=1)
        rules[:cut].reshape(cut // 4, 4, width)[...] |= runs[:, None, :]
    return rules


def _mark_specks(ink: np.ndarray, limit: int, marks: np.ndarray) -> None:
    """Sets to 1 in ``marks`` the ink pixels of isolated specks: groups of at most ``limit``
    pixels of ink with no other ink in the CELL×CELL cells around them.

    The page is cut into cells of CELL×CELL pixels; cells holding ink are labelled
    (8-connected), and a group of cells whose ink adds up to ``limit`` pixels or fewer is a
    speck. Labelling cells is 16 times cheaper than labelling pixels, and a small mark
    within a cell or two of a letter (part of a stacked accent) joins the letter's group and
    is kept."""
    height, width = ink.shape
    rows, cols = height - height % CELL, width - width % CELL
    if not rows or not cols:
        return
    tall = ink[0:rows:CELL, :cols].copy()
    for offset in range(1, CELL):
        tall += ink[offset:rows:CELL, :cols]
    counts = tall[:, 0::CELL].copy()
    for offset in range(1, CELL):
        counts += tall[:, offset::CELL]
    labels, count = ndimage.label(counts, structure=EIGHT_CONNECTED)
    if not count:
        return
    area = np.bincount(labels.ravel(), weights=counts.ravel())
    small = area <= limit
    small[0] = False
    cell_rows, cell_cols = np.nonzero(small[labels])
    if len(cell_rows):
        span = np.arange(CELL)
        ys = (cell_rows * CELL)[:, None, None] + span[None, :, None]
        xs = (cell_cols * CELL)[:, None, None] + span[None, None, :]
        marks[ys, xs] |= ink[ys, xs]


def _grain(pixels: np.ndarray, light: float) -> int:
    """The grain of the paper: the median difference, in grey levels, between neighbouring
    pixels both lighter than ``light``, on every 8th row."""
    rows = pixels[::8].astype(np.int16)
    left, right = rows[:, :-1], rows[:, 1:]
    paper = (left > light) & (right > light)
    if not paper.any():
        return 0
    return int(np.median(np.abs(left - right)[paper]))


def _median3(pixels: np.ndarray) -> np.ndarray:
    """The exact 3×3 median (the border rows and columns kept as they are), in bands of
    rows: each column's three values sorted once, then the median of a window is the
    median of the largest low, the median middle and the smallest high."""
    out = pixels.copy()
    height = pixels.shape[0]
    for top in range(1, height - 1, BAND_ROWS):
        stop = min(height - 1, top + BAND_ROWS)
        a, b, c = pixels[top - 1 : stop - 1], pixels[top:stop], pixels[top + 1 : stop + 1]
        low, high = np.minimum(a, b), np.maximum(a, b)
        middle = np.maximum(low, np.minimum(high, c))
        np.minimum(low, c, out=low)
        np.maximum(high, c, out=high)
        lows = np.maximum(np.maximum(low[:, :-2], low[:, 1:-1]), low[:, 2:])
        highs = np.minimum(np.minimum(high[:, :-2], high[:, 1:-1]), high[:, 2:])
        m0, m1, m2 = middle[:, :-2], middle[:, 1:-1], middle[:, 2:]
        middles = np.maximum(np.minimum(m0, m1), np.minimum(np.maximum(m0, m1), m2))
        low_mid, high_mid = np.minimum(lows, middles), np.maximum(lows, middles)
        out[top:stop, 1:-1] = np.maximum(low_mid, np.minimum(high_mid, highs))
    return out


def clean_for_ocr(gray: Image.Image, dpi: int) -> Image.Image:
    """``gray`` with white paper, its rules and specks painted white, and the grain taken
    off by a 3×3 median (a new image)."""
    pixels = np.asarray(gray, dtype=np.uint8)
    if pixels.size == 0 or int(pixels.max()) - int(pixels.min()) < 32:
        return gray  # blank or uniform: nothing to clean
    threshold = otsu_threshold(pixels)
    ink = (pixels <= threshold).view(np.uint8)
    white = _rules(ink, max(20, round(RULE_INCHES * dpi)), max(1, round(dpi / 150)))
    np.greater(ink, white, out=ink.view(bool))  # the ink that is not a rule
    _mark_specks(ink, max(2, round(SPECK_AREA_300 * (dpi / 300) ** 2)), white)
    del ink
    paper = int(np.percentile(pixels[::8, ::8], 90))
    cut = min(255, threshold + 1 + round(PAPER_CUT * max(0, paper - threshold - 1)))
    white |= (pixels >= cut).view(np.uint8)
    # 0 or 255 per pixel, OR'd on: white where marked, the grey level elsewhere.
    grainy = _grain(pixels, (threshold + paper) / 2) >= GRAIN_MIN and dpi >= MEDIAN_MIN_DPI
    cleaned = pixels | np.negative(white, out=white)
    return Image.fromarray(_median3(cleaned) if grainy else cleaned, "L")
