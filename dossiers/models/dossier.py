"""Applicants, dossiers, the components received, and the per-day code counter."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ..text import fold
from ..validators import normalise_phone, validate_cccd, validate_phone, validate_tax_code
from ..workflow import OPEN_STATES, RUNNING_STATES, UNCLOSED_STATES, State
from .catalogue import Procedure, ProcedureComponent, ProcedureStep
from .units import Unit

# No 0/O, 1/I/L: the check code is read aloud on the phone.
CHECK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(6))


class Channel(models.TextChoices):
    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Bưu chính công ích"
    # Submitted by the citizen on the national public-service portal, taken in by
    # integrations (pulled or pushed): online too, for the reports and the counter.
    DVCQG = "dvcqg", "Trực tuyến qua Cổng DVCQG"


# The channels that count as online submission (reports' online share, QĐ 766).
ONLINE_CHANNELS = (Channel.ONLINE, Channel.DVCQG)


class Applicant(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Cá nhân"
        ORGANISATION = "organisation", "Tổ chức"

    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    id_number = models.CharField(
        "số CCCD / mã số thuế",
        max_length=20,
        unique=True,
        error_messages={"unique": "Đã có người nộp hồ sơ với số giấy tờ này."},
    )
    name = models.CharField("họ tên / tên tổ chức", max_length=200)
    search_name = models.CharField(max_length=200, editable=False, default="", db_index=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    email = models.EmailField("thư điện tử", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "người nộp hồ sơ"
        verbose_name_plural = "người nộp hồ sơ"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.phone = normalise_phone(self.phone)
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.id_number = (self.id_number or "").strip()
        check = validate_cccd if self.kind == self.Kind.PERSON else validate_tax_code
        try:
            check(self.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc


_UNCLOSED = sorted(UNCLOSED_STATES)


class Dossier(models.Model):
    code = models.CharField("mã hồ sơ", max_length=48, unique=True)
    check_code = models.CharField(
        "mã tra cứu", max_length=8, default=new_check_code, help_text="In trên giấy tiếp nhận."
    )
    procedure = models.ForeignKey(Procedure, models.PROTECT, verbose_name="thủ tục")
    # The procedure's rules (time, fee, components) in force the day it was received; None for
    # a dossier not yet received, or of a procedure with no recorded rules (then its own).
    rules = models.ForeignKey(
        "dossiers.ProcedureRevision",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="quy định áp dụng khi tiếp nhận",
    )
    applicant = models.ForeignKey(Applicant, models.PROTECT, verbose_name="người nộp")
    receiving_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="received_dossiers", verbose_name="đơn vị tiếp nhận"
    )
    current_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="handled_dossiers", verbose_name="đơn vị đang xử lý"
    )
    # Where it is resolved when received province-wide by another unit's counter (None: by
    # the receiving unit's area, as before 1/7/2025).
    competent_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị có thẩm quyền giải quyết",
    )
    # The counter that takes the counter's steps when the receiving unit has ended (its
    # successor after a reorganisation; services.reorganisation).
    successor_counter = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bộ phận tiếp nhận kế thừa",
    )
    # Where the applicant collects the result, when it is not the counter in charge: chosen
    # at reception (province-wide reception), or its successor after a reorganisation.
    return_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nơi trả kết quả",
        help_text="Để trống: trả tại nơi tiếp nhận.",
    )
    state = models.CharField("trạng thái", max_length=24, choices=State.choices, db_index=True)
    channel = models.CharField("hình thức nộp", max_length=10, choices=Channel.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ tiếp nhận",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chuyên viên xử lý",
    )
    current_step = models.ForeignKey(
        ProcedureStep, models.SET_NULL, null=True, blank=True, verbose_name="bước liên thông"
    )
    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True, db_index=True)
    due_at = models.DateTimeField("hạn giải quyết", null=True, blank=True)
    appointment_at = models.DateTimeField(
        "ngày hẹn trả", null=True, blank=True, help_text="Khác hạn giải quyết khi đã gia hạn."
    )
    step_due_at = models.DateTimeField("hạn của bước hiện tại", null=True, blank=True)
    clock_stopped_at = models.DateTimeField("dừng tính thời hạn từ", null=True, blank=True)
    finished_at = models.DateTimeField("thời điểm có kết quả", null=True, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    # When the dossier stopped being in progress — its result (approve), its decline, its
    # withdrawal, refusal or stop — set by the action that closed it (services.engine) and
    # never moved after; NULL while unclosed (a check constraint). Reports bound "not closed
    # before the period" with it through an index (reporting/tables.py).
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True, editable=False)
    was_extended = models.BooleanField("đã gia hạn (xin lỗi)", default=False)
    # The applicant asked to stop the handling (online, through the API or in writing at the
    # counter) and the counter has not acted on it yet; the request itself is a history row.
    stop_requested_at = models.DateTimeField(
        "thời điểm đề nghị dừng giải quyết", null=True, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    # "<receiving unit id>:<the form's key>": the same form posted twice is one dossier.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        # Each part of a unit's scope (queries.scope_parts) is counted from an index alone and
        # paged in the index's order: see bench/bench_dossier_list.py.
        indexes = [
            models.Index(fields=["receiving_unit", "state"]),
            models.Index(fields=["current_unit", "state", "receiving_unit"]),
            models.Index(fields=["receiving_unit", "-received_at", "-id"]),
            models.Index(fields=["current_unit", "-received_at", "-id"]),
            models.Index(fields=["receiving_unit", "due_at", "id"]),
            models.Index(fields=["current_unit", "due_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=_UNCLOSED, closed_at__isnull=True)
                | (~models.Q(state__in=_UNCLOSED) & models.Q(closed_at__isnull=False)),
                name="closed_at_iff_closed",
                violation_error_message="Thời điểm kết thúc chỉ có ở hồ sơ đã kết thúc.",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def counter_unit_id(self):
        """The counter in charge (acceptance, hand-over, supplements, withdrawal): the
        receiving unit, or its successor once it has ended."""
        return self.successor_counter_id or self.receiving_unit_id

    @property
    def counter_unit(self) -> Unit:
        return self.successor_counter if self.successor_counter_id else self.receiving_unit

    @property
    def return_counter_id(self):
        """Where the result is returned (and the applicant rates): the applicant's choice,
        else the counter in charge."""
        return self.return_unit_id or self.counter_unit_id

    @property
    def return_counter(self) -> Unit:
        return self.return_unit if self.return_unit_id else self.counter_unit

    @property
    def received_rules(self):
        """What its fee and deadline follow: the revision it was received under, or (none
        recorded) the procedure's own fields."""
        return self.rules if self.rules_id else self.procedure

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def is_late(self):
        return lateness(self.state, self.due_at, self.finished_at)


def lateness(state, due_at, finished_at) -> bool:
    """Finished after its due day, or still on the clock past it (domain.md): a dossier
    waiting for the applicant's supplement or for collection is not late."""
    from ..calendar import Outcome, classify_finish  # here: calendar.py imports the models

    if due_at is None:
        return False
    if finished_at is not None:
        return classify_finish(finished_at, due_at) == Outcome.LATE
    if state in RUNNING_STATES:
        return classify_finish(timezone.now(), due_at) == Outcome.LATE
    return False


class DossierComponent(models.Model):
    """A paper of the dossier as received at the counter (or uploaded online)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="components")
    component = models.ForeignKey(ProcedureComponent, models.SET_NULL, null=True, blank=True)
    name = models.CharField("tên giấy tờ", max_length=400)
    form = models.CharField("loại bản", max_length=20, choices=ProcedureComponent.Form.choices)
    copies = models.PositiveSmallIntegerField("số bản", default=1)
    received = models.BooleanField("đã nhận", default=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = "thành phần hồ sơ đã nhận"
        verbose_name_plural = "thành phần hồ sơ đã nhận"

    def __str__(self):
        return self.name


class DossierCounter(models.Model):
    """The last sequence number given to the codes that start with ``prefix`` (everything
    before the sequence: the agency's code, the day, the system owner's digits) on ``day``;
    row-locked when used (services/numbering.py)."""

    prefix = models.CharField("đầu mã", max_length=48)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="one_counter_per_prefix_day")
        ]

    def __str__(self):
        return f"{self.prefix}{self.last}"
