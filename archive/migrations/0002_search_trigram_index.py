"""A trigram index for the archive's full-text search (LIKE '%word%' on the folded words and
OCR text) on PostgreSQL; SQLite (embedded mode) scans, which is fine at its size."""

from django.db import migrations

INDEX = "archive_record_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON archive_archiverecord "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_records_packages_fixity_disposal"),
        ("dossiers", "0002_postgresql_extensions"),
    ]

    operations = [migrations.RunPython(create, drop)]
