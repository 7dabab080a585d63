from .alert import LeaderAlert
from .case import Feedback
from .sentiment import RatingSentiment, Sentiment

__all__ = ["Feedback", "LeaderAlert", "RatingSentiment", "Sentiment"]
