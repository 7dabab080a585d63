"""The one entry point that labels a text with the trained model (feedback/sentiment/model.py).
Empty text has no label."""


def label_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    from .model import classifier  # scikit-learn is imported at first use, not at every start

    return classifier().label(text)
