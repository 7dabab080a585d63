"""What Tesseract should not see: table rules and specks of dust, painted over in white.

Tesseract's single-block segmentation (``--psm 6``) keeps a page's reading order on tables
and letters alike, but it reads every dark mark on a line: ruling lines become ``|``, ``_``
or glue that merges rows into nonsense, and specks become ``.``, ``:`` and ``'``. So, on the
deskewed page:

- the ink is separated from the paper with Otsu's threshold;
- rules are runs of ink at least RULE_INCHES long, horizontal or vertical (a minimum then a
  maximum filter along each axis, linear in the page's size);
- specks are 8-connected blobs of ink smaller than SPECK_AREA_300 pixels at 300 DPI (a full
  stop at 10 pt is about 25), once rules are gone;

and both are painted with the paper's colour. The image kept in the searchable PDF is the
page before this cleaning; only Tesseract's input is cleaned.
"""

import numpy as np
from PIL import Image
from scipy import ndimage

RULE_INCHES = 0.8
SPECK_AREA_300 = 12
EIGHT_CONNECTED = np.ones((3, 3), dtype=bool)
BAND_ROWS = 768
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


def _rules(ink: np.ndarray, length: int, halo: int) -> np.ndarray:
    """Pixels of ink that belong to a horizontal or vertical run of about ``length`` or more.

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
        runs = ndimage.maximum_filter1d(runs, short, axis=1)
        # Widened across by the halo that resampling leaves along a rule: grey pixels
        # lighter than the threshold here may be ink by Tesseract's once the rule is gone.
        runs = ndimage.maximum_filter1d(runs, halo * 2 + 1, axis=0)
        rules[:, :cut] = np.repeat(runs, 4, axis=1)
    # Vertical: 4 rows at a time.
    cut = height - height % 4
    shrunk = ink[0:cut:4] & ink[1:cut:4] & ink[2:cut:4] & ink[3:cut:4]
    runs = ndimage.minimum_filter1d(shrunk, short, axis=0)
    if runs.any():
        runs = ndimage.maximum_filter1d(runs, short, axis=0)
        rules[:cut] |= ndimage.maximum_filter1d(np.repeat(runs, 4, axis=0), halo * 2 + 1, axis=1)
    return rules


def _specks(ink: np.ndarray, limit: int) -> np.ndarray:
    """Pixels of ink in 8-connected blobs of at most ``limit`` pixels. Labelled in bands of
    rows to keep memory low; a band is read with MARGIN more rows either side, and a blob
    that reaches past the margin has more than ``limit`` pixels, so the bands agree with a
    whole-page labelling."""
    margin = limit + 2
    specks = np.zeros_like(ink)
    for top in range(0, ink.shape[0], BAND_ROWS):
        start, stop = max(0, top - margin), min(ink.shape[0], top + BAND_ROWS + margin)
        labels, count = ndimage.label(ink[start:stop], structure=EIGHT_CONNECTED)
        if not count:
            continue
        small = np.bincount(labels.ravel()) <= limit
        small[0] = False
        core = slice(top - start, top - start + min(BAND_ROWS, ink.shape[0] - top))
        specks[top : top + BAND_ROWS] = small[labels[core]]
    return specks


def clean_for_ocr(gray: Image.Image, dpi: int) -> Image.Image:
    """``gray`` with its rules and specks painted in the paper's colour (a new image)."""
    pixels = np.array(gray, dtype=np.uint8)  # a writable copy, painted and returned
    if pixels.size == 0 or int(pixels.max()) - int(pixels.min()) < 32:
        return gray  # blank or uniform: nothing to clean
    threshold = otsu_threshold(pixels)
    ink = (pixels <= threshold).view(np.uint8)
    rules = _rules(ink, max(20, round(RULE_INCHES * dpi)), max(1, round(dpi / 150)))
    ink &= rules ^ 1
    limit = max(2, round(SPECK_AREA_300 * (dpi / 300) ** 2))
    rules |= _specks(ink, limit)
    del ink
    paper = int(np.percentile(pixels[::8, ::8], 90))
    pixels[rules.view(bool)] = max(paper, threshold + 1)
    return Image.fromarray(pixels, "L")
