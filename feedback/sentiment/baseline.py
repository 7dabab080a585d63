"""The keyword baseline the trained model must beat: count positive and negative words of a
short list (on the text folded to plain letters, so it reads text typed without diacritics);
more negative than positive words is negative, more positive is positive, else neutral. No
negation handling, no teencode: that is what the model is for."""

import re

from dossiers.text import fold

POSITIVE = (
    "hai long",
    "tot",
    "nhanh",
    "nhiet tinh",
    "chu dao",
    "cam on",
    "tuyet",
    "de dang",
    "thuan tien",
    "lich su",
    "dung hen",
    "vui ve",
    "tan tinh",
)
NEGATIVE = (
    "cham",
    "te",
    "kem",
    "lau",
    "kho chiu",
    "that vong",
    "qua han",
    "gay kho",
    "cau gat",
    "buc xuc",
    "phien",
    "loi",
    "sai",
    "vong vo",
    "nhung nhieu",
)
_WORD = {w: re.compile(rf"\b{re.escape(w)}\b") for w in POSITIVE + NEGATIVE}


def _hits(text, words):
    return sum(len(_WORD[w].findall(text)) for w in words)


def baseline_label(text: str) -> str:
    folded = fold(text)
    positive, negative = _hits(folded, POSITIVE), _hits(folded, NEGATIVE)
    if negative > positive:
        return "negative"
    if positive > negative:
        return "positive"
    return "neutral"
