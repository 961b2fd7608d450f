"""Compare raw TextBlob, VADER and our service-feedback analyser on labelled sets.

Run from the repository root: ``python bench/sentiment_eval.py [--uci-dir DIR]``.
VADER is a benchmark-only dependency; the product never imports it.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textblob import TextBlob  # noqa: E402
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from feedback.analysis.sentiment import analyse_sentiment  # noqa: E402

SERVICE_FEEDBACK = ROOT / "tests" / "data" / "service_feedback.csv"
UCI_FILES = {
    "uci amazon": "amazon_cells_labelled.txt",
    "uci imdb": "imdb_labelled.txt",
    "uci yelp": "yelp_labelled.txt",
}
THRESHOLD = 0.05


def three_way(score: float) -> str:
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


def analysers():
    vader = SentimentIntensityAnalyzer()
    return {
        "raw TextBlob": lambda t: three_way(TextBlob(t).sentiment.polarity),
        "VADER": lambda t: three_way(vader.polarity_scores(t)["compound"]),
        "ours": lambda t: analyse_sentiment(t).label,
    }


def accuracy_and_macro_f1(gold: list[str], predicted: list[str], classes: list[str]):
    """Macro-F1 over the gold classes; a prediction outside them (neutral on UCI) is wrong."""
    correct = sum(g == p for g, p in zip(gold, predicted))
    f1s = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, predicted))
        fp = sum(g != c and p == c for g, p in zip(gold, predicted))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return correct / len(gold), sum(f1s) / len(f1s)


def load_service_feedback(split: str | None):
    with SERVICE_FEEDBACK.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if split is None or r["split"] == split]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def load_uci(path: Path):
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        sentence, _, label = line.rpartition("\t")
        if label.strip() in ("0", "1"):
            texts.append(sentence)
            labels.append("positive" if label.strip() == "1" else "negative")
    return texts, labels


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    default_uci = os.environ.get("UCI_SENTENCES_DIR", str(ROOT.parent / "shared" / "data" / "uci-sentences"))
    parser.add_argument("--uci-dir", default=default_uci, help="folder with the UCI sentence files")
    args = parser.parse_args(argv)

    sets = []
    three = ["negative", "neutral", "positive"]
    sets.append(("service feedback (all)", *load_service_feedback(None), three))
    sets.append(("service feedback (holdout)", *load_service_feedback("holdout"), three))
    sets.append(("service feedback (dev)", *load_service_feedback("dev"), three))
    for name, filename in UCI_FILES.items():
        path = Path(args.uci_dir) / filename
        if not path.exists():
            print(f"skipping {name}: {path} not found")
            continue
        sets.append((name, *load_uci(path), ["negative", "positive"]))

    scorers = analysers()
    header = "".join(f"{name + ' acc':>18}{name + ' F1':>17}" for name in scorers)
    print(f"{'set':<28}{'n':>6}{header}")
    for name, texts, gold, classes in sets:
        cells = []
        for scorer in scorers.values():
            acc, f1 = accuracy_and_macro_f1(gold, [scorer(t) for t in texts], classes)
            cells.append(f"{acc:>18.3f}{f1:>17.3f}")
        print(f"{name:<28}{len(texts):>6}" + "".join(cells))
    print("UCI sets: two classes, a neutral prediction counts as wrong; thresholds ±0.05.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
