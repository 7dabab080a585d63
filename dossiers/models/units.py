"""The tree of units: province › district › agency or commune, or province › commune since
1/7/2025. Levels are rows, not code, so both maps live in the same tables."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction

unit_code_validator = RegexValidator(
    r"^[A-Z0-9]+(\.[A-Z0-9]+)*$",
    "Mã đơn vị chỉ gồm chữ in hoa, chữ số và dấu chấm (ví dụ H50.22), không có dấu gạch ngang.",
)


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
        "mã đơn vị", max_length=32, unique=True, validators=[unit_code_validator]
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
    active_from = models.DateField("hoạt động từ", null=True, blank=True)
    active_until = models.DateField(
        "hoạt động đến", null=True, blank=True, help_text="Ngày giải thể hoặc sáp nhập."
    )

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
        if self.active_from and self.active_until and self.active_until < self.active_from:
            raise ValidationError(
                {"active_until": "Ngày kết thúc phải sau ngày bắt đầu hoạt động."}
            )

    def subtree(self):
        """This unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)

    def area(self):
        """The nearest administrative area at or above this unit (an agency's district)."""
        node = self
        while node is not None and not node.level.is_area:
            node = node.parent
        return node
