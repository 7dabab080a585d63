"""How the public pages and the API find what a citizen writes about or reads: the dossier
of a PAKN (by code + the dossier's second factor through dossiers.public_guard, or the
signed-in citizen's own dossier), and a PAKN itself (by its code + its check code).

Both are behind per-client limits counted with django-ratelimit's ``get_usage`` in the
``limits`` cache: sending a PAKN (PAKN_SUBMISSIONS_PER_HOUR) and looking one up (the public
look-ups' own minute budget, dossiers.ratelimit)."""

import hmac

from django.conf import settings
from django_ratelimit.core import get_usage

from dossiers import public_guard, public_identity, queries
from dossiers.ratelimit import TOO_MANY, public_rate_limited
from dossiers.services.audit import rate_key

from .errors import FeedbackError
from .models import Feedback

TOO_MANY_SENT = (
    "Ông/bà đã gửi quá nhiều phản ánh, kiến nghị trong một giờ. Vui lòng thử lại sau, hoặc "
    "liên hệ trực tiếp Trung tâm Phục vụ hành chính công."
)
NOT_FOUND = (
    "Không tìm thấy PAKN với mã và mã tra cứu đã nhập. Kiểm tra lại mã PAKN và mã tra cứu "
    "được cấp khi gửi."
)


def _submissions_rate(group, request):
    return f"{settings.PAKN_SUBMISSIONS_PER_HOUR}/h"


def count_submission(request):
    """Count one PAKN sent by this client; refuses (429) once past the hour's limit."""
    usage = get_usage(
        request, group="pakn-submissions", key=rate_key, rate=_submissions_rate, increment=True
    )
    if usage is not None and usage["should_limit"]:
        raise FeedbackError(TOO_MANY_SENT, status=429)


def dossier_of(request, code, factor):
    """The dossier ``code`` a PAKN is about, or None when no code was typed. The signed-in
    citizen's own dossier needs no factor; anyone else's needs its factor (the guard's
    limits and its one neutral answer apply, so whose dossier a code is is never told)."""
    code = (code or "").strip()
    if not code:
        return None
    citizen = public_identity.current_citizen(request)
    if citizen is not None and not (factor or "").strip():
        owned = queries.owned_public_status(code, citizen.id_number)
        if owned is not None:
            return owned[0]
        raise FeedbackError(
            "Hồ sơ này không phải của ông/bà: vui lòng nhập mã tra cứu in trên Giấy tiếp "
            "nhận của hồ sơ.",
            status=404,
            field="factor",
        )
    guarded = public_guard.look_up(request, code, factor, queries.public_lookup)
    if guarded.found is None:
        raise FeedbackError(guarded.error, status=guarded.status, field="factor")
    return guarded.found


def feedback_by_code(request, code, check) -> Feedback:
    """The PAKN ``code`` when ``check`` is its check code (constant time); one neutral refusal
    for a wrong code or check code, 429 past the client's minute budget."""
    if public_rate_limited(request):
        raise FeedbackError(TOO_MANY, status=429)
    code = (code or "").strip().upper()[:24]
    check = (check or "").strip().upper().replace(" ", "")[:8]
    row = (
        Feedback.objects.select_related("unit", "dossier").filter(code=code).first()
        if code and check
        else None
    )
    if row is None or not hmac.compare_digest(row.check_code.encode(), check.encode()):
        raise FeedbackError(NOT_FOUND, status=404)
    return row
