"""Tone marks put right after Tesseract, only where Tesseract itself hesitated (issue #20).

Tesseract's vie model reads some syllables with the wrong tone whatever the font or scale:
``chi trả`` as ``chỉ trả`` (its first choice for the vowel scores 94, the plain ``i`` 62),
``Tự do`` as ``Tự đo``. Read alone, each of those syllables is a word; read with its
neighbours it is not. So, per line of the page:

1. Tesseract is asked for its alternatives (``lstm_choice_mode=2``, written to the hOCR
   output): for each letter the characters it considered, with their confidence. A letter is
   *doubted* when another character of the same base letter (the same vowel with another
   mark, d/đ) scored at least ``DOUBT``; nothing else is ever changed, and no letter that
   Tesseract was sure of.
2. The syllables between punctuation are split into words of the dictionary by dynamic
   programming (``CHANGE_COST`` per syllable changed, a syllable alone costs more than a
   syllable inside a word of two or more, a syllable the dictionary lacks costs most), over
   the spellings the doubts allow. ``chỉ trả`` (two words alone) becomes ``chi trả`` (one
   word of the dictionary, one change).
3. A capitalised syllable (a name, a heading) changes only inside a place name of the
   official list: the dictionary does not know people's names.

The dictionary is underthesea's Viet74K word list (74,000 Vietnamese words and compounds,
shipped in the ``underthesea`` wheel; read as a file, the package itself is not imported:
its NLP models are not needed). Place names are those of ``vietnam-provinces`` (the 34
provinces and 3,321 communes and wards of 2025).

The corrected spelling replaces the word in the text, in the word boxes and in the
searchable PDF's invisible text (``retext_pdf``), so that search finds what the page says.
"""

import bisect
import functools
import importlib.metadata
import io
import itertools
import json
import logging
import re
import unicodedata
from array import array

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject

log = logging.getLogger(__name__)

DOUBT = 1.0  # an alternative scored at least this (0–100) makes the letter doubted
CHANGE_COST = 1.5  # per syllable whose marks are changed
ALONE_COST = 1.0  # a syllable that is a word of the dictionary, alone
UNKNOWN_COST = 3.0  # a syllable the dictionary does not have
LONGEST = 4  # syllables in the longest word looked up
MOST_SPELLINGS = 8  # spellings tried per syllable (its doubts' combinations)

WORDS = ("underthesea", "underthesea/corpus/data/Viet74K.txt")
PLACES = ("vietnam-provinces", "vietnam_provinces/data/flat-divisions.json")
PLACE_PREFIXES = re.compile(r"^(Thành phố|Tỉnh|Phường|Xã|Đặc khu|Thị trấn) ")
TOKEN = re.compile(r"^(\W*)(\w+?)(\W*)$")
CONFS = re.compile(r"x_confs ([\d.]+)")


class Words:
    """A set of words in little memory: the sorted hashes of the words, looked up by
    bisection in C (a set of 74,000 Python strings takes about 10 MB, this 0.6 MB). Two
    words of one hash (1 in 10^14 for 64-bit hashes) would be taken for each other."""

    def __init__(self, words):
        self._hashes = array("q", sorted({hash(word) for word in words}))

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, word: str) -> bool:
        key = hash(word)
        index = bisect.bisect_left(self._hashes, key)
        return index < len(self._hashes) and self._hashes[index] == key


def _data_file(distribution: str, path: str):
    return importlib.metadata.distribution(distribution).locate_file(path)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.cache
def dictionary() -> Words:
    text = _data_file(*WORDS).read_text(encoding="utf-8")
    return Words(nfc(line.strip().lower()) for line in text.splitlines() if line.strip())


@functools.cache
def places() -> Words:
    rows = json.loads(_data_file(*PLACES).read_text(encoding="utf-8"))
    names = set()
    for row in rows:
        for name in (row["name"], row["province_name"]):
            name = PLACE_PREFIXES.sub("", nfc(name)).lower()
            if " " in name:
                names.add(name)
    return Words(names)


def base(char: str) -> str:
    """The letter without its marks, đ as d, lower case."""
    marks = unicodedata.normalize("NFD", char)
    stripped = "".join(c for c in marks if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def doubts(text: str, places) -> list:
    """The doubted letters of a word read as ``text``: ``(position, [other characters of the
    same letter])``. ``places`` are the word's LSTM choices as hOCR elements, one per
    character (a space first, sometimes), each holding the characters weighed, best first,
    with their confidence (``x_confs``). None when the best choices do not spell ``text``."""
    found, spelt = [], []
    for place in places:
        if not len(place):
            continue
        first = nfc(place[0].text or "")
        if not first or first.isspace():
            continue
        if len(place) > 1:
            others = _others(place, first)
            if others:
                found.append((len(spelt), others))
        spelt.append(first)
    return found if "".join(spelt) == nfc(text) else []


def _others(place, first: str) -> list[str]:
    """The other marks of ``first``'s letter that Tesseract weighed at ``DOUBT`` or more.
    The confidence is looked at first: most choices score 0 and cost nothing more."""
    others = []
    for choice in place[1:]:
        match = CONFS.match(choice.get("title", ""))
        if not match or float(match[1]) < DOUBT:
            continue
        char = nfc(choice.text or "")
        if (
            len(char) == 1
            and char != first
            and char not in others
            and char.isupper() == first.isupper()
            and base(char) == base(first)
        ):
            others.append(char)
    return others


def spellings(core: str, doubts) -> list[str]:
    """``core`` and the spellings its doubted letters allow, ``core`` first."""
    options = [[char] for char in core]
    for position, others in doubts:
        if position < len(options):
            options[position] += others
    found = ["".join(letters) for letters in itertools.product(*options)]
    return found[:MOST_SPELLINGS]


def correct_tokens(tokens: list[str], doubts: list) -> dict[int, str]:
    """The tokens (words as read, punctuation attached) whose tone marks should change:
    ``{index: corrected token}``. ``doubts[i]`` lists token i's doubted letters."""
    changes = {}
    run = []  # (index, prefix, core, suffix, spellings) of the syllables of one run
    for index, token in enumerate(tokens):
        match = TOKEN.match(token)
        syllable = match and match[2].isalpha()
        if syllable and match[1] and run:
            changes.update(_correct_run(run))
            run = []
        if syllable:
            prefix = match[1]
            shifted = [(p - len(prefix), o) for p, o in doubts[index] if p >= len(prefix)]
            core = match[2]
            cased = core.islower() or core.istitle() or core.isupper()  # not junk like sướNg
            options = spellings(core, shifted) if cased else [core]
            run.append((index, prefix, core, match[3], options))
        if (not syllable or match[3]) and run:
            changes.update(_correct_run(run))
            run = []
    if run:
        changes.update(_correct_run(run))
    return changes


def _correct_run(run) -> dict[int, str]:
    if all(len(item[4]) == 1 for item in run):
        return {}
    words, names = dictionary(), places()
    best = [(0.0, [])] + [(float("inf"), [])] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - LONGEST), end):
            if best[start][0] == float("inf"):
                continue
            span = run[start:end]
            for choice in itertools.product(*(item[4] for item in span)):
                cost = _span_cost(span, choice, words, names)
                if cost is not None and best[start][0] + cost < best[end][0]:
                    best[end] = (best[start][0] + cost, best[start][1] + list(choice))
    chosen = best[len(run)][1]
    return {
        item[0]: item[1] + spelling + item[3]
        for item, spelling in zip(run, chosen, strict=True)
        if spelling != item[2]
    }


def _span_cost(span, choice, words: Words, names: Words) -> float | None:
    changed = [spelling != item[2] for item, spelling in zip(span, choice, strict=True)]
    phrase = " ".join(choice).lower()
    is_place = len(span) > 1 and phrase in names
    names_changed = any(c and item[2][0].isupper() for c, item in zip(changed, span, strict=True))
    if names_changed and not is_place:
        return None  # a name changes only into a place name
    if len(span) == 1:
        cost = ALONE_COST if phrase in words else UNKNOWN_COST
    elif is_place or phrase in words:
        cost = 0.0
    else:
        return None
    return cost + CHANGE_COST * sum(changed)


def correct_reading(text: str, words: list, doubts: list) -> tuple[str, list, dict[str, str]]:
    """Tesseract's ``text`` and word boxes with the tone marks corrected, and the changes
    (``{as read: corrected}``); unchanged when the hOCR's words are not the text's."""
    tokens = [nfc(token) for token in re.findall(r"\S+", text)]
    if [nfc(word[0]) for word in words] != tokens:
        if words:
            log.warning("hOCR and text disagree: tone marks left as read")
        return text, words, {}
    changes = correct_tokens(tokens, doubts)
    if not changes:
        return text, words, {}
    pieces = re.split(r"(\S+)", text)
    for index, new in changes.items():
        pieces[2 * index + 1] = new
    fixed = [[changes.get(i, word[0]), *word[1:]] for i, word in enumerate(words)]
    return "".join(pieces), fixed, {tokens[i]: new for i, new in changes.items()}


TJ = re.compile(rb"\[ <([0-9A-Fa-f]*)> \] TJ")


def retext_pdf(pdf: bytes, changes: dict[str, str]) -> bytes:
    """Tesseract's text-only PDF with each word of ``changes`` spelled as corrected. Its
    words are ``[ <UTF-16BE hex> ] TJ`` strings in the pages' content streams (pypdf
    decompresses and compresses them); a corrected word has as many letters as the word
    read, so only those strings change."""
    if not changes:
        return pdf
    wanted = {_hex(old): _hex(new) for old, new in changes.items()}

    def word(match):
        hexed = match[1].upper()
        for old, new in wanted.items():
            if hexed in (old, old + b"0020"):
                return b"[ <" + new + hexed[len(old) :] + b"> ] TJ"
        return match[0]

    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        for page in writer.pages:
            contents = page.get("/Contents")
            streams = contents.get_object() if contents is not None else []
            for stream in streams if isinstance(streams, ArrayObject) else [streams]:
                stream = stream.get_object()
                stream.set_data(TJ.sub(word, stream.get_data()))
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError):
        log.warning("text layer unreadable: its tone marks left as read")
        return pdf
    return out.getvalue()


def _hex(word: str) -> bytes:
    return word.encode("utf-16-be").hex().upper().encode()
