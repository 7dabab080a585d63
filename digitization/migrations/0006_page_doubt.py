"""Each recognised page's mean confidence and, when it should be looked at, why (issue #20
item 4: the dossier page marks doubtful pages). Filled for the pages already read, from their
stored words, with the rule the model applies on save (digitization/doubt.py)."""

from django.db import migrations, models

from digitization.doubt import mean_confidence, page_doubt


def fill(apps, schema_editor):
    ScannedPage = apps.get_model("digitization", "ScannedPage")
    pages = ScannedPage.objects.using(schema_editor.connection.alias).only("words")
    batch = []
    for page in pages.iterator(chunk_size=500):
        page.confidence, page.doubt = mean_confidence(page.words), page_doubt(page.words)
        batch.append(page)
        if len(batch) == 500:
            ScannedPage.objects.bulk_update(batch, ["confidence", "doubt"])
            batch = []
    ScannedPage.objects.bulk_update(batch, ["confidence", "doubt"])


class Migration(migrations.Migration):
    dependencies = [("digitization", "0005_online_drafts")]

    operations = [
        migrations.AddField(
            model_name="scannedpage",
            name="confidence",
            field=models.FloatField(
                blank=True, editable=False, null=True, verbose_name="độ tin cậy trung bình"
            ),
        ),
        migrations.AddField(
            model_name="scannedpage",
            name="doubt",
            field=models.CharField(
                blank=True, editable=False, max_length=200, verbose_name="cần kiểm tra"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
