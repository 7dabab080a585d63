"""Units get validity dates with the legal texts that made and ended them, their statistical
code and their counter's name; successions become rows (today's two-level map, issue #16).
The old active_from/active_until dates are kept by renaming, not re-created."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_notification_durable_work")]

    operations = [
        migrations.RenameField("unit", "active_from", "valid_from"),
        migrations.RenameField("unit", "active_until", "valid_to"),
        migrations.AlterField(
            model_name="unit",
            name="valid_from",
            field=models.DateField(blank=True, null=True, verbose_name="hiệu lực từ"),
        ),
        migrations.AlterField(
            model_name="unit",
            name="valid_to",
            field=models.DateField(
                blank=True,
                help_text="Ngày cuối cùng đơn vị còn tồn tại (trước ngày sáp nhập, giải thể).",
                null=True,
                verbose_name="hiệu lực đến",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="statistical_code",
            field=models.CharField(
                blank=True,
                help_text="Mã thống kê của tỉnh, xã (Danh mục đơn vị hành chính Việt Nam).",
                max_length=10,
                verbose_name="mã đơn vị hành chính",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="counter_name",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Trung tâm Phục vụ hành chính công xã Tà Xùa.",
                max_length=200,
                verbose_name="tên nơi tiếp nhận",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="created_basis",
            field=models.CharField(
                blank=True,
                help_text="Văn bản, điều khoản.",
                max_length=255,
                verbose_name="căn cứ thành lập",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="ended_basis",
            field=models.CharField(blank=True, max_length=255, verbose_name="căn cứ chấm dứt"),
        ),
        migrations.CreateModel(
            name="Succession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("merged", "sáp nhập vào"),
                            ("split", "chia tách thành"),
                            ("renamed", "đổi tên thành"),
                        ],
                        max_length=10,
                        verbose_name="hình thức",
                    ),
                ),
                ("date", models.DateField(verbose_name="ngày có hiệu lực")),
                ("basis", models.CharField(max_length=255, verbose_name="căn cứ")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="ghi chú")),
                (
                    "predecessor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="successions",
                        to="dossiers.unit",
                        verbose_name="đơn vị trước",
                    ),
                ),
                (
                    "successor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="takeovers",
                        to="dossiers.unit",
                        verbose_name="đơn vị kế thừa",
                    ),
                ),
            ],
            options={
                "verbose_name": "kế thừa đơn vị",
                "verbose_name_plural": "kế thừa đơn vị",
                "ordering": ["date", "predecessor__code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("predecessor", "successor"), name="unit_succession_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                        name="unit_succession_not_itself",
                    ),
                ],
            },
        ),
    ]
