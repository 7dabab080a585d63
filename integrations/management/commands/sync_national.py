"""``manage.py sync_national --check``: what is not in sync with DVCQG and why (exit 1 when a
dossier waits for a person); ``--resend CODE`` / ``--resend-rejected``: put rejected messages
back in line; ``--send-now``: send what waits, here, without the worker."""

from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Dossier

from ... import queries, sync
from ...models import DossierSync


class Command(BaseCommand):
    help = "Đối soát đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia; gửi lại thông điệp lỗi."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Liệt kê hồ sơ chưa đồng bộ.")
        parser.add_argument("--limit", type=int, default=200)
        parser.add_argument("--resend", metavar="MÃ_HỒ_SƠ", help="Gửi lại một hồ sơ.")
        parser.add_argument(
            "--resend-rejected", action="store_true", help="Gửi lại mọi hồ sơ bị Cổng từ chối."
        )
        parser.add_argument(
            "--send-now",
            action="store_true",
            help="Gửi ngay các thông điệp đang chờ (không qua worker).",
        )

    def handle(self, *args, **options):
        if options["resend"]:
            self._resend_one(options["resend"])
        if options["resend_rejected"]:
            rows = list(queries.unsynced(state=DossierSync.State.ERROR))
            count = sum(sync.resend(row, actor=None) for row in rows)
            self.stdout.write(f"Đã xếp lại {count} thông điệp của {len(rows)} hồ sơ.")
        if options["send_now"]:
            outcomes = {}
            for pk in sync.due_for_sweep(limit=options["limit"]):
                outcome = sync.deliver(pk)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            self.stdout.write(f"Đã gửi: {outcomes or 'không có thông điệp nào đến lượt'}")
        if options["check"] or not any(
            options[k] for k in ("resend", "resend_rejected", "send_now")
        ):
            return self._check(options["limit"])

    def _resend_one(self, code):
        try:
            state = DossierSync.objects.select_related("dossier").get(dossier__code=code)
        except DossierSync.DoesNotExist:
            if not Dossier.objects.filter(code=code).exists():
                raise CommandError(f"Không có hồ sơ {code}.") from None
            raise CommandError(f"Hồ sơ {code} chưa có thông điệp nào phải gửi.") from None
        count = sync.resend(state, actor=None)
        self.stdout.write(f"Hồ sơ {code}: đã xếp lại {count} thông điệp bị từ chối.")

    def _check(self, limit):
        totals = queries.counts()
        rows = list(queries.unsynced()[:limit])
        self.stdout.write(
            "Đồng bộ Cổng DVCQG: "
            + ", ".join(f"{s.label}: {totals.get(s.value, 0)}" for s in DossierSync.State)
        )
        for row in rows:
            reason = row.last_error or "chờ lượt gửi"
            self.stdout.write(
                f"{row.dossier.code}\t{row.get_state_display()}\tchưa gửi {row.unsent}"
                f"\tsố lần {row.attempts or 0}\t{reason}"
            )
        if totals.get(DossierSync.State.ERROR):
            raise CommandError(
                f"{totals[DossierSync.State.ERROR]} hồ sơ bị Cổng từ chối, chờ cán bộ xem lại."
            )
