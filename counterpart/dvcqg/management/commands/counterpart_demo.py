"""Load the counterpart's demo data (idempotent): each app adds its part below."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Dữ liệu mẫu của bên đối tác cục bộ (DVCQG, VNeID)."

    def handle(self, *args, **options):
        # Each app's demo data loads once Django is set up (models imported then).
        from counterpart.vneid.demo import load as load_vneid

        load_vneid()
        from counterpart.population.demo import load as load_population  # as above

        load_population()
