from django.apps import AppConfig


class PostConfig(AppConfig):
    name = "counterpart.post"
    label = "counterpart_post"
    verbose_name = "Bưu chính công ích (mô phỏng)"
