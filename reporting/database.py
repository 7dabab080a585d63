"""Which database the report queries read: the read replica named by REPORTING_DATABASE_URL
(the ``reporting`` alias) when configured, else the primary. Writes never go there."""

from django.conf import settings

REPLICA = "reporting"


def report_db() -> str:
    return REPLICA if REPLICA in settings.DATABASES else "default"
