from .alert import AnswerNotice, LeaderAlert
from .case import Feedback
from .sentiment import RatingSentiment, Sentiment

__all__ = ["AnswerNotice", "Feedback", "LeaderAlert", "RatingSentiment", "Sentiment"]
