"""Folding OCR text for diacritics-insensitive search, character by character.

Unlike dossiers.text.fold (which also collapses spaces), ``fold_chars`` keeps every position:
``fold_chars(t)[i]`` is the folded ``t[i]``, so a match found in the folded column is cut
from the original text at the same offsets for the snippet.
"""

import unicodedata

from dossiers.text import fold, has_diacritics

__all__ = ["fold", "fold_chars", "has_diacritics", "normalise"]


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.lower()
    return base if len(base) == 1 else ch.lower()[:1] or ch


def fold_chars(text: str) -> str:
    """Lower case without marks, one character for one character of the NFC text."""
    return "".join(_fold_char(ch) for ch in normalise(text))
