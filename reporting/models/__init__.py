"""Reporting's own tables: the plan's targets (data the district office edits), frozen report
snapshots, and the bookkeeping of report jobs computed on the ``reports`` queue."""

from .jobs import ReportJob
from .snapshots import Snapshot
from .targets import Target

__all__ = ["ReportJob", "Snapshot", "Target"]
