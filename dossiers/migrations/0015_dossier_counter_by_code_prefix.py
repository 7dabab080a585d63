"""Dossier counters keyed by the code's prefix (the agency's code, the day and, under
Thông tư 04/2025/TT-VPCP, the system owner's digits) instead of the receiving unit, and unit
codes checked as electronic identification codes (Quyết định 20/2020/QĐ-TTg).

Existing counters keep their numbers: a unit's counter of a day becomes the counter of the
prefix ``<unit code>-<yymmdd>-`` its codes were made with, so the next code continues the day's
sequence and no code already issued changes (dossiers are not touched)."""

from django.db import migrations, models

import dossiers.validators


def prefix_from_unit(apps, schema_editor):
    counters = apps.get_model("dossiers", "DossierCounter")
    for counter in counters.objects.select_related("unit").iterator():
        counter.prefix = f"{counter.unit.code}-{counter.day:%y%m%d}-"
        counter.save(update_fields=["prefix"])


def unit_from_prefix(apps, schema_editor):
    """Back to one counter per unit and day: the highest of the unit's prefixes that day."""
    counters = apps.get_model("dossiers", "DossierCounter")
    unit_model = apps.get_model("dossiers", "Unit")
    units = dict(unit_model.objects.values_list("code", "pk"))
    kept = {}
    for counter in counters.objects.order_by("-last").iterator():
        unit_id = units.get(counter.prefix.split("-", 1)[0])
        if unit_id is None or (unit_id, counter.day) in kept:
            counter.delete()
            continue
        kept[unit_id, counter.day] = counter.pk
        counter.unit_id = unit_id
        counter.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0014_stop_at_request")]

    operations = [
        migrations.RemoveConstraint(model_name="dossiercounter", name="one_counter_per_unit_day"),
        migrations.AlterField(
            model_name="dossiercounter",
            name="unit",
            field=models.ForeignKey(null=True, on_delete=models.CASCADE, to="dossiers.unit"),
        ),
        migrations.AddField(
            model_name="dossiercounter",
            name="prefix",
            field=models.CharField(default="", max_length=48, verbose_name="đầu mã"),
            preserve_default=False,
        ),
        migrations.RunPython(prefix_from_unit, unit_from_prefix),
        migrations.RemoveField(model_name="dossiercounter", name="unit"),
        migrations.AddConstraint(
            model_name="dossiercounter",
            constraint=models.UniqueConstraint(
                fields=("prefix", "day"), name="one_counter_per_prefix_day"
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="code",
            field=models.CharField(
                help_text="Mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg, ví dụ H50.22.02; "
                "là phần đầu của mã số hồ sơ.",
                max_length=32,
                unique=True,
                validators=[dossiers.validators.validate_electronic_id],
                verbose_name="mã đơn vị",
            ),
        ),
    ]
