"""Procedures handled on a nationally centralised system (Thông tư 04/2025/TT-VPCP) and the
system owner's two digits their dossier codes carry."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_dossier_counter_by_code_prefix")]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="centralised_system",
            field=models.BooleanField(
                default=False,
                help_text="Thủ tục giải quyết trên hệ thống thông tin tập trung của bộ, ngành: "
                "mã số hồ sơ theo Thông tư 04/2025/TT-VPCP từ 25/01/2026.",
                verbose_name="thực hiện trên hệ thống tập trung toàn quốc",
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="system_owner_code",
            field=models.CharField(
                blank=True,
                help_text="Hai chữ số AA trong mã số hồ sơ …-YYMMDD-AAXXXX.",
                max_length=2,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{2}$", "Mã cơ quan chủ quản hệ thống gồm 2 chữ số."
                    )
                ],
                verbose_name="mã cơ quan chủ quản hệ thống (2 số)",
            ),
        ),
    ]
