"""Demo PAKN on the demo province's dossiers: open, overdue, answered on time and late, rated,
one published; one very satisfied rating whose comment reads negative; and every demo
comment labelled (here, in the demo's transaction, not only when it commits). PAKN are
written through the intake service (validated, numbered, due by the calendar), then moved
back in time the way the demo's dossiers are; safe to run again."""

from datetime import timedelta

from django.utils import timezone

from dossiers.calendar import add_working_time
from dossiers.models import Dossier, Rating
from dossiers.services.rating import rate_dossier
from dossiers.workflow import State

from .models import Feedback
from .rules import answer_working_days
from .services import submit_feedback
from .services.sentiment import label_rating

# (content, days ago, answer or "", score or None, published)
CASES = [
    (
        "Hồ sơ của tôi đã quá hẹn trả mà chưa có kết quả, đề nghị cơ quan cho biết lý do.",
        2,
        "",
        None,
        False,
    ),
    (
        "Cán bộ tiếp nhận hướng dẫn chưa rõ, tôi phải đi lại hai lần mới nộp được hồ sơ.",
        20,
        "",
        None,
        False,
    ),
    (
        "Đề nghị niêm yết rõ mức phí chứng thực tại quầy.",
        15,
        "Trung tâm đã niêm yết mức phí, lệ phí tại bảng thông tin và trên Cổng.",
        4,
        True,
    ),
    (
        "Thời gian chờ tại quầy buổi sáng quá lâu, đề nghị bố trí thêm cán bộ.",
        25,
        "Từ tháng này Trung tâm bố trí thêm một quầy vào buổi sáng thứ Hai.",
        None,
        True,
    ),
    (
        "Nộp trực tuyến bị lỗi khi tải tệp, đề nghị kiểm tra.",
        30,
        "Lỗi đã được khắc phục; ông/bà vui lòng nộp lại.",
        2,
        False,
    ),
]
DEMO_SENDER = {"sender_name": "Công dân (dữ liệu mẫu)", "sender_phone": "0912000111"}


def add_feedback(units, now=None) -> int:
    if Feedback.objects.exists():
        return 0
    now = now or timezone.now()
    dossiers = list(
        Dossier.objects.filter(receiving_unit__in=list(units.values()), received_at__isnull=False)
        .select_related("current_unit", "receiving_unit")
        .order_by("id")[: len(CASES)]
    )
    made = 0
    for dossier, (content, days, answer, score, published) in zip(dossiers, CASES, strict=False):
        row = submit_feedback(
            content=content,
            channel=Feedback.Channel.WEB,
            dossier=dossier,
            publish_agreed=published,
            **DEMO_SENDER,
        )
        received = now - timedelta(days=days)
        due = add_working_time(received, answer_working_days())
        values = {"received_at": received, "due_at": due}
        if answer:
            answered = min(received + timedelta(days=days // 2 + 1), now)
            values.update(
                answer=answer, answered_at=answered, published=published, state="answered"
            )
            if score:
                values.update(
                    answer_score=score, rated_at=answered, closed_at=answered, state="closed"
                )
        Feedback.objects.filter(pk=row.pk).update(**values)
        made += 1
    _contradicting_rating(units)
    for rating in Rating.objects.filter(sentiment__isnull=True).exclude(comment=""):
        label_rating(rating)
    return made


def _contradicting_rating(units):
    """One "Rất hài lòng" whose comment reads negative, for the leader's quality page."""
    dossier = (
        Dossier.objects.filter(
            receiving_unit__in=list(units.values()), state=State.RETURNED, rating__isnull=True
        )
        .order_by("id")
        .first()
    )
    if dossier is not None:
        rate_dossier(dossier, score=4, comment="Chờ gần hai tiếng, cán bộ không nhiệt tình.")
