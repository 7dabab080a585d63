"""The tree of units: province › district › agency or commune until 30/6/2025, province ›
commune (and the province's departments) since 1/7/2025. Levels are rows, not code, so both
maps live in the same tables; each unit has the dates it was in force, the legal texts that
made and ended it, and successions say which units took over from which."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ..validators import validate_electronic_id


class UnitLevel(models.Model):
    code = models.SlugField("mã cấp", max_length=32, unique=True)
    name = models.CharField("tên cấp", max_length=100)
    rank = models.PositiveSmallIntegerField("thứ bậc", help_text="1 là cấp cao nhất.")
    is_area = models.BooleanField(
        "là địa bàn hành chính",
        default=True,
        help_text="Tỉnh, huyện, xã có UBND; bỏ chọn với cơ quan chuyên môn.",
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = "cấp đơn vị"
        verbose_name_plural = "cấp đơn vị"

    def __str__(self):
        return self.name


class Unit(models.Model):
    code = models.CharField(
        "mã đơn vị",
        max_length=32,
        unique=True,
        validators=[validate_electronic_id],
        help_text="Mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg, ví dụ H50.22.02; "
        "là phần đầu của mã số hồ sơ.",
    )
    name = models.CharField("tên đơn vị", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=100, blank=True)
    level = models.ForeignKey(UnitLevel, models.PROTECT, verbose_name="cấp")
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    # Materialised ids from the root ("/1/4/9/") so a sub-tree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.SlugField(
        "loại đơn vị",
        max_length=40,
        blank=True,
        help_text="Khóa vai trò trong danh mục thủ tục, ví dụ commune, phong_tu_phap.",
    )
    is_remote = models.BooleanField(
        "vùng sâu, vùng xa, đặc biệt khó khăn",
        default=False,
        help_text="Chỉ tiêu năng suất 800 hồ sơ/người/năm thay cho 1.200.",
    )
    has_counter = models.BooleanField("có Bộ phận Một cửa", default=False)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    statistical_code = models.CharField(
        "mã đơn vị hành chính",
        max_length=10,
        blank=True,
        help_text="Mã thống kê của tỉnh, xã (Danh mục đơn vị hành chính Việt Nam).",
    )
    counter_name = models.CharField(
        "tên nơi tiếp nhận",
        max_length=200,
        blank=True,
        help_text="Ví dụ: Trung tâm Phục vụ hành chính công xã Tà Xùa.",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField(
        "hiệu lực đến",
        null=True,
        blank=True,
        help_text="Ngày cuối cùng đơn vị còn tồn tại (trước ngày sáp nhập, giải thể).",
    )
    created_basis = models.CharField(
        "căn cứ thành lập", max_length=255, blank=True, help_text="Văn bản, điều khoản."
    )
    ended_basis = models.CharField("căn cứ chấm dứt", max_length=255, blank=True)
    # The ids of every unit this one took over, through any chain of successions: kept by
    # Succession.save/delete, so scoping reads a unit's lineage without a query (and
    # PostgreSQL sees a literal list it can use an index for).
    took_over = models.JSONField("đơn vị đã kế thừa", default=list, blank=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            prefix = self.parent.path if self.parent_id else "/"
            new_path = f"{prefix}{self.pk}/"
            if new_path != old_path:
                Unit.objects.filter(pk=self.pk).update(path=new_path)
                self.path = new_path
                if old_path:
                    for child in self.children.all():
                        child.save()

    def clean(self):
        if self.parent_id and self.pk:
            if self.parent_id == self.pk or f"/{self.pk}/" in self.parent.path:
                raise ValidationError(
                    {"parent": "Đơn vị cấp trên không thể là chính nó hay cấp dưới của nó."}
                )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {
                    "valid_to": "Ngày hết hiệu lực không thể trước ngày bắt đầu hiệu lực "
                    f"({self.valid_from:%d/%m/%Y})."
                }
            )
        if self.valid_to and not self.ended_basis:
            raise ValidationError(
                {"ended_basis": "Ghi văn bản làm đơn vị chấm dứt hoạt động (số, ngày, điều)."}
            )

    def in_force(self, day) -> bool:
        """Whether the unit existed on ``day`` (both ends included)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def counter_label(self) -> str:
        """What the counter is called on forms and pages: its centre's name if it has one."""
        return self.counter_name or self.name

    @property
    def province_path(self) -> str:
        """The path of the tree's root above this unit (its province): "/1/"."""
        return "/" + self.path.strip("/").split("/")[0] + "/"

    def subtree(self):
        """This unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)

    def area(self):
        """The nearest administrative area at or above this unit (an agency's district)."""
        node = self
        while node is not None and not node.level.is_area:
            node = node.parent
        return node


class Succession(models.Model):
    """One unit taking over from another on a date, by a legal text: merged into, split from,
    renamed. A chain of successions never loops back (``clean``)."""

    class Kind(models.TextChoices):
        MERGED = "merged", "sáp nhập vào"
        SPLIT = "split", "chia tách thành"
        RENAMED = "renamed", "đổi tên thành"

    predecessor = models.ForeignKey(
        Unit, models.PROTECT, related_name="successions", verbose_name="đơn vị trước"
    )
    successor = models.ForeignKey(
        Unit, models.PROTECT, related_name="takeovers", verbose_name="đơn vị kế thừa"
    )
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices)
    date = models.DateField("ngày có hiệu lực")
    basis = models.CharField("căn cứ", max_length=255)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        ordering = ["date", "predecessor__code"]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="unit_succession_not_itself",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor.name} {self.get_kind_display()} {self.successor.name}"

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            refresh_took_over(self.successor_id)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            successor_id = self.successor_id
            result = super().delete(*args, **kwargs)
            refresh_took_over(successor_id)
        return result

    def clean(self):
        if not (self.predecessor_id and self.successor_id):
            return
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": "Một đơn vị không thể kế thừa chính nó."})
        if self.successor_id in predecessor_ids(self.predecessor_id):
            raise ValidationError(
                {
                    "successor": f"«{self.successor.name}» đã là đơn vị trước của "
                    f"«{self.predecessor.name}»: kế thừa như vậy tạo thành vòng lặp."
                }
            )
        if self.date and not self.successor.in_force(self.date):
            raise ValidationError(
                {"date": f"«{self.successor.name}» chưa có hiệu lực vào ngày {self.date:%d/%m/%Y}."}
            )


def predecessor_ids(unit_id) -> set[int]:
    """Every unit ``unit_id`` took over from, directly or through earlier successions."""
    seen: set[int] = set()
    frontier = {unit_id}
    while frontier:
        rows = set(
            Succession.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = rows - seen
        seen |= rows
    return seen


def refresh_took_over(unit_id) -> None:
    """Recompute ``took_over`` of ``unit_id`` and of every unit that later succeeded it."""
    frontier, seen = {unit_id}, set()
    while frontier:
        for pk in frontier:
            Unit.objects.filter(pk=pk).update(took_over=sorted(predecessor_ids(pk)))
        seen |= frontier
        frontier = (
            set(
                Succession.objects.filter(predecessor_id__in=frontier).values_list(
                    "successor_id", flat=True
                )
            )
            - seen
        )
