"""The keyword baseline the trained model must beat: the same lexicon of sentiment words the
model's features use (feedback/sentiment/normalise.py), counted on the folded text with
teencode spelled out — but without negation and without learning: more negative words than
positive is negative, more positive is positive, else neutral."""

from .normalise import markers, words


def baseline_label(text: str) -> str:
    found = []
    for clause in words(text):
        found += markers(clause, [False] * len(clause))
    positive, negative = found.count("xpos"), found.count("xneg")
    if negative > positive:
        return "negative"
    if positive > negative:
        return "positive"
    return "neutral"
