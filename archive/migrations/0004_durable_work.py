"""Archive records take the bookkeeping of durable work (core.work.DurableWork): the time a
record was requested is its ``queued_at`` (renamed, rows kept), an attempt's start and end are
recorded from now on (a sealed record's end is its sealing)."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def sealed_is_finished(apps, schema_editor):
    ArchiveRecord = apps.get_model("archive", "ArchiveRecord")
    ArchiveRecord.objects.filter(sealed_at__isnull=False).update(finished_at=F("sealed_at"))


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_search_table")]

    operations = [
        migrations.RenameField("archiverecord", "requested_at", "queued_at"),
        migrations.AlterField(
            model_name="archiverecord",
            name="queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="xếp hàng lúc"
            ),
        ),
        migrations.AddField(
            model_name="archiverecord",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
        ),
        migrations.AddField(
            model_name="archiverecord",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="kết thúc lúc"),
        ),
        migrations.AlterField(
            model_name="archiverecord",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="lỗi gần nhất"),
        ),
        migrations.RunPython(sealed_is_finished, migrations.RunPython.noop, elidable=True),
    ]
