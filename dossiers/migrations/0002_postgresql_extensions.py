"""unaccent and pg_trgm on PostgreSQL (full mode's diacritics-insensitive search); nothing on
SQLite, where the folded search_* columns do the same job."""

from django.db import migrations


def create_extensions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [migrations.RunPython(create_extensions, migrations.RunPython.noop)]
