"""Trigram indexes for the dossier list's text search (code, applicant name) on PostgreSQL;
SQLite (embedded mode) scans, which is fine at its size."""

from django.db import migrations

INDEXES = {
    "dossier_code_trgm": "dossiers_dossier USING gin (upper(code::text) gin_trgm_ops)",
    "applicant_name_trgm": "dossiers_applicant USING gin (upper(name::text) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
