from django.core.management.base import BaseCommand
from django.utils import timezone

from digitization.signing import ensure_demo_pki
from dossiers.queries import units_in_force


class Command(BaseCommand):
    help = (
        "Tạo CA thử nghiệm và chứng thư số (PKCS#12) cho mọi đơn vị đang hoạt động, cạnh "
        "SIGNING_CERT_P12 "
        "(chạy lại an toàn: chỉ tạo chứng thư còn thiếu hoặc đơn vị đã đổi tên)."
    )

    def handle(self, *args, **options):
        # An ended unit signs nothing more; its successor has a certificate of its own.
        units = units_in_force(timezone.localdate()).order_by("code").only("code", "name")
        pki = ensure_demo_pki(units)
        self.stdout.write(
            f"Chứng thư số: {len(pki.unit_p12)} đơn vị, mới tạo {len(pki.created)} · "
            f"CA tin cậy: {pki.ca_pem} · Chứng thư mặc định: {pki.default_p12}"
        )
