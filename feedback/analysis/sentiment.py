"""Explainable sentiment for service feedback, built on TextBlob's pattern analyser.

TextBlob alone scores "The caseworker never replied to my emails" as 0.0: its lexicon is
mostly adjectives about products. This analyser adds a service-feedback lexicon
(``data/sentiment_lexicon.csv``) with rules for negation, contrast ("but", "however",
"although") and intensifiers, scores each sentence, and reports which words moved the score.
Negation also reaches TextBlob's own words ("wasn't good", "not that good") and is raised
from "don't think" / "doubt" to the clause they govern; "won't ... again" is a refusal;
"never been so ..." is a superlative. See docs/analysis.md.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from textblob.en import sentiment as _pattern_sentiment
from textblob.sentiments import CONTINUOUS, BaseSentimentAnalyzer

ANALYSER_VERSION = "service-sentiment-1.1+textblob-0.20-pattern"

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
#: than "bad"), as in VADER. Also used for TextBlob's words that pattern did not negate.
DEFAULT_NEGATION_FACTOR = -0.75
#: "never been so rude", "never felt more supported": the negator makes a superlative.
SUPERLATIVE_FACTOR = 1.3
#: "won't be using them again", "would never go back there again".
REFUSAL_WEIGHT = -2.0

NEGATORS = frozenset(
    "not no never nobody noone none nothing neither nor cannot cant dont doesnt didnt "
    "wont wouldnt couldnt shouldnt isnt wasnt arent werent hasnt havent hadnt aint "
    "without hardly barely nowhere less".split()
)
# Pattern negates only the word right after "not"/"never" (and not "wasn't" at all). Our
# negators reach a TextBlob word across these small words only: "wasn't good", "not that
# good", "not the best", "never very helpful", "isn't as good". Other words in between end
# the scope, so "did not like his bloody mary" does not flip "bloody".
PATTERN_NEGATION_BRIDGE = frozenset(
    "a an the that this so very too really as quite all any overly particularly exactly "
    "especially even ever always remotely entirely completely totally nearly in be been being "
    "is was were are am get got feel felt feeling seem seemed seems look looked looks sound "
    "sounded sounds".split()
)
# Negation raising: "I don't think they care" means "I think they don't care", so a negated
# think / believe negates the rest of its clause. ("I didn't expect it to be so good" is
# surprise, not negation, so "expect" is not one of them.)
NEG_RAISERS = frozenset("think believe suppose imagine reckon".split())
NEG_RAISE_SCOPE = 8
_DO_NEGATED = frozenset({"dont", "didnt", "doesnt"})
_DO = frozenset({"do", "did", "does"})
_SUBORDINATORS = frozenset("because since as which who when while if and or".split())
# A stated intention before a return phrase ("we'll be back", "would definitely come back",
# "can't wait to come back"); words ending in 'll or 'd count too.
INTENT_CUES = frozenset("will would shall definitely def certainly surely gladly happily".split())
_MODAL_REFUSALS = frozenset({"wont", "wouldnt", "shant"})
# "like" is a verb after a subject or "do" ("I like", "we really like", "didn't like"),
# a preposition elsewhere ("feels like a bar", "people like us").
_LIKE_SUBJECTS = frozenset("i we you they he she who do did does dont didnt doesnt".split())
_LIKE_ADVERBS = frozenset(
    "really also still actually just definitely genuinely quite truly especially particularly "
    "not".split()
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
#: Contracted negatives and their spelt-out forms: a lexicon entry written with one
#: ("couldnt be happier", "dont waste") also matches the other ("could not be happier").
CONTRACTIONS = {
    "cant": ("can not", "cannot"), "couldnt": ("could not",), "wouldnt": ("would not",),
    "shouldnt": ("should not",), "dont": ("do not",), "doesnt": ("does not",),
    "didnt": ("did not",), "wont": ("will not",), "isnt": ("is not",), "wasnt": ("was not",),
    "arent": ("are not",), "werent": ("were not",), "havent": ("have not",),
    "hasnt": ("has not",), "hadnt": ("had not",),
}

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
    #: Group "intent": the positive weight needs a stated intention before it.
    intent: bool = False


def _spellings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The entry and every variant with its contractions spelt out."""
    variants: list[tuple[str, ...]] = [()]
    for token in tokens:
        forms = (token,) + CONTRACTIONS.get(token, ())
        variants = [v + tuple(f.split()) for v in variants for f in forms]
    return variants


def _load_lexicon(path: Path) -> dict[str, list[_Term]]:
    """Index terms by their first word; a first word ending in * is indexed by its stem."""
    index: dict[str, list[_Term]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            weight = float(row["weight"])
            negated = row["negated_weight"]
            for tokens in _spellings(tuple(row["term"].split())):
                term = _Term(
                    tokens,
                    weight,
                    float(negated) if negated else DEFAULT_NEGATION_FACTOR * weight,
                    row["group"] == "intent",
                )
                index.setdefault(term.tokens[0].rstrip("*"), []).append(term)
    return index


_LEXICON = _load_lexicon(Path(__file__).parent / "data" / "sentiment_lexicon.csv")
_STEM_LENGTHS = sorted({len(k) for k, terms in _LEXICON.items()
                        if any(t.tokens[0].endswith("*") for t in terms)}, reverse=True)
_LIKE_VERB = _Term(("like",), 1.5, -1.8)


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
    if best is None and word == "like" and _like_is_verb(keys, i):
        return _LIKE_VERB
    return best


def _like_is_verb(keys: list[str], i: int) -> bool:
    """ "I like", "we really like", "didn't like": like as a verb, not "feels like a bar"."""
    j = i - 1
    while j >= 0 and keys[j] in _LIKE_ADVERBS:
        j -= 1
    return j >= 0 and keys[j] in _LIKE_SUBJECTS


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


def _ends_scope(key: str) -> bool:
    return key in _CLAUSE_BREAK or key in CONTRAST_AFTER


def _negator_before(keys: list[str], start: int) -> int | None:
    """Index of a negator within the window before ``start``, not across a comma; or of
    "don't think" / "doubt" earlier in the same clause (negation raising)."""
    for j in range(start - 1, max(-1, start - 1 - NEGATION_WINDOW), -1):
        if _ends_scope(keys[j]):
            return None
        # "supported rather than judged", "instead of listening": the second half is denied.
        if (keys[j] == "than" and j and keys[j - 1] == "rather") or (
            keys[j] == "of" and j and keys[j - 1] == "instead"
        ):
            return j
        if keys[j] in NEGATORS:
            # "not only helpful but..." is not a negation, nor is "can't wait to".
            if j + 1 < len(keys) and (
                keys[j + 1] == "only" or (keys[j + 1] == "wait" and keys[j] in {"cant", "cannot"})
            ):
                return None
            return j
    # "I don't think we'll be back", "I do not believe it is worth it", "I doubt they care".
    for j in range(start - 1, max(-1, start - 1 - NEG_RAISE_SCOPE), -1):
        if _ends_scope(keys[j]) or keys[j] in _SUBORDINATORS:
            return None
        if keys[j] in NEG_RAISERS and j and keys[j - 1] in _DO_NEGATED:
            return j - 1
        if keys[j] in NEG_RAISERS and j > 1 and keys[j - 1] == "not" and keys[j - 2] in _DO:
            return j - 1
        # ... but not "no doubt", "without a doubt", "beyond doubt".
        if keys[j] == "doubt" and not (j and keys[j - 1] in NEGATORS | {"a", "beyond"}):
            return j
    return None


def _raised(keys: list[str], negator: int) -> bool:
    """The negator is "don't" / "do not" of "don't think", "do not believe"..."""
    k = negator + 1
    while k < len(keys) and keys[k] == "not":
        k += 1
    return k < len(keys) and keys[k] in NEG_RAISERS


def _superlative(keys: list[str], negator: int, start: int) -> bool:
    """ "never been so insulted", "never had such good service": a superlative, not a denial."""
    return keys[negator] == "never" and any(
        keys[k] in {"so", "such", "more"} for k in range(negator + 1, start)
    )


def _intent_before(raw_tokens: list[str], keys: list[str], start: int) -> bool:
    """A stated intention just before ``start``: "we'll be back", "would definitely come back"."""
    for j in range(start - 1, max(-1, start - 4), -1):
        if keys[j] in _CLAUSE_BREAK:
            return False
        if keys[j] in INTENT_CUES or raw_tokens[j].replace("’", "'").endswith(("'ll", "'d")):
            return True
        if keys[j] == "to" and j and keys[j - 1] in {"wait", "want", "plan", "planning"}:
            return True
    return False


def _refusal_before(raw_tokens: list[str], keys: list[str], i: int) -> int | None:
    """Start of "won't ... again" / "would not ... again" / "I'll never ... again" in the
    clause before the "again" at ``i``: a refusal to come back or use a service again."""
    for j in range(i - 1, max(-1, i - 9), -1):
        if _ends_scope(keys[j]) or keys[j] in _SUBORDINATORS:
            return None
        if keys[j] in _MODAL_REFUSALS:
            return j
        if keys[j] in {"not", "never"} and j and (
            keys[j - 1] in {"will", "would", "shall"}
            or raw_tokens[j - 1].replace("’", "'").endswith(("'ll", "'d"))
        ):
            return j - 1
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
            if negator is not None and negator in claimed:
                negator = None
            if negator is not None and _superlative(keys, negator, i):
                value, first = term.weight * SUPERLATIVE_FACTOR, negator
            elif negator is not None:
                value, first = term.negated_weight, negator
            elif term.intent and not _intent_before(raw_tokens, keys, i):
                value, first = 0.0, i
            else:
                value, first = term.weight, i
            value *= _degree(keys, first, 0) * weights[i]
            if value:
                contributions.append((" ".join(raw_tokens[first:end]), value))
        i = end
    for i, key in enumerate(keys):
        if key == "again" and i not in claimed:
            start = _refusal_before(raw_tokens, keys, i)
            if start is not None and not claimed.intersection(range(start, i)):
                claimed.update(range(start, i + 1))
                phrase = " ".join(raw_tokens[start : i + 1])
                contributions.append((phrase, REFUSAL_WEIGHT * weights[i]))
    contributions.extend(_pattern_contributions(raw_tokens, keys, weights, claimed))
    if sentence.rstrip().endswith("?"):
        contributions = [(p, v * QUESTION_WEIGHT) for p, v in contributions]
    return contributions, _sarcastic_opener(keys)


def _pattern_tokens(raw_tokens: list[str]) -> tuple[list[str], list[int]]:
    """Tokens as pattern's own tokenizer gives them (it breaks "wasn't" into pieces it does
    not know), with the index of the token each came from."""
    out: list[str] = []
    source: list[int] = []
    for k, token in enumerate(raw_tokens):
        token = token.replace("’", "'")
        parts = " ".join(_pattern_sentiment.tokenizer(token)).split() if "'" in token else [token]
        out += parts
        source += [k] * len(parts)
    return out, source


def _pattern_contributions(
    raw_tokens: list[str], keys: list[str], weights: list[float], claimed: set[int]
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
        tokens, source = _pattern_tokens(raw_tokens[start:end])
        cursor = 0
        for assessed, polarity, _subjectivity, _label in _pattern_sentiment.assessments(
            (w, None) for w in tokens
        ):
            words = [w for w in assessed if w != "!"]
            # Where the chunk ("not really good", "barely a boring") starts and its head is.
            lead = next((k for k in range(cursor, len(tokens)) if tokens[k] == words[0]), None)
            head = next((k for k in range(lead, len(tokens)) if tokens[k] == words[-1]), None) \
                if lead is not None else None
            if head is None:
                continue
            cursor = head + 1
            first, at = start + source[lead], start + source[head]
            # Our lexicon already scored this word with service-feedback context.
            if at in claimed or not polarity or words[-1] in PATTERN_DESCRIPTIVE:
                continue
            phrase = " ".join(words)
            if words[0] not in _pattern_sentiment.negations:
                # Pattern reads "barely"/"hardly" as a modifier ("barely a boring moment").
                negator = first if keys[first] in NEGATORS else _negator_before(keys, first)
                if (
                    negator is not None
                    and negator not in claimed
                    and not (negator == first and len(words) == 1)
                    and (
                        _raised(keys, negator)
                        or all(keys[k] in PATTERN_NEGATION_BRIDGE
                               for k in range(negator + 1, first))
                    )
                ):
                    if _superlative(keys, negator, first):
                        polarity *= SUPERLATIVE_FACTOR
                    else:
                        polarity *= DEFAULT_NEGATION_FACTOR
                    phrase = " ".join(raw_tokens[negator : at + 1])
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


#: Words that say a sentence is about how services communicate (reply, keep informed,
#: explain, listen): the part of a mixed comment the CQI reads.
_COMMUNICATION = re.compile(
    r"\b(?:repl\w*|respon\w*|rang|ring\w*|rung|call(?:s|ed|ing)?|phon\w*|email\w*|e-mail\w*|"
    r"letters?|messag\w*|contact\w*|inform\w*|updat\w*|told|tell\w*|explain\w*|listen\w*|"
    r"heard|hear|communicat\w*|get(?:s|ting)? back|got back|kept (?:us |me )?in the loop|"
    r"in touch|chas\w*|answer\w*|voicemail|hold|keep\w* (?:us|me) (?:posted|informed))\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"(?<=[.!?;])\s+|\n+|,?\s+\b(?=but\b|however\b|although\b|though\b)", re.IGNORECASE)


def communication_sentiment(text: str) -> SentimentResult | None:
    """Sentiment of the parts of ``text`` about communication, or None when it says nothing
    about how services communicate. A mixed comment ("lovely SENCo but the council never
    replies") gives the CQI its communication side, not its overall feeling."""
    parts = [p for p in _CLAUSES.split(text or "") if p and _COMMUNICATION.search(p)]
    if not parts:
        return None
    return analyse_sentiment(" ".join(parts))
