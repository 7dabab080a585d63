"""The applicant's satisfaction rating, by code + second factor on the public site or on the
counter's kiosk screen."""

import re

from django.db import IntegrityError, transaction

from ..models import AuditEvent, Dossier, Rating
from ..queries import clerk_unit
from ..workflow import State
from .audit import record
from .errors import WorkflowError

RATEABLE = (State.RETURNED, State.ARCHIVED)
# Control characters other than tab and line breaks (PostgreSQL refuses NUL in text).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALREADY = "Hồ sơ này đã được đánh giá. Cảm ơn ông/bà."


def rate_dossier(dossier, *, score, comment="", request=None):
    """The applicant rates on the public site the dossier that the public guard found by its
    code and second factor (dossiers.public_guard.look_up: callers look it up first)."""
    return _record(dossier.pk, score, comment, Rating.Channel.WEB, request=request)


def rate_at_counter(dossier_id, *, actor, score, comment="", request=None):
    """The applicant rates on the kiosk screen opened by a clerk of the receiving unit."""
    return rate_at_unit(
        dossier_id, unit=clerk_unit(actor), score=score, comment=comment, request=request
    )


def rate_at_unit(dossier_id, *, unit, score, comment="", request=None):
    """The applicant rates at ``unit``'s counter (the clerk's screen, or a kiosk device the
    counter app registered for the unit): only the counter that returns the dossier."""
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None or unit is None or dossier.return_counter_id != unit.pk:
        raise WorkflowError(
            "Chỉ Bộ phận Một cửa đã tiếp nhận hồ sơ mở được màn hình đánh giá.", status=403
        )
    return _record(dossier_id, score, comment, Rating.Channel.KIOSK, request=request)


def clean_comment(comment) -> str:
    """The comment as typed, less control characters and unencodable code points, at most
    2,000 characters. HTML and SQL stay as text: queries are parameterised and every page
    escapes it."""
    text = CONTROL.sub("", str(comment or ""))
    return text.encode("utf-8", "replace").decode("utf-8").strip()[:2000]


def _record(dossier_id, score, comment, channel, *, request=None):
    """One rating per returned dossier, in one transaction; a negative score with a comment is
    flagged for the receiving unit's leader. Refuses a dossier not yet returned and a second
    rating, in Vietnamese."""
    if score not in Rating.Score.values:
        raise WorkflowError("Chọn một mức độ hài lòng.", field="score")
    comment = clean_comment(comment)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        if dossier.state not in RATEABLE:
            raise WorkflowError("Hồ sơ chưa trả kết quả nên chưa thể đánh giá.", status=409)
        if Rating.objects.filter(dossier=dossier).exists():
            raise WorkflowError(ALREADY, status=409)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    dossier=dossier,
                    score=score,
                    comment=comment,
                    channel=channel,
                    flagged=score < Rating.Score.SATISFIED and bool(comment),
                )
        except IntegrityError as exc:  # two submissions at once: the first one counts
            raise WorkflowError(ALREADY, status=409) from exc
        data = {"score": score, "flagged": rating.flagged, "channel": channel}
        record(
            AuditEvent.Kind.CHANGE,
            "dossier.rated",
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data=data,
        )
    return rating
