"""Vietnamese text folding for diacritics-insensitive search.

``fold("Bắc Yên")`` is ``"bac yen"``: lower case, combining marks removed, đ → d. The same
function fills the ``search_*`` columns and folds the user's query, so SQLite (embedded mode)
and PostgreSQL find the same rows.
"""

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese marks (so a search may respect them)."""
    return fold(text) != " ".join((text or "").lower().split())
