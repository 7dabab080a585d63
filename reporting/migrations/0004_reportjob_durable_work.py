"""Report jobs take the bookkeeping of durable work (core.work.DurableWork): ``created_at``
becomes ``queued_at`` and ``error`` becomes ``last_error`` (renamed, rows kept); a job being
computed gets the lease it had implicitly (20 minutes from its start)."""

from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def leases(apps, schema_editor):
    ReportJob = apps.get_model("reporting", "ReportJob")
    ReportJob.objects.filter(state="processing", started_at__isnull=False).update(
        lease_until=F("started_at") + timedelta(minutes=20), attempts=1
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_report_indexes")]

    operations = [
        migrations.RenameField("reportjob", "created_at", "queued_at"),
        migrations.RenameField("reportjob", "error", "last_error"),
        migrations.AlterField(
            model_name="reportjob",
            name="queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="xếp hàng lúc"
            ),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="lỗi gần nhất"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
        migrations.AlterField(
            model_name="reportjob",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kết thúc lúc"),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần thử"),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="giữ việc đến"),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
        migrations.RunPython(leases, migrations.RunPython.noop, elidable=True),
    ]
