"""Every write of the reporting app: a dashboard's background job, and a sent report frozen
as its snapshot. Reads shared by pages and API are in queries.py."""

from .jobs import compute_job, ensure_job
from .sending import send_report

__all__ = ["compute_job", "ensure_job", "send_report"]
