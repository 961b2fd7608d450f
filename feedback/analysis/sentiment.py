"""Explainable sentiment for service feedback, built on TextBlob's pattern analyser.

TextBlob alone scores "The caseworker never replied to my emails" as 0.0: its lexicon is
mostly adjectives about products. This analyser adds a service-feedback lexicon
(``data/sentiment_lexicon.csv``) with rules for negation, contrast ("but", "however",
"although") and intensifiers, scores each sentence, and reports which words moved the score.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from textblob.en import sentiment as _pattern_sentiment
from textblob.sentiments import CONTINUOUS, BaseSentimentAnalyzer

ANALYSER_VERSION = "service-sentiment-1.0+textblob-0.20-pattern"

#: A polarity at or beyond these is labelled positive / negative; between them, neutral.
#: ±0.05 is the convention used by VADER and in our benchmarks, so the figures compare.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

#: Scale of TextBlob's pattern polarity (-1..1) against the domain lexicon (-3..3).
PATTERN_WEIGHT = 2.0
#: How fast the summed score saturates towards ±1: polarity = s / sqrt(s² + ALPHA).
ALPHA = 6.0
#: Contrast rule: the clause after "but"/"however" is what the writer means most.
BEFORE_CONTRAST_WEIGHT = 0.5
AFTER_CONTRAST_WEIGHT = 1.5
#: A question asks for something more often than it judges, so it counts half.
QUESTION_WEIGHT = 0.5
#: How many words before a term a negator may stand and still flip it.
NEGATION_WINDOW = 3
#: Flipping factor for terms without an explicit negated weight ("not good" is less
#: than "bad"), as in VADER.
DEFAULT_NEGATION_FACTOR = -0.75

NEGATORS = frozenset(
    "not no never nobody noone none nothing neither nor cannot cant dont doesnt didnt "
    "wont wouldnt couldnt shouldnt isnt wasnt arent werent hasnt havent hadnt aint "
    "without hardly barely nowhere less".split()
)
# Adjectives in TextBlob's lexicon that, in service feedback, name things rather than judge
# them: "special school", "social worker", "direct payment", "young people", "full time".
PATTERN_DESCRIPTIVE = frozenset(
    "special social direct main base primary secondary half young old disabled full whole "
    "legal additional more most less much many several other own same local personal general "
    "final first last next new current public private sound available open early certain "
    "due able".split()
)
# A comment that opens "Oh great," or "Lovely, another form..." and is otherwise negative
# is sarcastic: the opener is turned against the service.
SARCASTIC_OPENERS = frozenset(
    "great brilliant lovely wonderful fantastic fab perfect marvellous excellent super nice "
    "thanks cheers amazing superb".split()
)
_LEAD_INS = frozenset({"oh", "well", "yeah", "yes", "so", "just", "how", "very"})
# Words of degree: multiplied into the size of the next term.
INTENSIFIERS = {
    "very": 1.3, "really": 1.3, "so": 1.25, "extremely": 1.5, "incredibly": 1.4,
    "absolutely": 1.4, "completely": 1.3, "totally": 1.3, "utterly": 1.4, "truly": 1.3,
    "particularly": 1.2, "hugely": 1.4, "massively": 1.4, "especially": 1.2, "most": 1.2,
    "slightly": 0.6, "somewhat": 0.7, "fairly": 0.8, "quite": 0.9, "rather": 0.9,
    "highly": 1.4, "deeply": 1.3, "seriously": 1.3, "pretty": 0.9,
    "partly": 0.7, "mostly": 0.9,
}
TWO_WORD_DIMINISHERS = {("a", "bit"): 0.6, ("a", "little"): 0.6, ("kind", "of"): 0.7,
                        ("sort", "of"): 0.7}
CONTRAST_AFTER = frozenset({"but", "however", "nevertheless", "nonetheless"})
CONCESSIVE = frozenset({"although", "though", "despite", "whilst"})

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[a-z0-9£]+(?:['’][a-z]+)*|[,;:]")
_CLAUSE_BREAK = frozenset({",", ";", ":"})


@dataclass(frozen=True)
class SentimentResult:
    """Polarity in [-1, 1], its label, and signed contributions that add up to it."""

    polarity: float
    label: str
    explanation: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class _Term:
    tokens: tuple[str, ...]
    weight: float
    negated_weight: float


def _load_lexicon(path: Path) -> dict[str, list[_Term]]:
    """Index terms by their first word; a first word ending in * is indexed by its stem."""
    index: dict[str, list[_Term]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            weight = float(row["weight"])
            negated = row["negated_weight"]
            term = _Term(
                tuple(row["term"].split()),
                weight,
                float(negated) if negated else DEFAULT_NEGATION_FACTOR * weight,
            )
            index.setdefault(term.tokens[0].rstrip("*"), []).append(term)
    return index


_LEXICON = _load_lexicon(Path(__file__).parent / "data" / "sentiment_lexicon.csv")
_STEM_LENGTHS = sorted({len(k) for k, terms in _LEXICON.items()
                        if any(t.tokens[0].endswith("*") for t in terms)}, reverse=True)


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _match_at(keys: list[str], i: int) -> _Term | None:
    """The longest lexicon term starting at token ``i``."""
    word = keys[i]
    candidates = list(_LEXICON.get(word, ()))
    for length in _STEM_LENGTHS:
        if length < len(word):
            candidates += [t for t in _LEXICON.get(word[:length], ()) if t.tokens[0].endswith("*")]
    best = None
    for term in candidates:
        n = len(term.tokens)
        if (best is None or n > len(best.tokens)) and i + n <= len(keys) and all(
            _word_matches(p, keys[i + k]) for k, p in enumerate(term.tokens)
        ):
            best = term
    return best


def _clause_weights(keys: list[str]) -> list[float]:
    """Weight each token by its place around "but" / "although" in one sentence."""
    weights = [1.0] * len(keys)
    for i, key in enumerate(keys):
        if key in CONTRAST_AFTER and i > 0:
            for j in range(len(keys)):
                weights[j] = BEFORE_CONTRAST_WEIGHT if j < i else AFTER_CONTRAST_WEIGHT
        elif key in CONCESSIVE:
            # The concession runs to the next comma; the rest of the sentence is the point.
            end = next((j for j in range(i + 1, len(keys)) if keys[j] in _CLAUSE_BREAK), len(keys))
            for j in range(len(keys)):
                weights[j] = BEFORE_CONTRAST_WEIGHT if i <= j < end else AFTER_CONTRAST_WEIGHT
    return weights


def _degree(keys: list[str], start: int, floor: int) -> float:
    """Intensifier or diminisher directly before position ``start``."""
    if start - 2 >= floor and (keys[start - 2], keys[start - 1]) in TWO_WORD_DIMINISHERS:
        return TWO_WORD_DIMINISHERS[(keys[start - 2], keys[start - 1])]
    if start - 1 >= floor:
        return INTENSIFIERS.get(keys[start - 1], 1.0)
    return 1.0


def _negator_before(keys: list[str], start: int) -> int | None:
    """Index of a negator within the window before ``start``, not across a comma."""
    for j in range(start - 1, max(-1, start - 1 - NEGATION_WINDOW), -1):
        if keys[j] in _CLAUSE_BREAK or keys[j] in CONTRAST_AFTER:
            return None
        # "supported rather than judged", "instead of listening": the second half is denied.
        if (keys[j] == "than" and j and keys[j - 1] == "rather") or (
            keys[j] == "of" and j and keys[j - 1] == "instead"
        ):
            return j
        if keys[j] in NEGATORS:
            # "not only helpful but..." is not a negation.
            if j + 1 < len(keys) and keys[j + 1] == "only":
                return None
            return j
    return None


def _sarcastic_opener(keys: list[str]) -> str | None:
    """The opener word of "Oh brilliant, ..." / "Great, another ..." style sentences."""
    i = 1 if keys and keys[0] in _LEAD_INS else 0
    if i < len(keys) and keys[i] in SARCASTIC_OPENERS:
        after = keys[i + 1 : i + 3]
        if after[:1] in ([","], ["another"], ["again"]) or after[1:2] == [","]:
            return keys[i]
    return None


def _score_sentence(sentence: str) -> tuple[list[tuple[str, float]], str | None]:
    """Signed contributions (phrase, raw score) for one sentence, and a possible
    sarcastic opener word."""
    raw_tokens = _TOKEN.findall(sentence.lower())
    if not raw_tokens:
        return [], None
    keys = [t.replace("'", "").replace("’", "") for t in raw_tokens]
    weights = _clause_weights(keys)
    contributions: list[tuple[str, float]] = []
    claimed: set[int] = set()
    i = 0
    while i < len(keys):
        term = _match_at(keys, i)
        if term is None:
            i += 1
            continue
        end = i + len(term.tokens)
        claimed.update(range(i, end))
        if term.weight or term.negated_weight:
            negator = _negator_before(keys, i)
            if negator is not None and negator not in claimed:
                value, first = term.negated_weight, negator
            else:
                value, first = term.weight, i
            value *= _degree(keys, first, 0) * weights[i]
            if value:
                contributions.append((" ".join(raw_tokens[first:end]), value))
        i = end
    contributions.extend(_pattern_contributions(raw_tokens, weights, claimed))
    if sentence.rstrip().endswith("?"):
        contributions = [(p, v * QUESTION_WEIGHT) for p, v in contributions]
    return contributions, _sarcastic_opener(keys)


def _pattern_contributions(
    raw_tokens: list[str], weights: list[float], claimed: set[int]
) -> list[tuple[str, float]]:
    """TextBlob pattern polarity per run of equally weighted tokens, minus our own words."""
    runs: list[tuple[int, int]] = []
    start = 0
    for j in range(1, len(raw_tokens) + 1):
        if j == len(raw_tokens) or weights[j] != weights[start]:
            runs.append((start, j))
            start = j
    out = []
    for start, end in runs:
        words = raw_tokens[start:end]
        for assessed, polarity, _subjectivity, _label in _pattern_sentiment(" ".join(words)).assessments:
            head = assessed[-1] if assessed[-1] != "!" else assessed[0]
            positions = [start + k for k, w in enumerate(words) if w == head]
            # Our lexicon already scored this word with service-feedback context.
            if positions and all(p in claimed for p in positions):
                continue
            if polarity and head not in PATTERN_DESCRIPTIVE:
                phrase = " ".join(w for w in assessed if w != "!")
                out.append((phrase, polarity * PATTERN_WEIGHT * weights[start]))
    return out


def _label(polarity: float) -> str:
    if polarity >= POSITIVE_THRESHOLD:
        return "positive"
    if polarity <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def analyse_sentiment(text: str) -> SentimentResult:
    """Score a comment; the explanation's contributions sum to the polarity."""
    contributions: list[tuple[str, float]] = []
    openers: list[tuple[int, str]] = []
    for sentence in _SENTENCE_SPLIT.split(text or ""):
        scored, opener = _score_sentence(sentence)
        if opener:
            index = next(
                (len(contributions) + k for k, (p, _) in enumerate(scored) if opener in p.split()),
                None,
            )
            if index is not None:
                openers.append((index, opener))
        contributions.extend(scored)
    for index, opener in openers:
        rest = sum(v for k, (_, v) in enumerate(contributions) if k != index)
        if rest < 0 and contributions[index][1] > 0:
            contributions[index] = (f"{opener} (sarcastic)", -contributions[index][1])
    raw = sum(value for _, value in contributions)
    polarity = raw / math.sqrt(raw * raw + ALPHA)
    by_phrase: dict[str, float] = {}
    for phrase, value in contributions:
        by_phrase[phrase] = by_phrase.get(phrase, 0.0) + value
    # Share the squashed polarity among phrases in proportion to their raw score, so staff
    # read contributions on the same scale as the polarity itself.
    share = polarity / raw if raw else 0.0
    explanation = tuple(
        (phrase, round(value * share, 3))
        for phrase, value in sorted(by_phrase.items(), key=lambda kv: -abs(kv[1]))
        if round(value * share, 3)
    )
    polarity = max(-1.0, min(1.0, polarity))
    return SentimentResult(round(polarity, 4), _label(polarity), explanation)


class ServiceFeedbackAnalyzer(BaseSentimentAnalyzer):
    """TextBlob analyser: ``TextBlob(text, analyzer=ServiceFeedbackAnalyzer()).sentiment``."""

    kind = CONTINUOUS

    def analyze(self, text) -> SentimentResult:
        if not self._trained:
            self.train()
        return analyse_sentiment(text)
