"""Scanned files take the bookkeeping of durable work (core.work.DurableWork): ``queued_at``
starts as the upload time, ``next_attempt_at`` takes over the sweeper's mark on pending files
(it used to be their ``lease_until``), ``started_at`` is recorded from now on."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    ScannedFile = apps.get_model("digitization", "ScannedFile")
    ScannedFile.objects.update(queued_at=F("created_at"))
    ScannedFile.objects.filter(state="pending", lease_until__isnull=False).update(
        next_attempt_at=F("lease_until"), lease_until=None
    )


class Migration(migrations.Migration):
    dependencies = [("digitization", "0003_scan_retry_helps")]

    operations = [
        migrations.AddField(
            model_name="scannedfile",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
        migrations.AddField(
            model_name="scannedfile",
            name="queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="xếp hàng lúc"
            ),
        ),
        migrations.AddField(
            model_name="scannedfile",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
        migrations.AlterField(
            model_name="scannedfile",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kết thúc lúc"),
        ),
        migrations.AlterField(
            model_name="scannedfile",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="lỗi gần nhất"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
