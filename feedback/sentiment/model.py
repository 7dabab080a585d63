"""The sentiment model: TF-IDF of character n-grams (2–5, inside word boundaries) and of word
uni- and bigrams, both over the normalised text (feedback/sentiment/normalise.py), fed to a
linear SVM (scikit-learn's LinearSVC). CPU only, no download, trained in well under a second
on the shipped set.

Trained at first use rather than shipped as a pickle: a pickled scikit-learn model is tied to
the library's version (a wheel upgrade would break or silently change it) and the whole
training costs less than loading one. ``manage.py train_sentiment`` trains, reports macro-F1
against the keyword baseline on the held-out part and writes the model to
``feedback/sentiment/model.joblib`` (ignored by git) for inspection; :func:`classifier` uses
that file only when it was trained on the same data and the same library version, and trains
afresh otherwise."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import joblib
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.svm import LinearSVC

from . import dataset
from .baseline import baseline_label
from .normalise import normalise, plain

SAVED = Path(__file__).resolve().parent / "model.joblib"


@dataclass
class Classifier:
    pipeline: object
    fingerprint: str
    version: str

    def label(self, text: str) -> str:
        return str(self.pipeline.predict([text])[0])

    def labels(self, texts) -> list[str]:
        return [str(label) for label in self.pipeline.predict(list(texts))]


def build_pipeline():
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=plain,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalise,
                    ngram_range=(1, 2),
                    token_pattern=r"[a-z0-9_]+",  # noqa: S106 - a regular expression
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    return make_pipeline(features, LinearSVC(C=1.0, class_weight="balanced", random_state=0))


def train(texts, labels) -> Classifier:
    pipeline = build_pipeline()
    pipeline.fit(list(texts), list(labels))
    return Classifier(pipeline, dataset.fingerprint(), sklearn.__version__)


def macro_f1(truth, predicted) -> float:
    return float(f1_score(truth, predicted, average="macro", labels=list(dataset.LABELS)))


@dataclass(frozen=True)
class Evaluation:
    rows: int
    train_rows: int
    test_rows: int
    model_f1: float
    baseline_f1: float


def evaluate() -> tuple[Classifier, Evaluation]:
    """Train on the training part and score the model and the baseline on the held-out part."""
    rows = dataset.load()
    part = dataset.split(rows)
    model = train(part.train_texts, part.train_labels)
    return model, Evaluation(
        rows=len(rows),
        train_rows=len(part.train_texts),
        test_rows=len(part.test_texts),
        model_f1=macro_f1(part.test_labels, model.labels(part.test_texts)),
        baseline_f1=macro_f1(part.test_labels, [baseline_label(t) for t in part.test_texts]),
    )


def train_all() -> Classifier:
    """The model the portal uses: trained on every labelled row."""
    rows = dataset.load()
    return train([t for t, _ in rows], [lab for _, lab in rows])


def save(model: Classifier, path=None):
    joblib.dump(model, path or SAVED)


@cache
def classifier() -> Classifier:
    """The model, once per process: the saved one when it matches the data and the library,
    else trained now."""
    if SAVED.exists():
        try:
            saved = joblib.load(SAVED)
        except Exception:  # noqa: BLE001 - an unreadable file is simply trained again
            saved = None
        if (
            isinstance(saved, Classifier)
            and saved.fingerprint == dataset.fingerprint()
            and saved.version == sklearn.__version__
        ):
            return saved
    return train_all()
