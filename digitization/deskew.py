"""Skew of a scanned page, estimated cheaply, and its correction.

The estimate is a projection profile on a downscaled, binarised copy about WORK_WIDTH
pixels wide: the dark pixels are sheared by each candidate angle and counted per row; the
angle at which text lines fall into the fewest, fullest rows (the largest sum of squared
differences between neighbouring rows) is the skew. A coarse pass over ±MAX_ANGLE in
COARSE_STEP on a copy halved again, then 0.1° steps around its best angle, then FINE_STEP
either side: about 12 ms for an A4 page, found to 0.05° on the bench's pages. The same
profiles on columns tell a page whose lines run down it (a scan fed sideways).
"""

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .paper import opencv

MAX_ANGLE = 6.0  # degrees searched either way
COARSE_STEP = 0.5
MIDDLE_STEP = 0.1
FINE_STEP = 0.05
WORK_WIDTH = 900  # pixels of the downscaled copy, at most
MIN_DARK = 200  # fewer dark pixels than this: a blank page, no skew
MIN_SKEW = 0.1  # below this, rotating costs more than it gives


def _otsu(values: np.ndarray) -> int:
    hist = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weights = np.cumsum(hist)
    means = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (means[-1] * weights - means * total) ** 2 / (weights * (total - weights))
    return int(np.nanargmax(between))


def dark_pixels(gray: Image.Image) -> np.ndarray | None:
    """The ink of a copy of ``gray`` at most WORK_WIDTH wide (bool), or None when the page
    is blank, uniform or mostly dark (nothing to measure)."""
    factor = max(1, math.ceil(gray.width / WORK_WIDTH))
    small = gray.reduce(factor) if factor > 1 else gray
    pixels = np.asarray(small, dtype=np.uint8)
    if pixels.size == 0 or int(pixels.max()) - int(pixels.min()) < 32:
        return None  # a blank (or uniformly grey) page
    dark = pixels < min(_otsu(pixels), 200)
    count = int(np.count_nonzero(dark))
    if count < MIN_DARK or count > dark.size / 2:
        return None
    return dark


def _halve(dark: np.ndarray) -> np.ndarray:
    rows, cols = dark.shape[0] // 2 * 2, dark.shape[1] // 2 * 2
    tall = dark[0:rows:2, :cols] | dark[1:rows:2, :cols]
    return tall[:, 0::2] | tall[:, 1::2]


def _points(dark: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.nonzero(dark)
    return xs.astype(np.float64) - dark.shape[1] / 2, ys.astype(np.float64)


def _score(xs: np.ndarray, ys: np.ndarray, angle: float, height: int) -> float:
    rows = np.rint(ys - xs * math.tan(math.radians(angle))).astype(np.int64) + height
    hist = np.bincount(rows, minlength=3 * height).astype(np.float64)
    return float(np.square(np.diff(hist)).sum())


def _scores(dark: np.ndarray, angles) -> list[float]:
    xs, ys = _points(dark)
    return [_score(xs, ys, angle, dark.shape[0]) for angle in angles]


def _best(dark: np.ndarray, angles) -> float:
    return float(angles[int(np.argmax(_scores(dark, angles)))])


@dataclass(frozen=True)
class Lines:
    skew: float = 0.0  # degrees, see estimate_skew
    vertical: bool = False  # the lines run down the page: a scan fed sideways


def find_lines(gray: Image.Image) -> Lines:
    """The skew of the text lines of ``gray``, or that they run down the page.

    Lines run down the page when the columns' projection profile, at its best angle in 1°
    steps, is sharper than the rows' at theirs: by 4 to 12 times the other way on the
    bench's upright pages, letters and tables alike (a couple of ms more per page)."""
    dark = dark_pixels(gray)
    if dark is None:
        return Lines()
    half = _halve(dark)
    coarse = np.arange(-MAX_ANGLE, MAX_ANGLE + COARSE_STEP / 2, COARSE_STEP)
    rows = _scores(half, coarse)
    columns = _scores(np.ascontiguousarray(half.T), np.arange(-MAX_ANGLE, MAX_ANGLE + 0.5, 1.0))
    if max(columns) > max(rows):
        return Lines(vertical=True)
    best = float(coarse[int(np.argmax(rows))])
    middle = np.arange(best - COARSE_STEP, best + COARSE_STEP + MIDDLE_STEP / 2, MIDDLE_STEP)
    best = _best(dark, middle)
    best = round(_best(dark, np.array([best - FINE_STEP, best, best + FINE_STEP])), 2)
    return Lines(skew=best if abs(best) >= MIN_SKEW else 0.0)


def estimate_skew(gray: Image.Image) -> float:
    """Degrees by which the text lines of ``gray`` descend to the right (positive) or rise;
    ``rotate(gray, angle)`` makes them level. 0.0 for blank pages, tiny skews and lines that
    run down the page."""
    return find_lines(gray).skew


def rotate(image: Image.Image, angle: float) -> Image.Image:
    """``image`` turned by ``angle`` degrees to level its lines, same size, white corners.
    Bilinear: nearest-neighbour doubles the accent errors, bicubic is no better for Tesseract.
    A grey page (Tesseract's copy, and the page shown when it is grey) is turned by OpenCV's
    ``warpAffine``: 15 ms for an A4 page at 300 DPI against 72 ms for Pillow's ``rotate``,
    0.08 grey levels apart on average (OpenCV places its samples to 1/32 of a pixel); a colour
    page to show keeps Pillow's, which makes no copy of it: OpenCV's array in and array out
    of a phone photo's 24 MB raised the worker's peak memory by 45 MB."""
    if image.mode != "L":
        return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor="white")
    cv2 = opencv()
    pixels = np.asarray(image)
    height, width = pixels.shape
    # Pillow turns about the image's centre, counter-clockwise for a positive angle: so does
    # this matrix, the centre in pixel-centre coordinates.
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    turned = cv2.warpAffine(
        pixels,
        matrix,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )
    return Image.fromarray(turned)  # uint8, one channel: mode L
