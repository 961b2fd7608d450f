"""The safeguarding model's stored weights, read and run without scikit-learn.

`scripts/train_safeguarding_model.py` trains the model with scikit-learn (two
``TfidfVectorizer``s joined by ``make_union``, then ``LogisticRegression``) and stores plain
arrays. Importing scikit-learn (with SciPy and pandas) costs about 1.5 CPU seconds in every
process that starts, and running the stored model needs only what is below: the same
tokens, counts, TF-IDF and dot products that scikit-learn 1.9 computes, in the same order,
so the probabilities are the same to the last bit (`tests/analysis/test_safeguarding_detection.py`
compares them with scikit-learn's on every example).

The objects below answer the few calls `safeguarding.py` makes of scikit-learn's
(``transform``, ``predict_proba``, ``predict``, ``classes_``, ``coef_``,
``get_feature_names_out``); a row has ``indices`` and ``data`` as a sparse row has.
"""

from __future__ import annotations

import math
import re
from functools import reduce
from operator import add, mul
from pathlib import Path

import numpy as np

#: scikit-learn's ENGLISH_STOP_WORDS (1.9), one a line; a test checks it is still that list.
STOP_WORDS_PATH = Path(__file__).parent / "data" / "english_stop_words.txt"

# As in sklearn.feature_extraction.text: the default token pattern and white-space runs.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


def stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS_PATH.read_text(encoding="utf-8").split())


class Row:
    """One comment's features: column indices in increasing order, and their values."""

    __slots__ = ("indices", "data")

    def __init__(self, indices: list[int], data: list[float]):
        self.indices, self.data = indices, data


class Rows(list):
    """A list of `Row`, one per comment, as ``transform`` returns it."""


def _word_ngrams(text: str, stop: frozenset[str]) -> list[str]:
    # TfidfVectorizer(ngram_range=(1, 2), stop_words=...): lower case, tokens of two or more
    # word characters, stop words left out, then the pairs of what is left.
    tokens = [w for w in _TOKEN.findall(text.lower()) if w not in stop]
    return tokens + [" ".join(tokens[i:i + 2]) for i in range(len(tokens) - 1)]


def _char_wb_ngrams(text: str) -> list[str]:
    # TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)): n-grams inside each word,
    # padded with a space at each end.
    ngrams = []
    append = ngrams.append
    for w in _WHITE_SPACES.sub(" ", text.lower()).split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(3, 6):
            offset = 0
            append(w[offset:offset + n])
            while offset + n < w_len:
                offset += 1
                append(w[offset:offset + n])
            if offset == 0:
                break
    return ngrams


#: 1 + log(n) for n = 0 ... 255 (0 unused), computed once by NumPy's log, as scikit-learn takes it.
_SUBLINEAR = (np.log(np.arange(1, 256, dtype=np.float64)) + 1.0).tolist()
_SUBLINEAR.insert(0, 0.0)


class _Tfidf:
    """A fitted TfidfVectorizer(sublinear_tf=True, norm="l2") with a fixed vocabulary."""

    def __init__(self, terms, idf, analyse):
        self.terms = [str(t) for t in terms]
        self.vocabulary = {t: i for i, t in enumerate(self.terms)}
        self.idf = idf.tolist()
        self.analyse = analyse

    def get_feature_names_out(self) -> list[str]:
        return list(self.terms)

    def row(self, text: str, offset: int = 0) -> tuple[list[int], list[float]]:
        counts: dict = {}
        get = counts.get
        for j in map(self.vocabulary.get, self.analyse(text)):
            counts[j] = get(j, 0) + 1
        counts.pop(None, None)  # not in the vocabulary
        indices = sorted(counts)
        idf = self.idf
        # 1 + log(count), times the idf ...
        if counts and max(counts.values()) >= len(_SUBLINEAR):
            tf = (np.log(np.array([counts[j] for j in indices], dtype=np.float64)) + 1.0).tolist()
            data = [v * idf[j] for v, j in zip(tf, indices)]
        else:
            data = [_SUBLINEAR[counts[j]] * idf[j] for j in indices]
        # ... and the row scaled to unit length, its squares summed in column order.
        total = 0.0
        for v in data:
            total += v * v
        if total != 0.0:
            norm = math.sqrt(total)
            data = [v / norm for v in data]
        if offset:
            indices = [j + offset for j in indices]
        return indices, data


class Union:
    """make_union(words, chars): the word columns, then the character columns."""

    def __init__(self, words: _Tfidf, chars: _Tfidf):
        self.words, self.chars = words, chars

    def transform(self, texts) -> Rows:
        rows = Rows()
        n_words = len(self.words.terms)
        for text in texts:
            wi, wd = self.words.row(text)
            ci, cd = self.chars.row(text, n_words)
            rows.append(Row(wi + ci, wd + cd))
        return rows


def _scores(row: Row, coef: list[float], intercept: float) -> float:
    # A sparse row times the coefficients, summed in column order from 0, as SciPy does
    # (``reduce``, not ``sum``, which may compensate rounding in newer Pythons).
    return reduce(add, map(mul, row.data, map(coef.__getitem__, row.indices)), 0.0) + intercept


def _expit(x: float) -> float:
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:  # exp(-x) is infinite: SciPy gives 0
        return 0.0


class Logistic:
    """A fitted LogisticRegression: binary (``predict_proba``) or multinomial (``predict``)."""

    def __init__(self, classes, coef, intercept):
        self.classes_ = classes
        self.coef_ = coef
        self._coef = coef.tolist()
        self._intercept = intercept.tolist()

    def decision(self, row: Row) -> list[float]:
        return [_scores(row, c, b) for c, b in zip(self._coef, self._intercept)]

    def predict_proba(self, rows) -> np.ndarray:
        if len(self.classes_) != 2:
            raise NotImplementedError("only the binary model's probabilities are used")
        # expit, as SciPy computes it: 1 / (1 + exp(-x)).
        p = np.array([_expit(self.decision(row)[0]) for row in rows], dtype=np.float64)
        return np.stack([1 - p, p], axis=1) if len(p) else np.zeros((0, 2))

    def predict(self, rows) -> np.ndarray:
        rows = [rows] if isinstance(rows, Row) else rows
        picked = []
        for row in rows:
            scores = self.decision(row)
            if len(scores) == 1:
                picked.append(self.classes_[int(scores[0] > 0)])
            else:
                picked.append(self.classes_[max(range(len(scores)), key=lambda k: (scores[k], -k))])
        return np.array(picked, dtype=self.classes_.dtype)


def load(arrays: dict):
    """(vectoriser, word vectoriser, disclosure model, category model) from the stored arrays."""
    stop = stop_words()
    words = _Tfidf(arrays["words_terms"], arrays["words_idf"], lambda text: _word_ngrams(text, stop))
    chars = _Tfidf(arrays["chars_terms"], arrays["chars_idf"], _char_wb_ngrams)
    models = [Logistic(arrays[f"{name}_classes"], arrays[f"{name}_coef"], arrays[f"{name}_intercept"])
              for name in ("disclosure", "category")]
    return (Union(words, chars), words, *models)
