"""The dossier's lifecycle as data (domain.md, Lifecycle).

This module holds the states now; the actions, their allowed transitions and the roles that
may take them arrive with reception (issue #4) and are added to the same tables.
"""

from django.db import models


class State(models.TextChoices):
    SUBMITTED = "submitted", "Đã nộp trực tuyến"
    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROGRESS = "in_progress", "Đang giải quyết"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Chờ bổ sung"
    RESULT_READY = "result_ready", "Có kết quả, chờ trả"
    RETURNED = "returned", "Đã trả kết quả"
    ARCHIVED = "archived", "Đã lưu trữ"
    REFUSED = "refused", "Từ chối tiếp nhận"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"
    DECLINED = "declined", "Trả lại, không giải quyết"


# States in which the dossier is still being handled (the clock may be running).
OPEN_STATES = frozenset(
    {State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.RESULT_READY}
)
# States in which handling has finished with a result for the applicant.
FINISHED_STATES = frozenset({State.RESULT_READY, State.RETURNED, State.ARCHIVED})
