from .leader import feedback_detail, leader_queue, quality
from .public import kiosk, public_answers, rate, send, status

__all__ = [
    "feedback_detail",
    "kiosk",
    "leader_queue",
    "public_answers",
    "quality",
    "rate",
    "send",
    "status",
]
