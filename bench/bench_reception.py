"""Reception at the counter, end to end through the service, against rendering the receipt
alone.

200 receptions by ``receive_dossier`` (applicant, code under the counter lock, appointment,
components, history, audit, Mẫu 01 rendered and stored), each timed; against rendering the
same Mẫu 01 with WeasyPrint alone (``render_form``) 200 times, in the same run. Target: the
reception's p50 and p95 at most 1.5× the render's. Everything happens inside a transaction
that is rolled back at the end.
"""

import statistics
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dossiers.demo import load_reference_data, load_staff, load_units
from dossiers.models import Dossier, Procedure
from dossiers.printing import render_form
from dossiers.services import ReceivedComponent, receive_dossier

NEEDS_DB = True
N = 200


class RollbackError(Exception):
    """Raised to undo the benchmark's rows."""


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _timed(func, n):
    times = []
    for i in range(n):
        start = time.perf_counter()
        func(i)
        times.append(time.perf_counter() - start)
    return times


def run() -> list[dict]:
    results = {}
    try:
        with transaction.atomic():
            units = load_units()
            load_reference_data()
            load_staff(units)
            from django.contrib.auth import get_user_model

            clerk = get_user_model().objects.get(username="motcua.huyen1")
            counter = units["H50.22.02"]
            procedure = (
                Procedure.objects.filter(level__code="district", handling_units=counter)
                .exclude(steps__isnull=False)
                .first()
                or Procedure.objects.filter(level__code="district").first()
            )
            components = [ReceivedComponent(c.pk, c.copies) for c in procedure.components.all()]
            start = timezone.now() - timedelta(days=1)

            def receive(i):
                receive_dossier(
                    actor=clerk,
                    procedure=procedure,
                    components=components,
                    applicant={"id_number": f"0140900{i:05d}", "name": "Lò Văn Sinh"},
                    at=start + timedelta(seconds=i),
                )

            receive(N)  # warm up templates, fonts and the calendar
            results["subject"] = _timed(receive, N)
            dossier = Dossier.objects.order_by("-id").first()
            render_form(dossier, "receipt")
            results["reference"] = _timed(lambda i: render_form(dossier, "receipt"), N)
            raise RollbackError
    except RollbackError:
        pass
    subject, reference = results["subject"], results["reference"]
    notes = f"procedure {procedure.national_code}; {len(components)} components"
    return [
        {
            "name": f"reception + Mẫu 01, {label}",
            "subject_s": percentile(subject, share),
            "reference_s": percentile(reference, share),
            "unit": "reception",
            "n": 1,
            "reference": f"rendering the same Mẫu 01 alone (WeasyPrint), {label}",
            "notes": f"{N} receptions; {notes}; mean {statistics.mean(subject) * 1000:.0f} ms",
        }
        for label, share in (("p50", 0.5), ("p95", 0.95))
    ]
