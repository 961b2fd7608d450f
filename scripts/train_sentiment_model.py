"""Train the sentiment combiner (feedback/analysis/data/sentiment_model.json).

Reads development comments only: every set in tests/data/eval/sentiment_themes/ (dev,
dev_extra, dev_check, and the former holdouts holdout, holdout_b ... holdout_e, development
data since they were measured; see their PROVENANCE files) and the dev rows of
tests/data/service_feedback.csv. No blind holdout (holdout_f and later) is ever read.
Settings are judged leave one set out: each set is scored by a model trained on all the
others, as a new writer's comments would be; the figure is the mean over the sets.

    python scripts/train_sentiment_model.py                    # fit with the chosen settings, write
    python scripts/train_sentiment_model.py --by-set           # leave one set out, chosen settings
    python scripts/train_sentiment_model.py --by-set --errors  # ... and every set's errors
    python scripts/train_sentiment_model.py --search           # choose C, min_df, negation marks, fit

Deterministic: fixed seeds, the same data gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.sentiment import (  # noqa: E402
    MODEL_PATH,
    communication_text,
    negation_tokens,
    RULES_OVER_NEUTRAL,
    model_tokens,
    rule_sentiment,
    rules_decide,
    sentiment_features,
    word_vector,
)

EVAL = ROOT / "tests" / "data" / "eval" / "sentiment_themes"
CLASSES = ("negative", "neutral", "positive")
#: The grid, searched by leave-one-set-out (``--by-set`` figures, their mean): the
#: regularisation, the least document frequency of a word, and whether words in a
#: negator's scope count apart (``negation_tokens``). Always with words and word pairs.
GRID_C = (3.0, 10.0, 30.0)
GRID_MIN_DF = (3, 5)
GRID_NEGATION = (False, True)
#: What 1.6 chose (the search takes about ten minutes; ``--search`` runs it again).
CHOSEN = {"C": 10.0, "min_df": 5, "negation": True}


#: Former holdouts, development data since 2026-12-01 (see their PROVENANCE files).
FORMER_HOLDOUTS = ("holdout", "holdout_b", "holdout_c", "holdout_d", "holdout_e")
#: The evaluation sets, each held out in turn by ``--by-set``.
SETS = ("dev", "dev_extra", "dev_check") + FORMER_HOLDOUTS
SOURCES = SETS + ("service_feedback",)


def development_comments(names=SETS) -> list[tuple[str, str, str]]:
    """(text, label, source) for every development comment."""
    rows = []
    for name in names:
        for line in (EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                rows.append((item["text"], item["sentiment"], name))
    with (ROOT / "tests" / "data" / "service_feedback.csv").open(newline="", encoding="utf-8") as handle:
        rows += [(r["text"], r["label"], "service_feedback") for r in csv.DictReader(handle) if r["split"] == "dev"]
    return rows


def _identity(tokens):
    return tokens


_FEATURES: dict[str, dict[str, float]] = {}


def _features(text):
    if text not in _FEATURES:
        _FEATURES[text] = sentiment_features(text)[0]
    return _FEATURES[text]


def tokens_of(text, negation):
    return model_tokens(text) + (negation_tokens(text) if negation else [])


def design(texts, dense_names, vectorizer=None, fit=False, negation=False):
    dense = np.array([[_features(t)[name] for name in dense_names] for t in texts])
    if vectorizer is None:
        return csr_matrix(dense), None
    tokens = [tokens_of(t, negation) for t in texts]
    words = vectorizer.fit_transform(tokens) if fit else vectorizer.transform(tokens)
    return hstack([csr_matrix(dense), words]).tocsr(), vectorizer


def new_vectorizer(min_df):
    return TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True)


def fit(texts, labels, dense_names, c, words, min_df, negation=False):
    vectorizer = new_vectorizer(min_df) if words else None
    x, vectorizer = design(texts, dense_names, vectorizer, fit=True, negation=negation)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=0)
    model.fit(x, labels)
    return model, vectorizer


def decide(model, vectorizer, texts, dense_names, negation=False, rules_over_neutral=RULES_OVER_NEUTRAL):
    """Labels as the analyser decides them (the rules over a neutral model)."""
    if not texts:
        return []
    x, _ = design(texts, dense_names, vectorizer, negation=negation)
    predicted = list(model.predict(x))
    probabilities = model.predict_proba(x)
    pos, neg = list(model.classes_).index("positive"), list(model.classes_).index("negative")
    for i, text in enumerate(texts):
        rules = _features(text)["rules"]
        if rules_decide(predicted[i], probabilities[i][pos] - probabilities[i][neg], rules):
            predicted[i] = "positive" if rules > 0 else "negative"
    return predicted


def set_items(name):
    return [json.loads(line) for line in (EVAL / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def by_set(dense_names, c, min_df, negation, errors=False):
    """Leave one set out: each evaluation set scored by a model trained on every other
    comment (the other sets and the service-feedback dev rows), the rules deciding as the
    analyser lets them. Macro-F1 of the label and of the communication part (what the CQI
    reads: the clauses about communication, or the whole comment when none is), per set,
    and their means; right answers per phenomenon over all sets."""
    rows = development_comments()
    scores, communication = {}, {}
    right, total, wrong = Counter(), Counter(), []
    for held in SETS:
        train = [r for r in rows if r[2] != held]
        model, vectorizer = fit([r[0] for r in train], [r[1] for r in train], dense_names, c, True, min_df, negation)
        items = set_items(held)
        predicted = decide(model, vectorizer, [i["text"] for i in items], dense_names, negation)
        scores[held] = f1_score([i["sentiment"] for i in items], predicted, average="macro")
        with_comm = [i for i in items if i.get("communication_sentiment")]
        comm = decide(model, vectorizer, [communication_text(i["text"]) or i["text"] for i in with_comm], dense_names, negation)
        communication[held] = f1_score([i["communication_sentiment"] for i in with_comm], comm, average="macro")
        for item, label in zip(items, predicted):
            for tag in item.get("phenomena", ()):
                total[tag] += 1
                right[tag] += label == item["sentiment"]
            if errors and label != item["sentiment"]:
                wrong.append(f"  {held}: [{item['sentiment']} read as {label}] {item['text']}")
    scores["mean"] = sum(scores.values()) / len(SETS)
    communication["mean"] = sum(communication.values()) / len(SETS)
    return scores, communication, {tag: (right[tag], total[tag]) for tag in sorted(total)}, wrong


def print_by_set(scores, communication, phenomena):
    print(f"{'set':<12}{'macro-F1':>10}{'communication part':>20}")
    for name in scores:
        print(f"{name:<12}{scores[name]:>10.3f}{communication[name]:>20.3f}")
    print("right by phenomenon: " + ", ".join(f"{t} {r}/{n}" for t, (r, n) in phenomena.items()))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--by-set", action="store_true",
                        help="only score each set with a model trained without it, with the chosen settings")
    parser.add_argument("--errors", action="store_true", help="with --by-set: list each set's errors")
    parser.add_argument("--search", action="store_true",
                        help="choose C, min_df and negation marks by leave-one-set-out mean macro-F1, then fit")
    args = parser.parse_args(argv)
    dense_names = tuple(sentiment_features("")[0])
    chosen = dict(CHOSEN)
    if args.search:
        best = None
        print(f"{'C':>6}{'min_df':>7}{'negation':>9}" + "".join(f"{n:>11}" for n in SETS + ("mean", "comm mean")))
        for negation in GRID_NEGATION:
            for min_df in GRID_MIN_DF:
                for c in GRID_C:
                    scores, communication, _, _ = by_set(dense_names, c, min_df, negation)
                    print(f"{c:>6}{min_df:>7}{str(negation):>9}" + "".join(f"{scores[n]:>11.3f}" for n in SETS + ("mean",))
                          + f"{communication['mean']:>11.3f}", flush=True)
                    if best is None or scores["mean"] > best[0]:
                        best = (scores["mean"], {"C": c, "min_df": min_df, "negation": negation})
        chosen = best[1]
        print(f"chosen by leave-one-set-out mean macro-F1: {chosen}")
    if args.by_set:
        scores, communication, phenomena, wrong = by_set(dense_names, chosen["C"], chosen["min_df"], chosen["negation"],
                                                          args.errors)
        print(f"leave one set out, C={chosen['C']} min_df={chosen['min_df']} negation={chosen['negation']}:")
        print_by_set(scores, communication, phenomena)
        print("\n".join(wrong))
        return 0
    rows = development_comments()
    labels = np.array([r[1] for r in rows])
    sources = np.array([r[2] for r in rows])
    rules = np.array([rule_sentiment(r[0]).label for r in rows])
    print(f"{len(rows)} development comments; macro-F1 of the rules alone (in-sample: rules were written from these):")
    for source in SOURCES:
        mask = sources == source
        print(f"  {source:<18}{f1_score(labels[mask], rules[mask], average='macro'):.3f}")
    c, min_df, negation = chosen["C"], chosen["min_df"], chosen["negation"]
    texts = [r[0] for r in rows]
    model, vectorizer = fit(texts, labels, dense_names, c, True, min_df, negation)
    vocabulary = {t: int(j) for t, j in sorted(vectorizer.vocabulary_.items())}
    idf = [round(float(v), 6) for v in vectorizer.idf_]
    order = [list(model.classes_).index(k) for k in CLASSES]
    payload = {
        "version": "1.6",
        "trained_on": ", ".join(f"{name}.jsonl" for name in SETS) + ", service_feedback.csv (dev rows)",
        "settings": {"C": c, "words": True, "min_df": min_df, "negation": negation, "class_weight": "balanced"},
        "classes": list(CLASSES),
        "dense": list(dense_names),
        "vocabulary": vocabulary,
        "idf": idf,
        "coef": [[round(float(v), 6) for v in model.coef_[k]] for k in order],
        "intercept": [round(float(model.intercept_[k]), 6) for k in order],
    }
    # The runtime computes TF-IDF itself; check it agrees with scikit-learn.
    for text in texts[:50]:
        ours = word_vector(tokens_of(text, negation), vocabulary, idf)
        theirs = vectorizer.transform([tokens_of(text, negation)])
        assert all(abs(ours.get(j, 0.0) - theirs[0, j]) < 1e-4 for j in theirs.indices)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n"
    MODEL_PATH.write_text(body, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({len(body)} bytes, {len(vocabulary)} words) "
          f"sha256 {hashlib.sha256(body.encode()).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
