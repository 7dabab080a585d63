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
STEP = 4


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


def _rules(ink: np.ndarray, length: int) -> np.ndarray:
    """Pixels of ink that belong to a horizontal or vertical run of about ``length`` or more.

    Each direction is searched on a copy shrunk STEP times along the run (a shrunk pixel is
    ink when all its STEP pixels are), which makes the filters STEP times cheaper; the few
    ink pixels left at a rule's ends are specks and go with them."""
    rules = np.zeros_like(ink)
    short = max(2, length // STEP - 1)
    for axis in (0, 1):
        cut = ink.shape[axis] - ink.shape[axis] % STEP

        def every(k, cut=cut, axis=axis):
            return (slice(None), slice(k, cut, STEP)) if axis else (slice(k, cut, STEP),)

        shrunk = ink[every(0)].copy()
        for k in range(1, STEP):
            shrunk &= ink[every(k)]
        runs = ndimage.minimum_filter1d(shrunk, short, axis=axis)
        if not runs.any():
            continue
        runs = ndimage.maximum_filter1d(runs, short, axis=axis)
        for k in range(STEP):
            rules[every(k)] |= runs
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
    rules = _rules(ink, max(20, round(RULE_INCHES * dpi)))
    ink &= rules ^ 1
    limit = max(2, round(SPECK_AREA_300 * (dpi / 300) ** 2))
    rules |= _specks(ink, limit)
    del ink
    paper = int(np.percentile(pixels[::8, ::8], 90))
    pixels[rules.view(bool)] = max(paper, threshold + 1)
    return Image.fromarray(pixels, "L")
