"""The QĐ 766/QĐ-TTg score of a unit and period (issue #23 item 2): 100 points in six groups,
each sub-indicator counted in SQL from the portal's own records, with its formula, points,
level and legal basis as data (reporting/data/score766.json).

Entry point for other code (the live dashboards, the map): ``score(unit, period)`` -> Score,
cached like the dashboard until the data changes. A sub-indicator the portal has no data for
is "chưa đo được" with its reason and earns nothing; it is shown apart from points lost."""

from .compute import score, trend
from .result import Score, ScoreGroup, ScoreItem

__all__ = ["Score", "ScoreGroup", "ScoreItem", "score", "trend"]
