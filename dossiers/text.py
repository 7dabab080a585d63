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


def full_name(user) -> str:
    """A staff member's name in Vietnamese order: family and middle names (``last_name``)
    before the given name — Django's ``get_full_name()`` writes it family-last ("Lan Cầm
    Thị"). The username when no name is set; empty for no user."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
