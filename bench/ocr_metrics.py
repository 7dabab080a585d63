"""Accuracy of recognised text against its truth.

Both texts are NFC-normalised and every run of white space becomes one space, so line breaks
and the blank lines between paragraphs cost nothing; everything else (letters, marks, case,
punctuation, digits) counts.

- CER: character edit distance / characters of the truth.
- CER without diacritics: the same after removing every combining mark and đ→d on both sides.
- WER: word edit distance / words of the truth.
- Accent errors: aligned substitutions (one optimal character alignment) where the two letters
  have the same base letter, case ignored, but different marks (ă→a, ợ→ơ, Đ→D, …), per mille
  of the truth's letters that carry a mark.
- Number tokens: dates (d/m/yyyy), 12-digit ID numbers, amounts with thousand dots; one is
  missed when the recognised text holds fewer exact copies of it than the truth.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

NUMBER_RE = re.compile(
    r"(?<![\d./])(?:\d{1,2}/\d{1,2}/\d{4}|\d{12}|\d{1,3}(?:\.\d{3})+)(?![\d/]|\.\d)"
)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def base(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def strip_marks(text: str) -> str:
    return "".join(base(c) for c in text)


def has_mark(char: str) -> bool:
    return char.isalpha() and base(char) != char


@dataclass
class Score:
    chars: int = 0
    char_errors: int = 0
    bare_errors: int = 0
    words: int = 0
    word_errors: int = 0
    accented: int = 0
    accent_errors: int = 0
    numbers: int = 0
    numbers_missed: int = 0

    def __add__(self, other: "Score") -> "Score":
        return Score(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
            }
        )

    @property
    def cer(self) -> float:
        return self.char_errors / max(1, self.chars)

    @property
    def bare_cer(self) -> float:
        return self.bare_errors / max(1, self.chars)

    @property
    def wer(self) -> float:
        return self.word_errors / max(1, self.words)

    @property
    def accent_per_mille(self) -> float:
        return 1000 * self.accent_errors / max(1, self.accented)

    @property
    def numbers_missed_share(self) -> float:
        return self.numbers_missed / max(1, self.numbers)


def accent_errors(truth: str, read: str) -> int:
    errors = 0
    for tag, i, j in Levenshtein.editops(truth, read):
        if tag != "replace":
            continue
        a, b = truth[i], read[j]
        if a.lower() != b.lower() and base(a).lower() == base(b).lower() and base(a).isalpha():
            errors += 1
    return errors


def numbers_missed(truth: str, read: str) -> tuple[int, int]:
    wanted, found = Counter(NUMBER_RE.findall(truth)), Counter(NUMBER_RE.findall(read))
    missed = sum(max(0, count - found[token]) for token, count in wanted.items())
    return sum(wanted.values()), missed


def score(truth: str, read: str) -> Score:
    truth, read = normalise(truth), normalise(read)
    total_numbers, missed = numbers_missed(truth, read)
    truth_words, read_words = truth.split(), read.split()
    return Score(
        chars=len(truth),
        char_errors=Levenshtein.distance(truth, read),
        bare_errors=Levenshtein.distance(strip_marks(truth), strip_marks(read)),
        words=len(truth_words),
        word_errors=Levenshtein.distance(truth_words, read_words),
        accented=sum(has_mark(c) for c in truth),
        accent_errors=accent_errors(truth, read),
        numbers=total_numbers,
        numbers_missed=missed,
    )
