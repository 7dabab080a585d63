"""Train the sentiment model on the shipped labelled set, report macro-F1 of the model and of
the keyword baseline on the held-out part, and save the model trained on every row."""

from django.core.management.base import BaseCommand

from feedback.sentiment import model
from feedback.services.sentiment import relabel_all


class Command(BaseCommand):
    help = "Huấn luyện mô hình cảm xúc góp ý, báo macro-F1 so với đường cơ sở từ khóa."

    def add_arguments(self, parser):
        parser.add_argument(
            "--relabel", action="store_true", help="Gán lại nhãn mọi góp ý và PAKN đã lưu."
        )

    def handle(self, *args, relabel=False, **options):
        _, result = model.evaluate()
        self.stdout.write(
            f"Dữ liệu: {result.rows} góp ý ({result.train_rows} huấn luyện, "
            f"{result.test_rows} kiểm tra)\n"
            f"macro-F1 mô hình: {result.model_f1:.3f}\n"
            f"macro-F1 đường cơ sở từ khóa: {result.baseline_f1:.3f}"
        )
        final = model.train_all()
        model.save(final)
        model.classifier.cache_clear()
        self.stdout.write(f"Đã lưu mô hình: {model.SAVED}")
        if relabel:
            counts = relabel_all()
            self.stdout.write(
                f"Đã gán lại nhãn {counts['ratings']} đánh giá, {counts['feedback']} PAKN."
            )
