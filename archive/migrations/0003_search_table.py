"""The search text moves to a table of its own, ``ArchiveSearch`` (one row per sealed record),
with the trigram index on PostgreSQL: a change of a record's row (the fixity pass updates
every record it checks) then no longer indexes the whole OCR text again."""

from django.db import migrations, models

INDEX = "archive_search_text_trgm"
BATCH = 500


def copy_text(apps, schema_editor):
    record = apps.get_model("archive", "ArchiveRecord")
    search = apps.get_model("archive", "ArchiveSearch")
    rows = record.objects.exclude(search_text="").values_list("pk", "search_text")
    batch = []
    for pk, text in rows.iterator(chunk_size=BATCH):
        batch.append(search(record_id=pk, text=text))
        if len(batch) == BATCH:
            search.objects.bulk_create(batch)
            batch = []
    search.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    record = apps.get_model("archive", "ArchiveRecord")
    search = apps.get_model("archive", "ArchiveSearch")
    for pk, text in search.objects.values_list("record_id", "text").iterator(chunk_size=BATCH):
        record.objects.filter(pk=pk).update(search_text=text)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_archivesearch "
            "USING gin (text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def drop_old_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS archive_record_search_trgm")


def create_old_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS archive_record_search_trgm ON archive_archiverecord "
            "USING gin (search_text gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_search_trigram_index")]

    operations = [
        migrations.CreateModel(
            name="ArchiveSearch",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="archive.archiverecord",
                    ),
                ),
                ("text", models.TextField(blank=True, default="")),
            ],
            options={
                "verbose_name": "nội dung tìm kiếm của hồ sơ lưu trữ",
                "verbose_name_plural": "nội dung tìm kiếm của hồ sơ lưu trữ",
            },
        ),
        migrations.RunPython(copy_text, copy_back),
        migrations.RunPython(drop_old_index, create_old_index),
        migrations.RemoveField(model_name="archiverecord", name="search_text"),
        migrations.RunPython(create_index, drop_index),
    ]
