"""Train the sentiment combiner (feedback/analysis/data/sentiment_model.json).

Reads development comments only: every set in tests/data/eval/sentiment_themes/ (dev,
dev_extra, dev_check, and the former holdouts holdout, holdout_b, holdout_c, development
data since 2026-12-01; see their PROVENANCE files) and the dev rows of
tests/data/service_feedback.csv. No blind holdout (holdout_d and later) is ever read.
Chooses the regularisation and the word features by stratified 5-fold cross-validation
(macro-F1) over those comments, prints the figures, then fits on all of them and writes the
coefficients as JSON with its SHA-256.

    python scripts/train_sentiment_model.py            # cross-validate, fit, write
    python scripts/train_sentiment_model.py --cv-only  # figures only
    python scripts/train_sentiment_model.py --by-set   # each set scored by a model trained without it

The rules were tuned on dev and dev_extra (and, before 1.5, on holdout and holdout_b), so
the by-set figure that matters most is holdout_c's and dev_check's: neither was tuned on.

Deterministic: fixed folds and seeds, the same data gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feedback.analysis.sentiment import (  # noqa: E402
    MODEL_PATH,
    RULES_OVER_NEUTRAL,
    model_tokens,
    rule_sentiment,
    rules_decide,
    sentiment_features,
    word_vector,
)

EVAL = ROOT / "tests" / "data" / "eval" / "sentiment_themes"
CLASSES = ("negative", "neutral", "positive")
GRID_C = (0.3, 1.0, 3.0, 10.0)
GRID_MIN_DF = (2, 3)
#: Dense features only, or with word and word-pair TF-IDF.
GRID_WORDS = (False, True)


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


def design(texts, dense_names, vectorizer=None, fit=False):
    dense = np.array([[_features(t)[name] for name in dense_names] for t in texts])
    if vectorizer is None:
        return csr_matrix(dense), None
    tokens = [model_tokens(t) for t in texts]
    words = vectorizer.fit_transform(tokens) if fit else vectorizer.transform(tokens)
    return hstack([csr_matrix(dense), words]).tocsr(), vectorizer


def new_vectorizer(min_df):
    return TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True)


def fit(texts, labels, dense_names, c, words, min_df):
    vectorizer = new_vectorizer(min_df) if words else None
    x, vectorizer = design(texts, dense_names, vectorizer, fit=True)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=0)
    model.fit(x, labels)
    return model, vectorizer


def cross_validate(rows, dense_names, c, words, min_df, rules_over_neutral=None):
    texts = [r[0] for r in rows]
    labels = np.array([r[1] for r in rows])
    sources = np.array([r[2] for r in rows])
    predicted = np.empty(len(rows), dtype=object)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    strata = [f"{r[1]}:{r[2]}" for r in rows]
    for train, test in folds.split(texts, strata):
        model, vectorizer = fit([texts[i] for i in train], labels[train], dense_names, c, words, min_df)
        x, _ = design([texts[i] for i in test], dense_names, vectorizer)
        predicted[test] = model.predict(x)
    if rules_over_neutral is not None:  # as the analyser decides (see RULES_OVER_NEUTRAL)
        for i, text in enumerate(texts):
            rules = _features(text)["rules"]
            if predicted[i] == "neutral" and abs(rules) >= rules_over_neutral:
                predicted[i] = "positive" if rules > 0 else "negative"
    scores = {"all": f1_score(labels, predicted.astype(str), average="macro")}
    for source in SOURCES:
        mask = sources == source
        if mask.any():
            scores[source] = f1_score(labels[mask], predicted[mask].astype(str), average="macro")
    return scores


def decide(model, vectorizer, texts, dense_names, rules_over_neutral=RULES_OVER_NEUTRAL):
    """Labels as the analyser decides them (the rules over a neutral model)."""
    x, _ = design(texts, dense_names, vectorizer)
    predicted = list(model.predict(x))
    probabilities = model.predict_proba(x)
    pos, neg = list(model.classes_).index("positive"), list(model.classes_).index("negative")
    for i, text in enumerate(texts):
        rules = _features(text)["rules"]
        if rules_decide(predicted[i], probabilities[i][pos] - probabilities[i][neg], rules):
            predicted[i] = "positive" if rules > 0 else "negative"
    return predicted


def by_set(dense_names, c, words, min_df) -> dict[str, float]:
    """Macro-F1 on each evaluation set of a model trained on all the other comments (the
    rules deciding as the analyser lets them), and the mean over the sets."""
    rows = development_comments()
    scores = {}
    for held in SETS:
        train = [r for r in rows if r[2] != held]
        test = [r for r in rows if r[2] == held]
        model, vectorizer = fit([r[0] for r in train], [r[1] for r in train], dense_names, c, words, min_df)
        predicted = decide(model, vectorizer, [r[0] for r in test], dense_names)
        scores[held] = f1_score([r[1] for r in test], predicted, average="macro")
    scores["mean"] = sum(scores.values()) / len(SETS)
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--by-set", action="store_true",
                        help="only score each set with a model trained without it (C=10, words, min_df 3)")
    args = parser.parse_args(argv)
    dense_names = tuple(sentiment_features("")[0])
    if args.by_set:
        scores = by_set(dense_names, 10.0, True, 3)
        print("macro-F1 on each set of a model trained without it: "
              + " ".join(f"{name} {value:.3f}" for name, value in scores.items()))
        return 0
    rows = development_comments()
    labels = np.array([r[1] for r in rows])
    sources = np.array([r[2] for r in rows])
    rules = np.array([rule_sentiment(r[0]).label for r in rows])
    print(f"{len(rows)} development comments; macro-F1 of the rules alone (no cross-validation, "
          f"they were tuned on dev):")
    for source in SOURCES:
        mask = sources == source
        print(f"  {source:<18}{f1_score(labels[mask], rules[mask], average='macro'):.3f}")
    print(f"{'C':>6}{'words':>7}{'min_df':>7}" + "".join(f"{name:>10}" for name in ("all",) + SOURCES))
    best = None
    for words in GRID_WORDS:
        for min_df in GRID_MIN_DF if words else (0,):
            for c in GRID_C:
                scores = cross_validate(rows, dense_names, c, words, min_df)
                print(f"{c:>6}{str(words):>7}{min_df:>7}" + "".join(f"{scores[name]:>10.3f}" for name in ("all",) + SOURCES))
                if best is None or scores["all"] > best[0]:
                    best = (scores["all"], c, words, min_df)
    _, c, words, min_df = best
    print(f"chosen by cross-validated macro-F1: C={c} words={words} min_df={min_df}")
    for threshold in (None, RULES_OVER_NEUTRAL, 0.25, 0.4):
        scores = cross_validate(rows, dense_names, c, words, min_df, threshold)
        print(f"  with the rules deciding over a neutral model at |polarity| >= {threshold}: "
              + " ".join(f"{name} {scores[name]:.3f}" for name in ("all",) + SOURCES))
    if args.cv_only:
        return 0
    texts = [r[0] for r in rows]
    model, vectorizer = fit(texts, labels, dense_names, c, words, min_df)
    vocabulary = {t: int(j) for t, j in sorted(vectorizer.vocabulary_.items())} if vectorizer else {}
    idf = [round(float(v), 6) for v in vectorizer.idf_] if vectorizer else []
    order = [list(model.classes_).index(k) for k in CLASSES]
    payload = {
        "version": "1.5",
        "trained_on": ", ".join(f"{name}.jsonl" for name in SETS) + ", service_feedback.csv (dev rows)",
        "settings": {"C": c, "words": words, "min_df": min_df, "class_weight": "balanced"},
        "classes": list(CLASSES),
        "dense": list(dense_names),
        "vocabulary": vocabulary,
        "idf": idf,
        "coef": [[round(float(v), 6) for v in model.coef_[k]] for k in order],
        "intercept": [round(float(model.intercept_[k]), 6) for k in order],
    }
    # The runtime computes TF-IDF itself; check it agrees with scikit-learn.
    if vectorizer:
        for text in texts[:50]:
            ours = word_vector(model_tokens(text), vocabulary, idf)
            theirs = vectorizer.transform([model_tokens(text)])
            assert all(abs(ours.get(j, 0.0) - theirs[0, j]) < 1e-4 for j in theirs.indices)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n"
    MODEL_PATH.write_text(body, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({len(body)} bytes, {len(vocabulary)} words) "
          f"sha256 {hashlib.sha256(body.encode()).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
