"""The PAKN actions: one service function, one transaction each (conventions.md)."""

from .escalation import deliver_alert, escalate_overdue
from .handling import answer_feedback, close_feedback, rate_answer
from .intake import submit_feedback

__all__ = [
    "answer_feedback",
    "close_feedback",
    "deliver_alert",
    "escalate_overdue",
    "rate_answer",
    "submit_feedback",
]
