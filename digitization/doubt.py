"""Whether a recognised page should be looked at and perhaps scanned again (issue #20 item 4):
too little text read, or read with a low mean confidence (a page upside down, blurred, in
shadow, all seal). Decided from the page's stored words when it is saved, so the dossier page
marks it without reading any text."""

from .reading import LOW_CONFIDENCE, MIN_WORDS


def mean_confidence(words) -> float | None:
    """Mean confidence (0–100) of the words ``[[word, l, t, w, h, conf], ...]``; None without."""
    scores = [w[5] for w in words if len(w) > 5 and w[5] is not None and w[5] >= 0]
    return sum(scores) / len(scores) if scores else None


def page_doubt(words) -> str:
    """Why the page is doubtful, in Vietnamese for the clerk; "" when it reads well."""
    confidence = mean_confidence(words)
    if len(words) < MIN_WORDS:
        return (
            f"Chỉ đọc được {len(words)} chữ: kiểm tra trang có quét đúng mặt, đủ sáng "
            "(trang trắng thì bỏ qua)."
        )
    if confidence is not None and confidence < LOW_CONFIDENCE:
        return f"Độ tin cậy nhận dạng thấp ({confidence:.0f} %): nên quét lại rõ hơn."
    return ""
