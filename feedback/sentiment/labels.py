"""The one entry point that labels a text: the trained model (feedback/sentiment/model.py)
when scikit-learn and the labelled set are there, else the keyword baseline. Empty text has
no label."""

from .baseline import baseline_label


def label_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    from .model import classifier  # the model loads (or trains) on first use only

    model = classifier()
    return model.label(text) if model is not None else baseline_label(text)
