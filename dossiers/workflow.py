"""The dossier's lifecycle as data (domain.md, Lifecycle).

One table of actions: from which states each may be taken, the state it leads to, the roles
allowed, where the actor must stand (at the receiving counter, or in the unit now handling
the dossier), and what it needs (a reason, a printed form). Services enforce it, pages render
their buttons from it, the API lists it per dossier.
"""

from dataclasses import dataclass

from django.db import models

from .roles import Role


class State(models.TextChoices):
    SUBMITTED = "submitted", "Đã nộp trực tuyến"
    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROGRESS = "in_progress", "Đang giải quyết"
    SUPPLEMENT_REQUESTED = "supplement_requested", "Chờ bổ sung"
    PENDING_APPROVAL = "pending_approval", "Chờ lãnh đạo duyệt"
    RESULT_READY = "result_ready", "Có kết quả, chờ trả"
    RETURNED = "returned", "Đã trả kết quả"
    ARCHIVED = "archived", "Đã lưu trữ"
    REFUSED = "refused", "Từ chối tiếp nhận"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"
    DECLINED = "declined", "Trả lại, không giải quyết"
    STOPPED = "stopped", "Đã dừng giải quyết theo đề nghị"


# What a citizen reads on the public status page, in plain words.
PUBLIC_LABELS = {
    State.SUBMITTED: "Đã nộp trực tuyến, đang chờ cán bộ kiểm tra",
    State.RECEIVED: "Đã tiếp nhận, đang chờ chuyển xử lý",
    State.IN_PROGRESS: "Đang được giải quyết",
    State.SUPPLEMENT_REQUESTED: "Cần bổ sung giấy tờ: mời ông/bà gửi bổ sung trực tuyến hoặc "
    "liên hệ Bộ phận Một cửa",
    State.PENDING_APPROVAL: "Đang chờ lãnh đạo ký duyệt kết quả",
    State.RESULT_READY: "Đã có kết quả: mời ông/bà đến nhận",
    State.RETURNED: "Đã trả kết quả",
    State.ARCHIVED: "Đã trả kết quả",
    State.REFUSED: "Hồ sơ không được tiếp nhận",
    State.WITHDRAWN: "Hồ sơ đã được rút theo đề nghị của người nộp",
    State.DECLINED: "Hồ sơ được trả lại, không giải quyết",
    State.STOPPED: "Đã dừng giải quyết hồ sơ theo đề nghị của ông/bà",
}
PUBLIC_STEP_LABELS = {
    "submit": "Nộp hồ sơ trực tuyến",
    "receive": "Tiếp nhận hồ sơ",
    "accept": "Tiếp nhận hồ sơ nộp trực tuyến",
    "refuse": "Từ chối tiếp nhận",
    "assign": "Chuyển đến cơ quan giải quyết",
    "transfer": "Chuyển sang cơ quan phối hợp",
    "request_supplement": "Yêu cầu bổ sung giấy tờ",
    "supplement_online": "Đã gửi giấy tờ bổ sung trực tuyến",
    "supplied": "Đã nhận giấy tờ bổ sung",
    "propose_result": "Hoàn thành thẩm định",
    "send_back": "Thẩm định lại",
    "approve": "Có kết quả",
    "return_result": "Đã trả kết quả",
    "send_by_post": "Đã gửi kết quả qua bưu chính công ích",
    "decline": "Trả lại hồ sơ",
    "withdraw": "Rút hồ sơ",
    "extend": "Gia hạn, hẹn lại ngày trả",
    "stop_request": "Đề nghị dừng giải quyết hồ sơ",
    "stop": "Dừng giải quyết hồ sơ (Thông báo dừng giải quyết)",
}
# Steps whose note is written for the citizen (the reason on the supplement request, the
# refusal, the apology and the stop notice).
PUBLIC_NOTES = frozenset({"request_supplement", "refuse", "decline", "extend", "stop"})

# Received and not yet finished: the clock may be running.
OPEN_STATES = frozenset(
    {
        State.RECEIVED,
        State.IN_PROGRESS,
        State.SUPPLEMENT_REQUESTED,
        State.PENDING_APPROVAL,
        State.RESULT_READY,
    }
)
# The clock is running: received and not finished, not waiting for the applicant.
RUNNING_STATES = frozenset({State.RECEIVED, State.IN_PROGRESS, State.PENDING_APPROVAL})
# Handling has produced a result for the applicant.
FINISHED_STATES = frozenset({State.RESULT_READY, State.RETURNED, State.ARCHIVED})
# Ended without a result: withdrawn or stopped at the applicant's request, refused at
# reception, declined.
DROPPED_STATES = frozenset({State.WITHDRAWN, State.DECLINED, State.REFUSED, State.STOPPED})
# Received and no decision issued yet: the applicant may still ask to stop the handling
# (Nghị định 118/2025/NĐ-CP; legal_bases.json, rule stop_at_request).
STOPPABLE_STATES = frozenset(
    {State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED, State.PENDING_APPROVAL}
)
# Neither finished nor dropped: the dossier has no closing moment yet (reports: "in progress").
UNCLOSED_STATES = frozenset(State) - FINISHED_STATES - DROPPED_STATES
# Finished or dropped: the dossier has its closing moment (``Dossier.closed_at``). No action
# leads from here back to an unclosed state (tests/test_closing_moment.py).
CLOSED_STATES = FINISHED_STATES | DROPPED_STATES


class Place(models.TextChoices):
    COUNTER = "counter", "Bộ phận Một cửa tiếp nhận"
    RETURN = "return", "Nơi trả kết quả"
    HANDLER = "handler", "Đơn vị đang xử lý"


def place_unit_id(place, dossier):
    """The unit whose staff take an action of ``place`` on ``dossier``."""
    if place == Place.COUNTER:
        return dossier.counter_unit_id
    if place == Place.RETURN:
        return dossier.return_counter_id
    return dossier.current_unit_id


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: frozenset
    target: str | None  # None: the state does not change (extension, transfer)
    roles: frozenset
    place: str
    needs_reason: bool = False
    form: str | None = None  # the kind of printed form the action issues (legal.FORM_KINDS)
    danger: bool = False
    # What the person gives beside the dossier, as the service's keyword arguments: "reason"
    # (required, on the printed form), "note" (free), "to_unit", "electronic",
    # "new_appointment". services.take_action passes these and nothing else.
    inputs: tuple = ()
    # The label of the action's own text box (the reason or the note, as ``inputs`` names
    # it) on the dossier page's one action form.
    text_label: str = ""
    # Set for an action that cannot be undone: the question a confirmation step asks before
    # the service runs (the page's form, with or without JavaScript).
    confirm: str = ""


def _a(*, sources, roles, **kw):
    return Action(sources=frozenset(sources), roles=frozenset(roles), **kw)


S, R, P = State, Role, Place
WORKING = (S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.PENDING_APPROVAL)

ACTIONS: dict[str, Action] = {
    a.code: a
    for a in [
        _a(
            code="accept",
            label="Tiếp nhận",
            sources=[S.SUBMITTED],
            target=S.RECEIVED,
            roles=[R.CLERK],
            place=P.COUNTER,
            form="receipt",
        ),
        _a(
            code="refuse",
            label="Từ chối tiếp nhận",
            sources=[S.SUBMITTED],
            target=S.REFUSED,
            roles=[R.CLERK],
            place=P.COUNTER,
            needs_reason=True,
            form="refusal",
            danger=True,
            inputs=("reason",),
            text_label="Lý do từ chối tiếp nhận",
            confirm=(
                "Từ chối tiếp nhận hồ sơ này? Hồ sơ sẽ không được giải quyết và Phiếu từ chối "
                "được lập."
            ),
        ),
        _a(
            code="assign",
            label="Chuyển xử lý",
            sources=[S.RECEIVED],
            target=S.IN_PROGRESS,
            roles=[R.CLERK, R.LEADER],
            place=P.COUNTER,
            inputs=("to_unit",),
        ),
        _a(
            code="request_supplement",
            label="Yêu cầu bổ sung",
            sources=[S.RECEIVED, S.IN_PROGRESS],
            target=S.SUPPLEMENT_REQUESTED,
            roles=[R.CLERK, R.SPECIALIST, R.LEADER],
            place=P.HANDLER,
            needs_reason=True,
            form="supplement",
            inputs=("reason",),
            text_label="Nội dung cần bổ sung, hoàn thiện",
        ),
        _a(
            code="supplied",
            label="Đã nhận bổ sung",
            sources=[S.SUPPLEMENT_REQUESTED],
            target=S.IN_PROGRESS,
            roles=[R.CLERK],
            place=P.COUNTER,
            inputs=("note",),
            text_label="Ghi chú khi nhận bổ sung (không bắt buộc)",
        ),
        _a(
            code="transfer",
            label="Chuyển liên thông",
            sources=[S.IN_PROGRESS],
            target=None,
            roles=[R.SPECIALIST, R.LEADER],
            place=P.HANDLER,
            inputs=("to_unit", "electronic", "note"),
            text_label="Nội dung đề nghị phối hợp (không bắt buộc)",
        ),
        _a(
            code="propose_result",
            label="Trình kết quả",
            sources=[S.IN_PROGRESS],
            target=S.PENDING_APPROVAL,
            roles=[R.SPECIALIST],
            place=P.HANDLER,
            inputs=("note",),
            text_label="Ý kiến trình lãnh đạo (không bắt buộc)",
        ),
        _a(
            code="approve",
            label="Phê duyệt kết quả",
            sources=[S.PENDING_APPROVAL],
            target=S.RESULT_READY,
            roles=[R.LEADER],
            place=P.HANDLER,
            inputs=("note",),
            text_label="Ý kiến phê duyệt (không bắt buộc)",
        ),
        _a(
            code="send_back",
            label="Trả lại chuyên viên",
            sources=[S.PENDING_APPROVAL],
            target=S.IN_PROGRESS,
            roles=[R.LEADER],
            place=P.HANDLER,
            needs_reason=True,
            inputs=("reason",),
            text_label="Lý do trả lại chuyên viên",
        ),
        _a(
            code="return_result",
            label="Trả kết quả",
            sources=[S.RESULT_READY],
            target=S.RETURNED,
            roles=[R.CLERK],
            place=P.RETURN,
            inputs=("note",),
            text_label="Ghi chú khi trả kết quả (không bắt buộc)",
            confirm=(
                "Trả kết quả cho người nộp? Sau khi trả, hồ sơ chuyển sang lưu trữ và không thể "
                "hoàn tác."
            ),
        ),
        # Quyết định 45/2016/QĐ-TTg: the applicant chose to receive the result by post. The
        # state stays "result ready" until the post reports the hand-over, when the portal
        # itself returns the dossier (return_result, system=True) at that moment.
        _a(
            code="send_by_post",
            label="Gửi kết quả qua bưu chính",
            sources=[S.RESULT_READY],
            target=None,
            roles=[R.CLERK],
            place=P.RETURN,
            inputs=("note",),
            text_label="Ghi chú gửi qua bưu chính (không bắt buộc)",
        ),
        _a(
            code="decline",
            label="Trả lại hồ sơ, không giải quyết",
            sources=[S.IN_PROGRESS],
            target=S.DECLINED,
            roles=[R.SPECIALIST, R.LEADER],
            place=P.HANDLER,
            needs_reason=True,
            danger=True,
            inputs=("reason",),
            text_label="Lý do trả lại hồ sơ, không giải quyết",
            confirm="Trả lại hồ sơ và không giải quyết? Thao tác này không thể hoàn tác.",
        ),
        _a(
            code="withdraw",
            label="Công dân rút hồ sơ",
            sources=[S.SUBMITTED, *WORKING],
            target=S.WITHDRAWN,
            roles=[R.CLERK],
            place=P.COUNTER,
            needs_reason=True,
            danger=True,
            inputs=("reason",),
            text_label="Lý do công dân rút hồ sơ",
            confirm="Ghi nhận công dân rút hồ sơ? Hồ sơ sẽ dừng xử lý và không thể hoàn tác.",
        ),
        _a(
            code="stop",
            label="Dừng giải quyết theo đề nghị",
            sources=STOPPABLE_STATES,
            target=S.STOPPED,
            roles=[R.CLERK],
            place=P.COUNTER,
            needs_reason=True,
            form="stop",
            danger=True,
            inputs=("reason",),
            text_label="Lý do dừng giải quyết",
            confirm=(
                "Dừng giải quyết hồ sơ theo đề nghị? Thông báo dừng được lập và không thể hoàn tác."
            ),
        ),
        _a(
            code="extend",
            label="Gia hạn, xin lỗi",
            sources=RUNNING_STATES,
            target=None,
            roles=[R.SPECIALIST, R.LEADER],
            place=P.HANDLER,
            needs_reason=True,
            form="apology",
            inputs=("reason", "new_appointment"),
            text_label="Lý do gia hạn, xin lỗi",
        ),
    ]
}

# Archiving is done by the archive app's service, never by a person's button.
SYSTEM_TRANSITIONS = {"archive": (frozenset({S.RETURNED}), S.ARCHIVED)}


def may_take(action: Action, *, state: str, roles: set[str], unit_id, dossier) -> bool:
    """Whether someone with ``roles`` in unit ``unit_id`` may take ``action`` now."""
    if state not in action.sources or not (roles & {r.value for r in action.roles}):
        return False
    return unit_id is not None and unit_id == place_unit_id(action.place, dossier)


def allowed_actions(dossier, *, roles: set[str], unit_id) -> list[Action]:
    """The actions to offer on this dossier to this person, in the table's order."""
    return [
        action
        for action in ACTIONS.values()
        if may_take(action, state=dossier.state, roles=roles, unit_id=unit_id, dossier=dossier)
    ]
