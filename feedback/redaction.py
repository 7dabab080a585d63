"""Personal data removed from a PAKN before its answer is listed publicly (NĐ 20/2008 Điều 19
publishes results, never the sender: feedback/data/pakn.json, "publication").

What goes: the sender's own name, phone, e-mail and identity number wherever they appear in
the content or the answer; any phone number, identity number (9 or 12 digits), e-mail
address; and street addresses (from a house number or an address word — số nhà, thôn, bản,
tổ, xóm, ngõ, đường, phố — to the end of the phrase). Anything removed reads ``[đã ẩn]``."""

import re

from dossiers.text import fold

HIDDEN = "[đã ẩn]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers (10–11 digits, spaces, dots or dashes between groups; +84) and identity numbers.
DIGITS = re.compile(r"(?:\+?84|0)(?:[\s.\-]?\d){8,10}\b|\b\d{12}\b|\b\d{9}\b")
# Unaccented forms only where they are not common words too ("ban", "to", "pho" are).
ADDRESS_WORDS = (
    r"(?:số nhà|so nha|thôn|thon|bản|tổ|xóm|xom|ngõ|ngách|hẻm|đường|duong|phố|địa chỉ|dia chi)"
)
ADDRESS = re.compile(rf"(?i)\b{ADDRESS_WORDS}\s*:?\s+[^\n,;.!?()]*(?:\d|[A-ZÀ-Ỹ])[^\n,;.!?()]*")


def _name_pattern(name: str):
    """The sender's full name, and each of its words of 3+ letters after the family name
    (the given name said alone), with or without diacritics."""
    words = [w for w in (name or "").split() if w]
    if not words:
        return None
    forms = {" ".join(words), fold(" ".join(words))}
    forms |= {w for w in words[1:] if len(w) >= 3} | {fold(w) for w in words[1:] if len(w) >= 3}
    alternatives = "|".join(sorted((re.escape(f) for f in forms if f), key=len, reverse=True))
    return re.compile(rf"(?i)(?<!\w)(?:{alternatives})(?!\w)")


def redact(text: str, *, name="", phone="", email="", id_number="") -> str:
    """``text`` with the sender's data and anything shaped like personal data replaced."""
    text = text or ""
    for own in (email, id_number):
        if own:
            text = text.replace(own, HIDDEN)
    text = EMAIL.sub(HIDDEN, text)
    text = DIGITS.sub(HIDDEN, text)
    if phone:
        tail = re.sub(r"\D", "", phone)[-9:]
        if tail:
            spaced = r"[\s.\-]?".join(tail)
            text = re.sub(spaced, HIDDEN, text)
    text = ADDRESS.sub(HIDDEN, text)
    pattern = _name_pattern(name)
    if pattern is not None:
        text = pattern.sub(HIDDEN, text)
    return text


def redacted_texts(feedback) -> tuple[str, str]:
    """(content, answer) of a PAKN as the public list shows them."""
    sender = {
        "name": feedback.sender_name,
        "phone": feedback.sender_phone,
        "email": feedback.sender_email,
        "id_number": feedback.sender_id_number,
    }
    return redact(feedback.content, **sender), redact(feedback.answer, **sender)
