"""Sentiment of comments (feedback/sentiment, issue #23): the shipped labelled set split as the
model's own evaluation splits it, the model and the keyword baseline scored on the held-out part
in the same run (macro-F1, per label, accuracy, and on the rows typed without diacritics), beside
underthesea-core's TextClassifier on the same split (as typed, and on the normalised text), and
what classifying costs: one comment through the model against one through the baseline.
"""

import time

import underthesea_core
from sklearn.metrics import accuracy_score, f1_score

from feedback.sentiment import dataset, model
from feedback.sentiment.baseline import baseline_label
from feedback.sentiment.normalise import normalise

REPEATS = 5


def _best(func, repeats=REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - began)
    return best


def _scores(truth, predicted) -> dict:
    per_label = f1_score(truth, predicted, labels=dataset.LABELS, average=None, zero_division=0)
    return {
        "macro": model.macro_f1(truth, predicted),
        **dict(zip(dataset.LABELS, per_label, strict=True)),
        "accuracy": accuracy_score(truth, predicted),
    }


FIGURES = {}


def _bare(text: str) -> bool:
    """Typed without diacritics (nothing outside ASCII)."""
    return text.isascii()


def run() -> list[dict]:
    rows = dataset.load()
    part = dataset.split(rows)
    trained = {}
    train_s = _best(
        lambda: trained.update(m=model.train(part.train_texts, part.train_labels)), repeats=3
    )
    classifier = trained["m"]
    texts, truth = part.test_texts, part.test_labels
    predicted = classifier.labels(texts)
    keyword = [baseline_label(t) for t in texts]
    bare = [i for i, t in enumerate(texts) if _bare(t)]
    # The example, underthesea-core's TextClassifier (TF-IDF + linear SVM in Rust,
    # word 1–2-grams), on the comments as typed and on the portal's normalised text.
    theirs = {}
    for name, prepare in (("raw", str), ("normalised", normalise)):
        other = underthesea_core.TextClassifier(ngram_range=(1, 2))
        other.fit([prepare(t) for t in part.train_texts], list(part.train_labels))
        theirs[name] = _scores(truth, other.predict_batch([prepare(t) for t in texts]))
    FIGURES.update(
        rows=len(rows),
        counts={lab: sum(1 for _, x in rows if x == lab) for lab in dataset.LABELS},
        bare_rows=sum(1 for t, _ in rows if _bare(t)),
        train=len(part.train_texts),
        test=len(texts),
        model=_scores(truth, predicted),
        underthesea=theirs,
        baseline=_scores(truth, keyword),
        bare=len(bare),
        model_bare=model.macro_f1([truth[i] for i in bare], [predicted[i] for i in bare]),
        baseline_bare=model.macro_f1([truth[i] for i in bare], [keyword[i] for i in bare]),
        train_s=train_s,
    )
    one_by_one = _best(lambda: [classifier.label(t) for t in texts])
    by_keyword = _best(lambda: [baseline_label(t) for t in texts])
    return [
        {
            "name": f"classify one comment (the {len(texts)} held-out ones, one call each)",
            "subject_s": one_by_one,
            "reference_s": by_keyword,
            "reference": "the keyword baseline on the same comments",
            "unit": "comment",
            "n": len(texts),
            "notes": f"training on {len(part.train_texts)} rows: {train_s:.2f} s",
        }
    ]


def markdown() -> str:
    f = FIGURES
    m, b = f["model"], f["baseline"]

    def line(name, s):
        return (
            f"| {name} | {s['macro']:.3f} | {s['negative']:.3f} | {s['neutral']:.3f} "
            f"| {s['positive']:.3f} | {s['accuracy']:.3f} |"
        )

    counts = ", ".join(f"{n} {lab}" for lab, n in f["counts"].items())
    gain = m["macro"] - b["macro"]
    met = "met" if m["macro"] >= 0.85 and gain >= 0.10 else "NOT met"
    return "\n".join(
        [
            f"Data: `feedback/data/sentiment/comments.csv`, {f['rows']} comments written for the "
            f"portal and labelled by hand ({counts}; {f['bare_rows']} typed without "
            f"diacritics). Split as `feedback/sentiment/dataset.py` splits it: {f['train']} "
            f"train, {f['test']} held out.",
            "",
            "| Classifier (held-out part) | macro-F1 | negative F1 | neutral F1 | positive F1 "
            "| accuracy |",
            "|---|--:|--:|--:|--:|--:|",
            line("keyword baseline (`feedback/sentiment/baseline.py`)", b),
            line(
                "underthesea-core `TextClassifier` (word 1–2-grams), on the text as typed",
                f["underthesea"]["raw"],
            ),
            line(
                "underthesea-core `TextClassifier`, on the portal's normalised text "
                "(folded, teencode spelled out, negation scope, lexicon markers)",
                f["underthesea"]["normalised"],
            ),
            line("model: TF-IDF + LinearSVC (`feedback/sentiment/model.py`)", m),
            "",
            f"Gain over the baseline: {gain:+.3f} macro-F1 (target ≥ 0.85 and ≥ baseline + "
            f"0.10: {met}). On the {f['bare']} held-out comments typed without diacritics: "
            f"model {f['model_bare']:.3f}, baseline {f['baseline_bare']:.3f} (too few rows "
            "to weigh much). The set was written by one author: relabel and retrain on real "
            "citizens' comments (`manage.py train_sentiment --relabel`) before trusting the "
            "figure in production. What carries the score is the normalisation: underthesea-core's "
            "classifier on the normalised text comes close to the portal's model, which keeps "
            "character n-grams on top (typos and missing marks) — a difference within the "
            "held-out part's noise (about ±0.04 at this size).",
        ]
    )
