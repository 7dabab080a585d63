"""A printed form names its kind and the legal text it was issued under (legal_bases.json);
``code`` stays the number printed on it. Every form stored before this was issued under
Thông tư 01/2018/TT-VPCP, whose numbers map to kinds one to one."""

from django.db import migrations, models

TT_01_2018_KINDS = {
    "01": "receipt",
    "02": "supplement",
    "03": "refusal",
    "04": "apology",
    "05": "control",
}


def forward(apps, schema_editor):
    PrintedForm = apps.get_model("dossiers", "PrintedForm")
    for code, kind in TT_01_2018_KINDS.items():
        PrintedForm.objects.filter(code=code).update(kind=kind, basis="tt-01-2018")


def backward(apps, schema_editor):
    pass  # code is unchanged; kind and basis are dropped with their columns


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0017_procedure_rules_revisions")]

    operations = [
        migrations.AddField(
            model_name="printedform",
            name="kind",
            field=models.CharField(
                choices=[
                    ("receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
                    ("supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
                    ("refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
                    ("apology", "Phiếu xin lỗi, hẹn lại ngày trả kết quả"),
                    ("stop", "Thông báo dừng giải quyết hồ sơ"),
                    ("control", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
                ],
                default="",
                max_length=16,
                verbose_name="loại phiếu",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="printedform",
            name="basis",
            field=models.CharField(
                default="tt-01-2018",
                help_text="vd. tt-03-2025",
                max_length=32,
                verbose_name="văn bản quy định mẫu",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="printedform",
            name="code",
            field=models.CharField(
                help_text="Số mẫu in trên phiếu, vd. 01", max_length=2, verbose_name="số mẫu"
            ),
        ),
        migrations.AddConstraint(
            model_name="printedform",
            constraint=models.UniqueConstraint(
                fields=("dossier", "kind", "event"), name="printed_form_once_per_event"
            ),
        ),
    ]
