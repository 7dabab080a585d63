"""REPORTING_DATABASE_URL: when set, the report's queries run on the ``reporting`` alias (a
read replica in production; here a second connection to the test database). Both aliases
connect with PostgreSQL's JIT off."""

import pytest
from django.conf import settings
from django.db import connection

from .fresh_python import run_json

pytestmark = pytest.mark.django_db(transaction=True)

SNIPPET = """
import json, django
django.setup()
from django.db import connections
from dossiers.models import Unit
from reporting import periods
from reporting.database import report_db
from reporting.tables import monthly_table
unit = Unit.objects.get(code="H50.22.02")
counts = {"default": 0, "reporting": 0}
def counter(alias):
    def wrapper(execute, sql, params, many, context):
        counts[alias] += 1
        return execute(sql, params, many, context)
    return wrapper
with connections["default"].execute_wrapper(counter("default")), \\
        connections["reporting"].execute_wrapper(counter("reporting")):
    table = monthly_table(unit, periods.month(2025, 3))
jit = {}
for alias in ("default", "reporting"):
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW jit")
        jit[alias] = cursor.fetchone()[0]
print(json.dumps(
    {"alias": report_db(), "counts": counts, "received": table.total["received"], "jit": jit}
))
"""


def test_report_queries_go_to_the_replica_when_configured(march):
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    result = run_json(
        SNIPPET, timeout=120, env={"DATABASE_URL": url, "REPORTING_DATABASE_URL": url}
    )
    assert result["alias"] == "reporting"
    assert result["counts"]["default"] == 0 and result["counts"]["reporting"] >= 1
    assert result["received"] == 6
    # Both connections without PostgreSQL's JIT, which made a province report 4× slower
    # (bacyen_portal/settings.py).
    assert result["jit"] == {"default": "off", "reporting": "off"}
