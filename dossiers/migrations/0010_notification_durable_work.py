"""Notifications take the bookkeeping of durable work (core.work.DurableWork): the row's
creation is its ``queued_at`` and its last attempt's start its ``started_at`` (renamed, rows
kept); a failed row with attempts left gets the time of its next attempt."""

from datetime import timedelta

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def next_attempts(apps, schema_editor):
    Notification = apps.get_model("dossiers", "Notification")
    Notification.objects.filter(state="failed", attempts__lt=5).update(
        next_attempt_at=F("started_at") + timedelta(minutes=1)
    )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0009_procedure_result_type")]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notification_unsent"),
        migrations.RenameField("notification", "created_at", "queued_at"),
        migrations.RenameField("notification", "attempted_at", "started_at"),
        migrations.AlterModelOptions(
            name="notification",
            options={
                "ordering": ["-queued_at", "-id"],
                "verbose_name": "thông báo gửi người nộp",
                "verbose_name_plural": "hộp thư đi (thông báo gửi người nộp)",
            },
        ),
        migrations.AlterField(
            model_name="notification",
            name="queued_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="tạo lúc"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần thử"),
        ),
        migrations.AddField(
            model_name="notification",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="giữ việc đến"),
        ),
        migrations.AddField(
            model_name="notification",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thử lại lúc"),
        ),
        migrations.AddField(
            model_name="notification",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kết thúc lúc"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("state__in", ["pending", "failed"])),
                fields=["state", "queued_at"],
                name="notification_unsent",
            ),
        ),
        migrations.RunPython(next_attempts, migrations.RunPython.noop, elidable=True),
    ]
