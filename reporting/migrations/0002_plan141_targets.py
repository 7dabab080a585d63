from django.db import migrations


def load_targets(apps, schema_editor):
    from reporting import plan141

    plan141.load(apps.get_model("reporting", "Target"))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_targets_snapshots_jobs")]

    operations = [migrations.RunPython(load_targets, migrations.RunPython.noop)]
