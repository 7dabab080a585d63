"""The labelled set shipped in the repository (feedback/data/sentiment/comments.csv: short
comments about public services written for it, with and without diacritics, with negation and
teencode, each labelled negative / neutral / positive by hand) and its deterministic split.

The split is stratified: within each label the rows are ordered by the SHA-256 of their text
and every fourth one is held out (25 %), so the held-out part is the same on every machine and
changes only where the data changes."""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "sentiment" / "comments.csv"
LABELS = ("negative", "neutral", "positive")
HOLD_OUT_EVERY = 4


@dataclass(frozen=True, slots=True)
class Split:
    train_texts: list
    train_labels: list
    test_texts: list
    test_labels: list


def load(path=DATA) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(row["text"].strip(), row["label"].strip()) for row in csv.DictReader(handle)]
    wrong = {label for _, label in rows} - set(LABELS)
    if wrong:
        raise ValueError(f"labels not in {LABELS}: {sorted(wrong)}")
    return rows


def fingerprint(path=DATA) -> str:
    """SHA-256 of the data file: a saved model trained on other data is not used."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def split(rows) -> Split:
    train, test = [], []
    for label in LABELS:
        texts = sorted(
            (t for t, lab in rows if lab == label),
            key=lambda t: hashlib.sha256(t.encode()).hexdigest(),
        )
        for i, text in enumerate(texts):
            (test if i % HOLD_OUT_EVERY == 0 else train).append((text, label))
    return Split(
        [t for t, _ in train],
        [lab for _, lab in train],
        [t for t, _ in test],
        [lab for _, lab in test],
    )
