"""Text as the model reads it: lower case, diacritics folded (đ → d; text typed without marks
reads the same as with), teencode spelled out, negation marked, and sentiment words tagged.

- **Negation**: the words after a negation (không, chẳng, chưa, chả — and their teencode: ko,
  k, hok…) up to ``SCOPE`` words or the end of the clause get an ``n_`` prefix, so "không
  chậm" and "chậm" are different features.
- **Sentiment words**: each word of the small lexicon below adds a marker ``xpos`` or
  ``xneg`` — flipped inside a negation's scope ("không chậm" adds ``xpos``, "chẳng hài lòng"
  ``xneg``) — which lets the model generalise past the words of its training set.
"""

import re

from dossiers.text import fold

# Teencode and short forms seen in comments (folded forms).
TEENCODE = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "dc": "duoc",
    "dk": "duoc",
    "bt": "binh thuong",
    "j": "gi",
    "hs": "ho so",
    "kq": "ket qua",
    "nv": "nhan vien",
    "mn": "moi nguoi",
    "tks": "cam on",
    "thanks": "cam on",
    "thank": "cam on",
    "ok": "on",
    "vl": "qua",
    "ad": "anh chi",
    "ki": "ky",
}
NEGATIONS = frozenset({"khong", "chang", "chua", "cha"})
SCOPE = 3
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
    "tien loi",
    "lich su",
    "dung hen",
    "vui ve",
    "tan tinh",
    "tan tam",
    "than thien",
    "chuyen nghiep",
    "ro rang",
    "kien nhan",
    "xuat sac",
    "hieu qua",
    "sach se",
    "minh bach",
    "thoa dang",
    "de thuong",
    "gon",
    "som",
    "hop ly",
    "huu ich",
    "cam kich",
    "tien bo",
)
NEGATIVE = (
    "cham",
    "te",
    "kem",
    "lau",
    "kho chiu",
    "that vong",
    "qua han",
    "qua hen",
    "tre hen",
    "gay kho",
    "lam kho",
    "cau gat",
    "gat",
    "buc",
    "buc xuc",
    "phien",
    "phan nan",
    "loi",
    "sai",
    "vong vo",
    "nhung nhieu",
    "hach dich",
    "tho o",
    "treo",
    "tac trach",
    "chan",
    "bat cong",
    "ruom ra",
    "mat thoi gian",
    "uong cong",
    "that lac",
    "qua loa",
    "dun day",
    "thieu",
    "kho",
    "tre",
    "hong",
    "la mang",
)
_LEXICON = sorted(
    [(tuple(w.split()), "xpos") for w in POSITIVE] + [(tuple(w.split()), "xneg") for w in NEGATIVE],
    key=lambda entry: -len(entry[0]),
)
_CLAUSE = re.compile(r"[,.;:!?()\n]+")
_WORD = re.compile(r"[a-z0-9]+")
FLIP = {"xpos": "xneg", "xneg": "xpos"}


def words(text: str) -> list[list[str]]:
    """The clauses of ``text`` as lists of folded words, teencode spelled out."""
    clauses = []
    for clause in _CLAUSE.split(fold(text)):
        spelled = " ".join(TEENCODE.get(w, w) for w in _WORD.findall(clause)).split()
        if spelled:
            clauses.append(spelled)
    return clauses


def markers(clause, negated):
    """``xpos``/``xneg`` for each lexicon phrase of the clause (longest first, no overlap),
    flipped where the phrase starts inside a negation's scope."""
    found, i = [], 0
    while i < len(clause):
        for phrase, marker in _LEXICON:
            if tuple(clause[i : i + len(phrase)]) == phrase:
                found.append(FLIP[marker] if negated[i] else marker)
                i += len(phrase)
                break
        else:
            i += 1
    return found


def normalise(text: str) -> str:
    out = []
    for clause in words(text):
        negated, left = [], 0
        for word in clause:
            if word in NEGATIONS:
                negated.append(False)
                # A negation inside another's scope cancels it ("không có gì không hài lòng").
                left = 0 if left > 0 else SCOPE
                continue
            negated.append(left > 0)
            left -= 1
        out += [f"n_{w}" if neg else w for w, neg in zip(clause, negated, strict=True)]
        out += markers(clause, negated)
    return " ".join(out)


def plain(text: str) -> str:
    """The folded, spelled-out text without markers (what the character n-grams read)."""
    return " ".join(" ".join(clause) for clause in words(text))
