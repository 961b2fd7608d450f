"""Explainable sentiment for service feedback, built on TextBlob's pattern analyser.

TextBlob alone scores "The caseworker never replied to my emails" as 0.0: its lexicon is
mostly adjectives about products. This analyser adds a service-feedback lexicon
(``data/sentiment_lexicon.csv``) with rules for negation, contrast ("but", "however",
"although") and intensifiers, scores each sentence, and reports which words moved the score.
Negation also reaches TextBlob's own words ("wasn't good", "not that good") and is raised
from "don't think" / "doubt" to the clause they govern; "won't ... again" is a refusal;
"never been so ..." is a superlative. Whole-comment cues read complaints stated as facts,
broken promises, sarcasm and irony (1.2, 1.3). Since 1.3 a small logistic regression,
trained on development comments only (scripts/train_sentiment_model.py), combines the rules'
scores, TextBlob's and the comment's words into the label; every result still says why.
1.6 adds features for understatement, praise by denying the worst, comparisons, information
questions, complaints told by dates or notice, the point after "but" and words in a
negator's scope, judged by leaving each evaluation set out in turn. See docs/analysis.md.
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from textblob.en import sentiment as _pattern_sentiment
from textblob.sentiments import CONTINUOUS, BaseSentimentAnalyzer

from .redaction import RULES_SHA256 as REDACTION_RULES_SHA256

#: The trained combiner's coefficients (see "The trained combiner" below).
MODEL_PATH = Path(__file__).parent / "data" / "sentiment_model.json"
#: Changes whenever the rules or the trained model change, so stored analyses made by an
#: older analyser are found stale and analysed again (``flask analyse``). Before the first
#: training run there is no model: "untrained".
MODEL_SHA256 = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest() if MODEL_PATH.exists() else "untrained"
#: The theme classifier's file (see themes.py) is named too: a new one also makes stored
#: analyses stale.
_THEME_MODEL_PATH = Path(__file__).parent / "data" / "theme_model.json"
THEME_MODEL_SHA256 = (hashlib.sha256(_THEME_MODEL_PATH.read_bytes()).hexdigest() if _THEME_MODEL_PATH.exists()
                      else "untrained")
#: Stored with each analysis; a change redoes stored analyses. It names each part that can
#: change a result: these rules, the sentiment model, TextBlob, the theme model and the
#: redaction rules (at most 80 characters, the column's width).
ANALYSER_VERSION = (f"service-sentiment-1.6+model-{MODEL_SHA256[:12]}+tb-0.20"
                    f"+themes-{THEME_MODEL_SHA256[:8]}+red-{REDACTION_RULES_SHA256[:8]}")

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


_COULD_NOT = frozenset({"couldnt", "cant", "cannot"})


def _superlative(keys: list[str], negator: int, start: int) -> bool:
    """ "never been so insulted", "never had such good service", "couldn't be more grateful",
    "could not have been more disappointed": a superlative, not a denial."""
    between = range(negator + 1, start)
    if keys[negator] == "never":
        return any(keys[k] in {"so", "such", "more"} for k in between)
    could_not = keys[negator] in _COULD_NOT or (keys[negator] == "not" and negator and keys[negator - 1] in {"could", "can"})
    return could_not and any(keys[k] == "more" for k in between) and all(
        keys[k] in {"be", "have", "been", "feel", "felt", "any", "more", "have", "get"} for k in between)


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


@lru_cache(maxsize=8192)
def _score_sentence(sentence: str) -> tuple[tuple[tuple[str, float], ...], str | None]:
    """Signed contributions (phrase, raw score) for one sentence, and a possible
    sarcastic opener word. Cached: the cues score the same sentences again."""
    contributions, opener = _score_sentence_uncached(sentence)
    return tuple(contributions), opener


def _score_sentence_uncached(sentence: str) -> tuple[list[tuple[str, float]], str | None]:
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
            elif len(term.tokens) == 1 and _hypothetical(keys, i, keys[i]):
                value, first = 0.0, i  # 1.6: "could be a lot clearer", "could be worse"
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


_MODALS = frozenset({"could", "should", "would", "might", "couldve", "shouldve", "wouldve"})
_HYPOTHETICAL_FILLER = frozenset({"be", "have", "been", "a", "lot", "much", "bit", "little", "far", "so", "way", "tad",
                                  "great", "deal", "loads", "more", "definitely", "definately", "certainly", "do", "with"})


def _hypothetical(keys: list[str], first: int, word: str) -> bool:
    """A comparative after "could / should / would (have) be(en)": "could be a lot clearer",
    "would have been better", "could be more helpful"."""
    if not (word.endswith("er") or word == "worse" or (first and keys[first - 1] == "more")):
        return False
    j = first - 1
    while j >= 0 and first - j <= 5 and keys[j] in _HYPOTHETICAL_FILLER:
        j -= 1
    return j >= 0 and j < first - 1 and keys[j] in _MODALS and keys[j + 1] in {"be", "have", "do"}


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
            # 1.6: "could be a lot clearer", "would have been better": a wish, not praise (the
            # whole-comment cue reads it as the mild complaint it is).
            if _hypothetical(keys, start + source[lead], words[-1]):
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


# --- Service-feedback cues read over the whole comment (analyser 1.2) -------------------
# Families often complain without an opinion word: they state the facts ("told someone
# would ring back within 48 hours. That was 3 weeks ago"), or they praise ironically
# ("brilliant, another 6 months waiting", "thanks for nothing"). Each cue is a general
# construction of British complaint and praise, with a weight on the lexicon's -3..3 scale.
def _required_literals(items) -> frozenset[str] | None:
    """Strings at least one of which is in every text the parsed regex matches (the most
    telling such set), or None when the pattern promises none."""
    from re import _constants as sre

    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(f.isascii() for f in found) and (
                best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av).lower())
            continue
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        if op is sre.SUBPATTERN:
            consider(_required_literals(av[-1]))
        elif op is sre.BRANCH:
            branches = [_required_literals(b) for b in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_required_literals(av[2]))
        # Classes, "any", \b and lookarounds promise no literal.
    consider(frozenset({"".join(run)}) if run else None)
    return best


class _Cue:
    """A case-blind cue pattern with a keyword pre-check: most comments hold none of the
    words a cue needs, so the regex is run only on those that do (``_possible_cues``). The
    pre-check is exact: ``needs`` holds strings one of which every match contains (found
    from the pattern itself), and it is skipped for text that is not ASCII, where case
    folding could join other letters."""

    __slots__ = ("regex", "needs")

    def __init__(self, pattern: str) -> None:
        from re import _parser as sre_parse

        self.regex = re.compile(pattern, re.IGNORECASE)
        self.needs = _required_literals(sre_parse.parse(pattern, re.IGNORECASE))


def _lowered(text: str) -> str | None:
    """The text for a cue's pre-check: lower case, or None when it is not ASCII."""
    return text.lower() if text.isascii() else None


_DURATION = (r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
             r"eighteen|twenty|several|many|few|couple of)\s+(?:more\s+)?(?:whole\s+)?(?:weeks?|months?|years?|yrs?|terms?)")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH}|may|mar|apr|jun|jul)|(?:in|on|by|since|until|from)\s+{_MONTH}"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)")
FACT_CUES: tuple[tuple[str, float], ...] = (
    # 1.3: a short wait is praise ("we waited less than a month"); first, so the waiting
    # cues below do not read it as a delay.
    (rf"\b(?:less than|under|in under|only|just)\s+{_DURATION}", 1.2),
    # 1.4: harm that stopped is praise ("nobody has picked on me since Christmas"); first, so
    # the "nobody ..." complaint below does not read it.
    (r"\b(?:nobody|no one|noone|no-one)\s+(?:is\s+|has\s+|had\s+|have\s+|s\s+)?(?:picks? on|picked on|bull(?:y|ies|ied)|hits?|hurt|"
     r"shouts?|shouted|laughs? at|laughed at|teases?|teased|calls? (?:me|him|her) names|called (?:me|him|her) names)\b", 1.8),
    # 1.6: a comparison nobody wins is praise ("nobody has ever been kinder to us", "no one
    # has ever been more patient with him"); first, so the "nobody ..." complaint below does
    # not read it.
    (r"\b(?:nobody|no one|noone|no-one)\s+(?:has\s+|had\s+|s\s+)?ever\s+(?:been\s+|treated (?:us|me|him|her)\s+|done\s+)?"
     r"(?:more (?:patient|helpful|supportive|understanding|caring|kind|thoughtful)|kinder|better|nicer|friendlier|calmer)\b", 2.0),
    # 1.4: praise that names its limit: "but she's only in once a fortnight", "but I only see
    # her in the holidays", "sorted, but only after we went to the governors".
    (r"\b(?:but|though|although|however)\b[^.!?]{0,40}?\bonly\b|\bonly after\b", -1.8),
    (r"\b(?:less so|another matter(?: entirely)?|another story|a different story)\b|\bnot so much\s*[.!]*\s*$", -3.0),
    (r"\b(?:great|good|brilliant|fine|lovely|fab|fantastic|amazing|helpful)\s+when\s+(?:we|you|they|it|he|she|i)\s+(?:actually\s+)?"
     r"(?:get|gets|can get|happens|turns? up|works|comes?|see)\b", -2.2),
    (rf"\b(?:that was|thats|that's|it's been|its been|it has been|that's been|thats been)\s+(?:over\s+|nearly\s+|almost\s+)?{_DURATION}(?:\s+ago|\s+now|\s+later)?", -1.6),
    (rf"\b{_DURATION}\s+(?:and counting|wait|waiting|on the list|on a waiting list|on the waiting list|to (?:decide|get|hear|reply|respond|assess))", -1.6),
    (rf"\b(?:waited|waiting|wait|took|taken|takes|still|since|delayed)\b[^.!?]{{0,40}}\b{_DURATION}", -1.4),
    (r"\b(?:since|from)\s+(?:year|yr)\s+\d+\b.{0,40}\b(?:year|yr)\s+\d+", -1.5),
    (r"\bstill\s+(?:no|not|nothing|waiting|on|hasn'?t|haven'?t|has not|have not|doesn'?t|don'?t|can'?t|no one|nobody)\b", -1.6),
    (r"\bno\s+(?:reason|explanation|cover|diagnosis|follow[- ]?up|update|updates|answer|answers|contact|idea|plan|place|places|"
     r"one listens|one knows|one has|one from|one came|one told|one explained|one asked|one rang|one replied|one bothered|"
     r"support|help|progress|review|lift|consistency|continuity|choice)\b", -1.4),
    (r"\b(?:not once|never once|not a single|not one person|not one call)\b", -2.0),
    (r"\b(?:nobody|no one|noone|no-one)\s+(?:has|had|from|knows|knew|does|did|ever|explained|asked|told|talked|talks|came|"
     r"tells|tell|explains|says|said|mentioned|rings|calls|called|answers|answered|contacted|"
     r"comes|bothered|rang|replied|listens|listened|seems|is|was|will|can|could|cares|checked|turned up|picks)\b", -1.8),
    (r"\b(?:\d+|two|three|four|five|six|seven)\s+different\s+(?:social workers|sencos|caseworkers|case workers|people|tas|"
     r"workers|therapists|teachers|drivers|escorts|professionals|officers|managers|schools|placements)\b", -1.2),
    (r"\b(?:changed|cancelled|moved|rescheduled|lost|refused|rejected|asked|chased|rang|emailed|phoned|deferred|postponed|bounced|sent back|"
     r"delayed)\s+(?:\w+\s+){0,3}(?:(?:\d+|three|four|five|six|several|many)\s+times|twice)\b", -1.6),
    (r"\b(?:had to|have to|having to|has to)\s+(?:chase|ring|call|email|fight|explain|repeat|push|beg|start again)\b", -1.5),
    (r"\b(?:cut(?! off)|reduced|closed|closing|shutting|stopped|cancelled|withdrawn|discharged|refused|rejected|declined|turned down|not eligible|"
     r"off[- ]rolled|excluded|ran out|run out|went missing|keep going missing|unauthorised|clash(?:es)?)\b", -1.1),
    (r"\b(?:there is|there's|theres|is)\s+nothing\s+(?:for|to do|in place|happening)|\bnothing\s+(?:has|had)\s+(?:changed|happened|started|been done)|"
     r"\bnothing has actually\b|\bin practice,?\s+nothing\b|\bnothing for (?:him|her|them|us|teenagers|kids)\b", -1.8),
    (r"\b(?:can'?t|cannot|could not|couldn'?t|unable to)\s+meet\s+(?:his|her|their)\s+needs?\b|\bfind somewhere else\b|"
     r"\bsent home\b|\bsending (?:him|her|me) home\b|\bkeeps? sending\b", -1.5),
    (r"\bon (?:his|her|my|their) own\b(?=.{0,30}(?:lunch|break|assembly|most days|every day|at the back))|\bpicked on\b|\bleft out\b", -1.4),
    (r"\b(?:yet another|another|again)\b(?=.{0,60}\b(?:form|survey|questionnaire|meeting|reorganisation|consultation|caseworker|"
     r"review|wait|delay|letter|change|person|assessment|panel)\b)", -0.8),
    (r"\bwould be nice if\b|\bwish (?:the|they|someone|somebody|teachers|school)\b", -1.2),
    (r"\b(?:feel|felt|made to feel|treated)\s+like\s+(?:a|an)\s+(?:number|nuisance|pushy|problem|burden|idiot|liar)\b", -2.0),
    (r"\b(?:is|was|has been)\s+(?:a\s+)?(?:maze|joke|lottery|farce|shambles|minefield|battle|fight)\b", -1.8),
    (r"\bgreat in theory\b|\bgood on paper\b|\bin theory\b", -1.5),
    (r"\bkeeps?\s+(?:changing|cancelling|forgetting|moving|losing|getting|putting off)\b|\b(?:doesn'?t|does not|don'?t|do not)\s+come\s+any\s?more\b", -1.5),
    (r"\b(?:haven'?t|hasn'?t|have not|has not|didn'?t|did not|don'?t|doesn'?t|won'?t|never|just don'?t|just doesn'?t)\s+(?:\w+\s+)?"
     r"(?:put|follow(?:ed)?|turn(?:ed)? up|read|use|implement(?:ed)?|bother(?:ed)?|do anything|done anything)\b", -1.5),
    (r"\bfar too (?:many|long|much)\b|\btoo many (?:phone calls|calls|emails|forms|meetings|people|changes)\b|\bso many different\b", -1.5),
    (r"\b(?:not|weren'?t|wasn'?t|isn'?t|aren'?t)\s+(?:\w+\s+)?(?:equipped|trained|qualified|set up|geared up)\b", -1.5),
    (r"\bonly\s+(?:saw|had|got|seen|get|gets)\s+(?:\w+\s+){0,2}(?:\d+|two|three|four|once|twice)\b|\bthen (?:she|he|they) left\b", -1.4),
    (r"\bmakes? no sense\b|\bis not an answer\b|\bisn'?t an answer\b|\bshame (?:it|that|about|they)\b|\bkids will be kids\b", -1.6),
    (r"\bcould be (?:a tad |a bit |a lot |much |so much |far )?(?:simpler|better|clearer|quicker|easier|shorter|faster)\b|\bbit of a (?:wait|pain|mess|faff)\b", -1.3),
    (r"\b(?:need|needs) to (?:answer|reply|respond|listen|ring|call|pick up|start|learn|understand)\b|\bi (?:don'?t|dont) get why\b|"
     r"\beveryone could hear\b|\btook me out of\b|\bforget(?:s)? (?:my|his|her) (?:plan|needs|support)\b", -1.4),
    (r"\bso helpful when\b(?=.{0,40}\b(?:doesn'?t|don'?t|never|not)\b)", -2.5),
    (r"\b(?:don'?t|do not|never)\s+(?:really\s+)?(?:have|had|got)\s+(?:any\s+)?(?:issues|problems|complaints|worries)\b|\bno (?:issues|problems|complaints) (?:at all|with)\b", 2.0),
    (r"\b(?:which|that) (?:has|had) never happened before\b|\bnot a problem\b|\b(?:we|he|she|they) won\b|\bfinally (?:got|in|has|have|getting|sorted|feel|understood)\b|"
     r"\b(?:so|much|a lot|far) better\b|\bwhich helps\b|\bi get to\b|\bhas helped\b|\breally helped\b", 1.6),
    # Praise a family states as a fact or a surprise.
    (r"\bactually\s+(?:pick(?:s|ed)? up|repl(?:y|ies|ied)|r(?:a|i)ng(?:s)?(?: me| us)? back|listen(?:s|ed)?|came|come|turned up|"
     r"reflects|works|work|helps|helped|read|follow(?:s|ed)?|sorted)\b", 1.8),
    (r"\b(?:is|are|was|were|s)\s+sound\b|\blegend\b|\bhats off\b|\bbreath of fresh air\b|\bnight and day\b|\bcouldn'?t ask for (?:a )?(?:better|more)\b|"
     r"\bcould not ask for (?:a )?(?:better|more)\b|\bcould(?:n'?t|'ve| have)?\s+(?:have\s+)?been\s+(?:a lot\s+|much\s+|far\s+)?worse\b(?<!couldn't have been worse)(?<!couldnt have been worse)", 2.0),
    (r"\bcouldn'?t have been worse\b|\bcould not have been worse\b|\bnot the worst\b.{0,30}\bnot far off\b", -3.0),
    (r"\b(?:means|helps|helped)\s+(?:i|me|him|her|us)\b.{0,30}\b(?:have|has|can|get|now)\b|\bnow (?:i|he|she) (?:has|have|gets?|can)\b", 1.2),
    (r"\b(?:sorted|fixed|resolved)\s+(?:everything|it all|it)\s+(?:in|within)\s+(?:a|one|two|\d+)\s+(?:day|days|hour|hours)\b", 2.0),
    # 1.3: broken promises ("they said they'd ring back. They didn't"; "promised a plan by
    # Easter. It's now September"), things received none of, and absences stated flatly.
    (r"\b(?:said|promised|told (?:us|me)|assured (?:us|me))\b[^.!?]{0,60}(?:\bwould\b|\bwill\b|'d\b|'ll\b|\bby\b)"
     r".{0,80}?\b(?:they|she|he|it|nobody|no one|nothing)\s+(?:didn'?t|never|haven'?t|hasn'?t|did not|has not|have not|still)\b", -2.0),
    (r"\bpromised\b.{0,80}?\b(?:it'?s now|now it'?s|still|never|nothing|yet to)\b", -1.8),
    # 1.4: "promised a plan at 14. He is 17."; "promised a keyworker in year 7. She is in year 9."
    (r"\bpromised\b[^.!?]{0,80}\b(?:at|by|in|for|of)\s+(?:year\s+|yr\s+|age\s+)?\d+\b.{0,40}?\b(?:is|now|s|turns|turned|in)\s+"
     r"(?:now\s+)?(?:in\s+)?(?:year\s+|yr\s+)?\d+\b", -1.8),
    (r"\b(?:had|got|gets|get|getting|received|seen|heard)\s+(?:none|nothing)\b|\bnone since\b|\bnone of (?:it|them|which|this)\b", -1.5),
    (r"\b(?:n'?t|not|never)\s+(?:\w+\s+){0,2}a single\b", -1.8),
    (r"\bnever\s+(?:\w+\s+)?(?:turns?|turned|shows?|showed|comes?|came)\s+(?:up|back|round|out)\b|\bnever been back\b|"
     r"\bnever\s+(?:arrived|happened|heard back|got back|gets back|rings?|rang|calls?|called|replied|replies|reply|visits?|visited|"
     r"answers?|answered|responds?|responded|returns?|returned|restarted|started|materialised|came through)\b", -1.6),
    # "The SENCo listens, the council doesn't": a clause that denies what the one before praised.
    (r"(?:,|\bbut)\s+(?:but\s+)?(?:the\s+|his\s+|her\s+|our\s+)?\w+(?:\s+\w+)?\s+(?:doesn'?t|don'?t|didn'?t|won'?t|isn'?t|aren'?t|can'?t|never does)\s*[.!]*\s*$", -2.0),
    (r"\b(?:not much|nothing) (?:came|has come|come) of it\b|\bcame to nothing\b|\bcould do better\b|\b(?:it'?s|its|is) being looked into\b", -1.8),
    # Delays: a date moved on, a case put off.
    (r"\b(?:moved|pushed|put|bumped|delayed)\s+(?:back\s+)?(?:to|until|till)\s+(?:next|the next|after)\b|"
     r"\b(?:deferred|postponed|put back|pushed back|adjourned)\b", -1.4),
    (r"\b(?:couldn'?t|can'?t|cannot|could not|wouldn'?t|won'?t)\s+(?:do|help with|change|offer)\s+(?:anything|much)\b", -1.6),
    (r"\bthere(?:'s| is| are| was| were)\s+no\b(?!\s+(?:problem|issue|need|complaint|doubt|way i|better))|"
     r"\bno\s+(?:suitable|appropriate|local|specialist|available)\b|\bno action\b", -1.4),
    (rf"\b{_DURATION}\s+(?:long|late|behind|overdue)\b|\bafter\s+(?:over\s+|nearly\s+|almost\s+)?{_DURATION}\b", -1.3),
    (r"\b(?:changes?|changed|different)\s+(?:\w+\s+)?every\s+(?:week|day|time|term|half term|month|year)\b", -1.4),
    (r"\b(?:the night|the day|the morning|an hour|hours|minutes) before the (?:meeting|review|appointment|deadline|panel|hearing)\b|"
     r"\bat the last minute\b|\buntil the last minute\b", -1.4),
    (r"\bask(?:s|ed|ing)? (?:for|me for|us for)? ?the same (?:information|questions?|things?|documents?|details)\b|\bfrom scratch\b", -1.2),
    (r"\blike (?:she|he|i|we|they) (?:wasn'?t|weren'?t|was not|isn'?t|am not|'?m not|wasnt) (?:there|in the room|here)\b|"
     r"\blike (?:i|we) (?:was|were) (?:overreacting|exaggerating|making it up|lying|the problem|stupid|mad|being difficult)\b|"
     r"\blike (?:i|we|he|she|they) (?:was|were|am|is|are|'m|'re) (?:a baby|a child|a kid|thick|an idiot|invisible|a nuisance|nothing|"
     r"making (?:it|the whole thing|things|this|stuff|everything) up)\b", -2.0),
    (r"\bwish there (?:was|were|had been)\b|\b(?:don'?t|do not|didn'?t) (?:even )?know (?:who|what|when|where|why|if|anything)\b(?!.*\?)|"
     r"\b(?:didn'?t|doesn'?t|don'?t) seem to (?:know|care|understand|listen)\b", -1.3),
    (r"\bat least (?:they|it|she|he|we|the)\b", -1.0),
    (r"\b(?:so|much|a lot|far|way|loads)\s+(?:happier|calmer|more (?:confident|settled|relaxed|independent))\b|"
     r"\b(?:it|that|this|which|really|it really) helps\b|\bhelps (?:me|him|her|us|them)\b", 1.4),
    (r"\bsorted (?:it|everything|things|it all) (?:out )?(?:the )?(?:same|next) (?:day|week)\b|\bsaid sorry and\b|"
     r"\btreat(?:s|ed)? (?:him|her|them|me|us) like (?:any other|everyone else|a normal|a person|an adult|family)\b|"
     r"\b(?:views|wishes|words) (?:were|was|are|got) (?:written|put|included|taken)\b", 1.8),
    # 1.4: more complaints stated as facts.
    (r"\b(?:much |a lot |far |way )?(?:quicker|faster|sooner|easier) than (?:i |we )?(?:expected|thought|feared)\b", 1.8),
    # A wish it had come sooner is a mild regret: strong praise beside it still wins.
    (r"\bwish\b[^.!?]{0,50}\b(?:sooner|earlier|hadn'?t|had not|wasn'?t|weren'?t)\b", -1.0),
    (r"\bshould(?:n'?t| not) have (?:had to|taken|needed|to|been)\b|\bshould(?:n'?t| not) (?:take|need|have to)\b", -1.8),
    (r"(?<!nothing )(?<!nothings )(?<!nothing's )\b(?:is|are|was|were|'s|s|gets|got|feels|felt|far|way|much|bit|just|so)\s+too\s+(?:loud|busy|far|long|late|early|hard|"
     r"difficult|complicated|big|small|noisy|crowded|much|short|slow|expensive|confusing|stressful|overwhelming|hot|cold|fast|"
     r"strict|full|rushed|vague|little)\b", -1.5),
    (r"\bkeeps?\s+(?:on\s+)?(?!trying|improving|smiling|getting better|helping|going|learning|checking in)[a-z]+ing\b", -1.4),
    (r"\bsays? one thing\b|\bthe exact opposite\b", -1.8),
    (r"\bwithout (?:telling|asking|informing|consulting|warning|letting|checking with)\s+(?:anyone|anybody|us|me|parents|families|the)\b", -1.8),
    (r"\b(?:changed|cancelled|moved|lost|forgot(?:ten)?|late|wrong)\s+(?:\w+\s+){0,3}again\b", -1.4),
    (r"\b(?:took|takes|taking|take|waited|waiting|wait|been|going on)\s+(?:for\s+)?(?:forever|ages|an age|an eternity|years)\b", -1.2),
    (r"\b(?:so many|more|endless|yet more)\s+(?:forms|paperwork|meetings|emails|phone calls|hoops|questions)\b", -1.3),
    (r"\b(?:list|wait|waiting list|queue|wait time)\b[^.!?]{0,40}\blonger than\b", -1.6),
    (r"\bwithout (?:a |any )?(?:school place|place|support|transport|help|school|plan|provision|respite|diagnosis|a word)\b", -1.6),
    (r"\b(?:what|how)(?:'s|s| is| are| am)?\s+(?:he|she|i|we|they|you|my son|my daughter)\s+(?:is\s+|are\s+|am\s+)?supposed to\b", -1.8),
    (r"\b(?:got there in the end|we got there|got there eventually|worth the wait)\b", 1.6),
    (r"\b(?:an?|\d+|two|three)\s+hours?\b[^.!?]{0,30}\beach way\b", -1.5),
    (r"\bnever (?:see|sees|saw|hear from|heard from)\s+(?:him|her|them|anyone)\b", -1.6),
    (r"\blegal limit\b|\bstatutory (?:limit|timescale|deadline|time limit)\b|\bthe law says\b", -1.8),
    # Two dates: a process told from one date to the next ("Applied on 3rd Feb. Decision
    # letter came 14th May.").
    (rf"\b{_DATE}\b.{{3,150}}?\b{_DATE}\b", -1.2),
    (r"\bwhich (?:tells|says) (?:you )?(?:everything|it all|all you need to know)\b", -2.5),
    (r"\bcall(?:s|ed|ing)? (?:me|him|her|us|them) names\b|\b(?:dont|don'?t|didn'?t|didnt|never) do nothing\b", -1.8),
    (r"\bwith no\b(?!\s+(?:problems?|issues?|fuss|complaints?|trouble|hassle|delay|questions))|\bno (?:final|proper|real|clear) (?:plan|answer|date|decision|support)\b", -1.2),
    (r"\b(?:in|into|at|now)\s+week\s+\d+\b", -1.4),
    (r"\bnowhere near\b|\bhands are tied\b|\bzero\s+(?:support|help|contact|communication|information|updates?|response|progress|follow[- ]?up)\b", -1.6),
    (r"\b(?:don'?t|do not) think (?:anyone|anybody|they|he|she|the \w+)\s+(?:even\s+|actually\s+|had\s+|has\s+|have\s+|ever\s+)?"
     r"(?:read|listened|cared|bothered|checked|looked)\b", -1.8),
    (r"\bcrash(?:es|ed|ing)?\b|\btim(?:es|ed|ing) out\b|\bfreez(?:es|ing)\b", -1.4),
    (r"\bi miss (?:my|the|being|having|seeing|going)\b", -1.2),
)
# Irony: each of these turns the comment's praise words against the service.
IRONY_CUES: tuple[str, ...] = (
    r"\bthank(?:s| you)\b(?:\s+\w+){0,3}\s+for\s+(?:absolutely\s+|literally\s+)?nothing\b",
    r"\bcheers\b(?:\s+\w+){0,3}\s+for\s+(?:absolutely\s+|literally\s+)?nothing\b",
    r"\bthanks a bunch\b|\bta very much for\b|\bcheers for that\b",
    r"\bmust be a record\b|\bliving the dream\b|\bwho knew\b|\bgood to know\b|\bsuper handy\b|\bthat'?ll (?:fix|sort|solve) it\b|"
    r"\blove that for us\b|\bwell done (?:everyone|all|guys|council|team)\b|\bvery efficient\b|\bwhat a surprise\b|\bsurprise,? surprise\b|"
    r"\bshock horror\b|\bfunny that\b|\bha\.? ha\b|\bmaybe they meant\b|\bthey didn'?t specify\b|\blight reading\b|"
    r"\bas if (?:i|we) hadn'?t\b|\bso that'?s that then\b|\bgood luck with that\b|\byeah right\b|\boh joy\b|\bslow clap\b|"
    r"\bpat on the back\b|\bin all but name\b|\bwaiting list for the waiting list\b|\breally enjoyed the part where\b|"
    r"\bsystem you'?ve got there\b|\bclearly\b(?=.{0,40}\b(?:priority|important)\b)|\bnot what i'?d call\b",
    # 1.3: general markers of sarcasm in British complaint.
    r"\bmust be (?:a )?(?:new |world |personal )?record\b|\bif by \w+ you mean\b|\bsaid no (?:one|parent|mum|dad|child|family|carer) ever\b|"
    r"\bgood luck (?:getting|finding|trying|reaching|with|if|to anyone)\b|\bwould it kill (?:them|you|anyone|someone)\b|"
    r"\bi'?m sure (?:this|that|it|they|the next)\b.{0,40}(?:\bwill\b|'ll\b)|\bmore chance of\b.{0,60}\bthan\b|"
    r"\bwhat could (?:possibly )?go wrong\b|\bnever would have guessed\b|\bcolour me (?:surprised|shocked)\b|\b(?:lol|lmao|smh)\b(?=.{0,80}\b(?:idea|support|help|apparently)\b)|"
    r"\bas usual\b|\bof course\b(?=.{0,40}\b(?:not|no|nobody|never|didn'?t|wasn'?t)\b)|\bvery nice about\b|\bwhat a (?:joke|shock|result)\b",
)
#: A sentence that is only praise ("Great.", "Just brilliant.", "Genius.") after a complaint
#: or a bare fact is said through gritted teeth.
_PRAISE_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?:oh\s+|just\s+|so\s+|really\s+|how\s+|yeah\s+|well\s+)?(?:great|brilliant|lovely|wonderful|fantastic|fab|perfect|"
    r"marvellous|excellent|super|genius|amazing|superb|fabulous|awesome|nice one|well done|top marks|bravo|smashing|"
    r"great job|good job|nice|cheers|thanks|thank you)\s*[.!]+(?=\s|$)", re.IGNORECASE)
#: These are rarely meant when they stand alone beside a bare fact.
_BARE_FACT = re.compile(r"\d|\b(?:since|until|january|february|march|april|may|june|july|august|september|october|"
                        r"november|december|christmas|easter|weeks?|months?|years?|terms?|again|another|none|nothing)\b",
                        re.IGNORECASE)
_OH_OPENER = re.compile(r"^\s*oh,?\s+(?:great|brilliant|lovely|wonderful|fantastic|fab|perfect|marvellous|excellent|super|"
                        r"amazing|superb|good|joy|goody|fabulous|how lovely|how wonderful)\s*[,!.]", re.IGNORECASE)
_SHORT_LAST = re.compile(r"(?<=[.!?])\s+(?P<body>(?:[a-z']+\s+){0,2}[a-z']+)\s*[.!]+\s*$", re.IGNORECASE)
_IRONIC_ALONE = re.compile(r"\b(?:genius|bravo|top marks|well done|nice one|great job|good job)\b", re.IGNORECASE)
# Praise openers that are ironic only when the rest of the comment complains
# ("Oh fab, another questionnaire...", "Love how the plan says..."; not "Excellent!").
IRONY_OPENERS: tuple[str, ...] = (
    r"^\s*(?:oh\s+)?(?:yes|good|great|lovely|fab|brilliant|wonderful|marvellous|superb|perfect|fantastic|excellent|super|just great|"
    r"just brilliant|just marvellous|how lovely|how wonderful)\b\s*[,.!]",
    r"^\s*(?:oh\s+)?(?:yes,?\s+)?love\s+(?:how|that|being|the way|it when)\b",
    # 1.4: "Fantastic that ...", "Lovely to see ...", "So glad ...", "Brilliant news, ...",
    # "Yay, ...", "Sure, take 7 months ...".
    r"^\s*(?:oh\s+)?(?:great|lovely|fab|brilliant|wonderful|marvellous|fantastic|excellent|amazing|nice|good)\s+"
    r"(?:that|to see|to hear|to know|news|idea|stuff|work)\b",
    r"^\s*(?:so|really|very)\s+(?:glad|pleased|happy|grateful)\b|^\s*(?:yay|woohoo|hooray|sure|right)\b\s*[,.!]",
    r"^\s*(?:yeah|wow|ooh|oh wow)\b,?\s+(?:really\s+|very\s+|so\s+|super\s+|a\s+)?\w+",
    r"\bjust\s+(?:brilliant|marvellous|great|perfect|wonderful|fantastic)\s*[.!]",
)
#: Words in quotation marks the writer doubts ("'urgent' referral", "'temporarily'").
_SCARE_QUOTE = re.compile(r"(?:^|[\s(])['‘\"“]([a-z][a-z -]{2,30})['’\"”](?=[\s.,;!?)]|$)", re.IGNORECASE)
IRONY_WEIGHT = -2.0
SCARE_QUOTE_WEIGHT = -1.0
#: Only a mild word ("ok", "fine", "alright") is not an opinion either way.
MILD_WORDS = frozenset({"ok", "okay", "fine", "alright"})
_HEDGE = re.compile(r"\b(?:i guess|i suppose|i spose|suppose so|meh|i think|ish)\b", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"(?:n['’]t|\b(?:dont|didnt|doesnt|wont|cant|couldnt|wouldnt|isnt|wasnt|arent|werent|havent|hasnt)"
                             r"|\bnot|\bnever|\bno)\s+(?:\w+\s+)?$", re.IGNORECASE)
_FACT_RES = tuple((_Cue(p), w) for p, w in FACT_CUES)
_IRONY_RES = tuple(_Cue(p) for p in IRONY_CUES)
_OPENER_RES = tuple(_Cue(p) for p in IRONY_OPENERS)
_ALL_CUES = tuple(c for c, _ in _FACT_RES) + _IRONY_RES + _OPENER_RES
#: Each string some cue needs, with the cues that need it; and the cues that need none.
_CUES_NEEDING: tuple[tuple[str, tuple[_Cue, ...]], ...] = tuple(
    (need, tuple(c for c in _ALL_CUES if c.needs and need in c.needs))
    for need in sorted({n for c in _ALL_CUES for n in c.needs or ()}))
_CUES_NEEDING_NOTHING = frozenset(c for c in _ALL_CUES if not c.needs)
#: The same strings indexed by their first two letters (1.6, for speed): a string can be in
#: the text only if its first two letters are, so only those strings are tested. Exact.
_NEEDS_BY_PAIR: dict[str, list[tuple[str, tuple[_Cue, ...]]]] = {}
_SHORT_NEEDS: tuple[tuple[str, tuple[_Cue, ...]], ...] = tuple(nc for nc in _CUES_NEEDING if len(nc[0]) < 2)
for _need, _cues in _CUES_NEEDING:
    if len(_need) >= 2:
        _NEEDS_BY_PAIR.setdefault(_need[:2], []).append((_need, _cues))


def _possible_cues(text: str) -> frozenset[_Cue]:
    """The cues that may match ``text``: those one of whose needed strings it holds (one
    plain substring test per string, instead of a regex per cue); every cue when the text
    is not ASCII."""
    lowered = _lowered(text)
    if lowered is None:
        return frozenset(_ALL_CUES)
    possible = set(_CUES_NEEDING_NOTHING)
    for need, cues in _SHORT_NEEDS:
        if need in lowered:
            possible.update(cues)
    for pair in {lowered[i:i + 2] for i in range(len(lowered) - 1)}:
        for need, cues in _NEEDS_BY_PAIR.get(pair, ()):
            if need in lowered:
                possible.update(cues)
    return frozenset(possible)
_REQUEST = re.compile(r"^\s*(?:please|pls|need an update|need to know|i'?d (?:just )?like to know|any chance|is there|are there|"
                      r"quick question|requesting|can we|could we|is it possible|(?:we|i)(?:'?d| would) (?:just )?like (?:an?|to|some|more))\b"
                      r"|^\s*(?:could|can|would|how|what|who|where|when|do|does)\b(?=.*\?)", re.IGNORECASE)
#: A request or a question that asks for information is not a judgement.
REQUEST_WEIGHT = 0.15


def _cue_contributions(text: str, rest: float) -> tuple[list[tuple[str, float]], bool]:
    """Contributions of the fact cues, and whether the comment is ironic. ``rest`` is the
    score of everything else: an ironic opener or a doubted quotation counts only in a
    comment that complains."""
    out: list[tuple[str, float]] = []
    taken: list[tuple[int, int]] = []
    possible = _possible_cues(text)
    for pattern, weight in _FACT_RES:
        if pattern not in possible:
            continue
        for match in pattern.regex.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            negated = _NEGATED_BEFORE.search(text[max(0, match.start() - 20):match.start()])
            if weight > 0 and negated:
                continue  # "isn't much better", "don't fare much better"
            taken.append(match.span())
            if negated:  # "never had to chase": the complaint denied is praise
                out.append((text[negated.start() + max(0, match.start() - 20):match.end()].strip().lower(), -0.5 * weight))
            else:
                out.append((match.group().strip().lower(), weight))
    ironic = False
    for pattern in _IRONY_RES:
        match = pattern.regex.search(text) if pattern in possible else None
        if match:
            ironic = True
            out.append((match.group().strip(" ,.!").lower() + " (ironic)", IRONY_WEIGHT))
    complains = rest + sum(v for _, v in out) < 0
    # "... he's had none since October. Great." / "Brilliant. Just brilliant. The plan names
    # a school that closed in 2019." The praise sentence is turned against the rest.
    sentences = [p for p in _SENTENCE_SPLIT.split(text.strip()) if p.strip()]
    if len(sentences) > 1 and not ironic:
        praises = list(_PRAISE_SENTENCE.finditer(text))
        # 1.4: any last sentence of up to three words that only praises ("Very modern.",
        # "Productive.", "Great planning.") is read the same way.
        last = _SHORT_LAST.search(text)
        if last and not any(m.start() <= last.start("body") < m.end() for m in praises):
            scored = _score_sentence(last.group("body"))[0]
            if scored and all(v > 0 for _, v in scored):
                praises.append(last)
        praise_value = sum(v for m in praises for _, v in _score_sentence(m.group().strip(" .!?"))[0])
        remainder = text
        for m in praises:
            remainder = remainder.replace(m.group().strip(), " ")
        others = rest - praise_value
        # Praise at both ends with only facts between ("Great, so the phone number goes to
        # a fax machine. Very modern."; "Fantastic that ... Genius.").
        opener = next((m for m in (r.regex.search(text) for r in _OPENER_RES[:3] if r in possible) if m and m.start() < 3), None)
        both_ends = opener is not None and praises and praises[-1].start() > opener.end() and not any(
            v > 0 for _, v in out)
        if praises and remainder.strip(" .!?") and (complains or both_ends or (others <= 0.5 and not any(v > 0 for _, v in out) and (
                any(_IRONIC_ALONE.search(m.group()) for m in praises)
                or (praise_value > 0 and _BARE_FACT.search(remainder))))):
            ironic = True
            out.append((praises[0].group().strip(" ,.!").lower() + " (ironic)", IRONY_WEIGHT))
    # "Oh wonderful, the assessment has been moved again": "oh" before praise and a comma
    # is sarcastic unless the rest of the comment praises too.
    oh = _OH_OPENER.match(text)
    if oh and not ironic and rest - sum(v for _, v in _score_sentence(oh.group())[0]) + sum(v for _, v in out) <= 0.3 \
            and text[oh.end():].strip():
        ironic = True
        out.append((oh.group().strip(" ,.!").lower() + " (ironic)", IRONY_WEIGHT))
    for pattern in _OPENER_RES:
        match = pattern.regex.search(text) if pattern in possible else None
        # Whether the rest complains is judged without the opener's own praise
        # ("Brilliant news, the bus company have changed the route again").
        without = rest - sum(v for _, v in _score_sentence(match.group())[0]) if match else rest
        if match and (complains or without + sum(v for _, v in out) < 0) and not (oh and match.start() == oh.start()):
            ironic = True
            out.append((match.group().strip(" ,.!").lower() + " (ironic)", IRONY_WEIGHT))
    if "?" not in text and complains:
        quotes = [m.group(1).lower() for m in _SCARE_QUOTE.finditer(text)][:2]
        out += [(f"'{q}' (doubted)", SCARE_QUOTE_WEIGHT) for q in quotes]
    return out, ironic


#: Text-speak and common misspellings in families' comments, read as the words they stand
#: for before any rule or the model sees them ("rlly helpfull" is "really helpful").
SPELLINGS = {
    "rlly": "really", "rly": "really", "realy": "really", "relly": "really", "v": "very", "vry": "very",
    "thx": "thanks", "thnx": "thanks", "ty": "thank you", "pls": "please", "plz": "please",
    "u": "you", "ur": "your", "cos": "because", "coz": "because", "cuz": "because",
    "bc": "because", "becuase": "because", "becasue": "because", "alot": "a lot", "evryone": "everyone",
"untill": "until", "definately": "definitely", "defo": "definitely",
    "gud": "good", "gr8": "great", "helpfull": "helpful", "usefull": "useful", "carefull": "careful",
    "recieve": "receive", "recieved": "received", "beleive": "believe", "wierd": "weird",
    "wat": "what", "wot": "what", "wen": "when", "nd": "and", "wiv": "with",
    "shud": "should", "cud": "could", "wud": "would", "dnt": "dont", "cnt": "cant", "wont've": "wont have",
    "nothin": "nothing", "somethin": "something", "waitin": "waiting", "gettin": "getting",
    "goin": "going", "doin": "doing", "tryin": "trying", "nobodys": "nobody is", "noones": "no one is",
    "ppl": "people", "tbh": "to be honest", "imo": "in my opinion", "idk": "i dont know", "dunno": "dont know",
    "terible": "terrible", "horible": "horrible", "awfull": "awful", "brillant": "brilliant",
    "amazin": "amazing", "fantastik": "fantastic", "apointment": "appointment", "appointmnet": "appointment",
    "sevice": "service", "servise": "service", "skool": "school", "teachr": "teacher",
}
_SPELLING = re.compile(r"(?<![\w'’])(" + "|".join(re.escape(k) for k in sorted(SPELLINGS, key=len, reverse=True))
                       + r")(?![\w'’])", re.IGNORECASE)


#: A word one letter away from an opinion word ("brillant", "usless", "helpfull") is read as
#: that word when it is this much rarer in English (Zipf scale of wordfreq's list), so
#: "lonely" stays "lonely" and is not read as "lovely".
TYPO_RARITY = 1.5
#: A word this common (Zipf) is a word in its own right and never corrected.
TYPO_REAL_WORD = 2.5
#: Only words this long are corrected: short words are too often one letter from another.
TYPO_MIN_LENGTH = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LONG_WORD = re.compile(r"\b[a-z]{%d,}\b" % TYPO_MIN_LENGTH, re.IGNORECASE)


@lru_cache(maxsize=1)
def _opinion_words() -> frozenset[str]:
    """Words that carry opinion: the lexicon's single words and TextBlob's adjectives."""
    ours = {t.tokens[0] for terms in _LEXICON.values() for t in terms
            if len(t.tokens) == 1 and not t.tokens[0].endswith("*") and (t.weight or t.negated_weight)}
    theirs = {w for w, senses in _pattern_sentiment.items()
              if w.isalpha() and any(polarity for polarity, _subjectivity, _intensity in senses.values())}
    return frozenset(w for w in ours | theirs if len(w) >= TYPO_MIN_LENGTH)


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
            | {a + c + b for a, b in splits for c in _LETTERS})


@lru_cache(maxsize=65536)
def _corrected(word: str) -> str:
    opinion = _opinion_words()
    if word in opinion:
        return word
    candidates = _edits(word) & opinion
    if not candidates:
        return word
    from wordfreq import zipf_frequency

    rarity = zipf_frequency(word, "en")
    if rarity >= TYPO_REAL_WORD:
        return word  # a word in its own right ("carer", "lonely")
    best = max(candidates, key=lambda c: (zipf_frequency(c, "en"), c))
    return best if zipf_frequency(best, "en") - rarity >= TYPO_RARITY else word


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Text-speak and common misspellings spelt out (see ``SPELLINGS``), and a misspelt
    opinion word read as the word meant (see ``TYPO_RARITY``)."""
    text = _SPELLING.sub(lambda m: SPELLINGS[m.group().lower()], text or "")
    def fix(match: re.Match) -> str:
        word = match.group()
        right = _corrected(word.lower())
        if right == word.lower():
            return word
        return right.capitalize() if word[:1].isupper() else right

    return _LONG_WORD.sub(fix, text)


#: "Mainstream was a nightmare. The new school has been night and day": when a later
#: sentence turns to the present ("the new one", "now", "since the new head") after an
#: earlier one about the past, the past counts as the part before a "but" does.
_TURN = re.compile(r"^\s*(?:but\s+|and\s+)?(?:(?:the|his|her|my|our|their)\s+)?new\b|\bsince the new\b|^\s*(?:but\s+)?now\b|"
                   r"\bthese days\b|^\s*(?:since|after)\s+(?:the move|moving|we moved|(?:he|she|i) moved|changing)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:used to|previous|old|last|first|before|at first|mainstream|was|were)\b", re.IGNORECASE)
#: Not an answer either way: "Not sure yet", "Sorry, I've nothing to add", "No strong
#: feelings about it either way", in a comment of at most ``NON_ANSWER_WORDS`` words.
_NON_ANSWER = re.compile(r"^\W*(?:sorry,?\s+)?(?:not sure|unsure|no idea|dunno|dont know|don't know|meh|no opinion|n/?a)\b|"
                         r"\bnothing (?:else |more |much )?to add\b|\bno (?:strong )?(?:feelings|views|opinion) (?:either way|about|on)\b|"
                         r"\beither way\W*$", re.IGNORECASE)
NON_ANSWER_WORDS = 12


def _turnaround(sentences: list[str]) -> int | None:
    for k, sentence in enumerate(sentences[1:], start=1):
        if _TURN.search(sentence) and any(_PAST.search(p) for p in sentences[:k]):
            return k
    return None


@lru_cache(maxsize=4096)
def _rule_contributions(text: str) -> tuple[tuple[tuple[str, float], ...], bool]:
    """The rules' signed contributions (phrase, raw score on the lexicon's scale) and
    whether the comment is ironic. Cached: the model's features, the communication part
    and ``rule_sentiment`` read the same comment (or its last clause) again."""
    contributions, ironic = _rule_contributions_uncached(text)
    return tuple(contributions), ironic


def _rule_contributions_uncached(text: str) -> tuple[list[tuple[str, float]], bool]:
    text = normalise(text)
    contributions: list[tuple[str, float]] = []
    openers: list[tuple[int, str]] = []
    sentences = _SENTENCE_SPLIT.split(text or "")
    turn = _turnaround(sentences)
    for k, sentence in enumerate(sentences):
        scored, opener = _score_sentence(sentence)
        if turn is not None:
            factor = AFTER_CONTRAST_WEIGHT if k >= turn else BEFORE_CONTRAST_WEIGHT
            scored = [(p, v * factor) for p, v in scored]
        if opener:
            index = next(
                (len(contributions) + k for k, (p, _) in enumerate(scored) if opener in p.split()),
                None,
            )
            if index is not None:
                openers.append((index, opener))
        contributions.extend(scored)
    # A mild word on its own or hedged ("ok", "it was ok", "its fine i guess") is not praise.
    if len((text or "").split()) <= 4 or _HEDGE.search(text or ""):
        contributions = [(p, v * 0.05 if p in MILD_WORDS and v > 0 else v) for p, v in contributions]
    if _NON_ANSWER.search(text or "") and len((text or "").split()) <= NON_ANSWER_WORDS:
        contributions = [(p, v * 0.05) for p, v in contributions]
    if (_REQUEST.match(text or "") and len(_SENTENCE_SPLIT.split((text or "").strip())) == 1
            and not any(abs(v) >= 1.5 for _, v in contributions)):
        contributions = [(p, v * REQUEST_WEIGHT) for p, v in contributions]
    cues, ironic = _cue_contributions(text or "", sum(v for _, v in contributions))
    sarcastic = False
    for index, opener in openers:
        rest = sum(v for k, (_, v) in enumerate(contributions) if k != index) + sum(v for _, v in cues)
        if rest < 0 and contributions[index][1] > 0:
            sarcastic = True
            contributions[index] = (f"{opener} (sarcastic)", -contributions[index][1])
    if ironic:
        # Praise words in an ironic comment are meant the other way round.
        contributions = [(f"{p} (ironic)", -0.5 * v) if v > 0 else (p, v) for p, v in contributions]
    contributions.extend(cues)
    return contributions, ironic or sarcastic


def _squash(raw: float) -> float:
    return raw / math.sqrt(raw * raw + ALPHA)


def _explained(polarity: float, contributions: list[tuple[str, float]]) -> SentimentResult:
    """A result whose explanation shares ``polarity`` among the phrases in proportion to
    their raw scores, so staff read contributions on the same scale as the polarity."""
    raw = sum(value for _, value in contributions)
    by_phrase: dict[str, float] = {}
    for phrase, value in contributions:
        by_phrase[phrase] = by_phrase.get(phrase, 0.0) + value
    share = polarity / raw if raw else 0.0
    explanation = tuple(
        (phrase, round(value * share, 3))
        for phrase, value in sorted(by_phrase.items(), key=lambda kv: -abs(kv[1]))
        if round(value * share, 3)
    )
    polarity = max(-1.0, min(1.0, polarity))
    return SentimentResult(round(polarity, 4), _label(polarity), explanation)


def rule_sentiment(text: str) -> SentimentResult:
    """The rules alone (analyser 1.2): lexicon, negation, contrast, TextBlob's pattern
    words and the whole-comment cues. The model reads these as its main features."""
    contributions, _ironic = _rule_contributions(text)
    return _explained(_squash(sum(v for _, v in contributions)), contributions)


# --- The trained combiner (analyser 1.3) -------------------------------------------------
# The rules read the constructions families use; on comments written by other people they
# still miss sarcasm whose praise sits beside a plain complaint, and mixed comments whose
# two sides the rules weigh wrongly. A small multinomial logistic regression reads the
# rules' scores (overall, praise and complaint apart, the last clause, the cues), TextBlob's
# own polarity and subjectivity, and the comment's words and word pairs (TF-IDF), and gives
# the probability of each label. It is trained by scripts/train_sentiment_model.py on the
# development comments only; its coefficients are plain JSON (data/sentiment_model.json,
# hash in docs/analysis.md), so no pickle is loaded and nothing is downloaded.

#: Words of the comment, as the TF-IDF vocabulary was built: lower case, apostrophes kept.
_MODEL_TOKEN = re.compile(r"[a-z0-9£]+(?:['’][a-z]+)?")
_LAST_CLAUSE = re.compile(r"(?:[.!?;]\s+|,?\s+\b(?:but|however|although|though|shame|yet)\b)", re.IGNORECASE)
_PRAISE_OPENER = re.compile(
    r"^\s*(?:oh\s+|well\s+|yeah\s+|wow\s*,?\s+)?(?:great|brilliant|lovely|wonderful|fantastic|fab|perfect|marvellous|"
    r"excellent|super|nice|thanks|cheers|amazing|superb|love|good|top marks|well done|genius|perfect)\b", re.IGNORECASE)
#: Kinds of wording the model reads as features of their own (1.5): each is a family of
#: phrasings seen across the development sets, not one sentence. Matched on the comment in
#: lower case with its spellings corrected.
_SIGNALS: dict[str, re.Pattern] = {
    # "The OT report was great. The waiting list for the OT was not": a clause that ends
    # in a bare denial takes back what came before.
    "denied_at_end": re.compile(r"(?:\b(?:is|was|are|were|has|have|does|did)\s+not|\b(?:isn'?t|wasn'?t|aren'?t|weren'?t|"
                                r"hasn'?t|haven'?t|doesn'?t|didn'?t))\s*(?:[.!,;]|$)"),
    # A number of weeks, months or years: how long something took or has not happened.
    "duration": re.compile(r"\b(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                           r"eighteen|a whole|half a)\s+(?:and a half\s+)?(?:weeks?|months?|years?|terms?|mins?|minutes|"
                           r"hours?)\b|\bsince (?:19|20)\d\d\b|\bfrom (?:19|20)\d\d\b"),
    "still": re.compile(r"\bstill\b"),
    # Markers of sarcasm in informal complaint ("lol", "lucky us", "yeah cos", "oh sure",
    # "a whole 20 mins", "on paper", "love how ...").
    "sarcasm_marker": re.compile(r"\b(?:lol|lmao|lucky (?:us|me|him|her)|yeah,? cos|oh,? sure|a whole \d+|on paper|tick,? tick|"
                                 r"such a great idea|love (?:how|that) the|really inclusive|how thoughtful|"
                                 r"what a (?:great|brilliant|lovely) idea|yeah right)\b"),
    # "Could the Local Offer have a search that actually finds things?": a question that
    # asks for what should already be there.
    "rhetorical": re.compile(r"^\s*why\b|\b(?:actually|even|ever|bother)\b[^.!?]*\?|\bhow (?:hard|difficult|long) "
                             r"(?:can|is|does|would)\b[^.!?]*\?"),
    # A request ("Easy read survey please", "We need the form in large print please").
    "request": re.compile(r"\bplease\b|^\s*(?:can|could|would) (?:we|you|i|they|someone|the)\b|\bwe need\b|\bi want\b|"
                          r"\bthere should be\b|\bwould be (?:good|nice|helpful)\b"),
    # "came through at last", "bus pass finally": the end of a wait, told with relief.
    "at_last": re.compile(r"\b(?:finally|at last|at long last|eventually)\b"),
    # "said the annual review would happen in the spring", "told ... would be in touch".
    "promise": re.compile(r"\b(?:said|told|promised|assured)\b[^.!?]{0,60}\b(?:would|will|'d|'ll|going to)\b"),
    # 1.6. Understatement of a complaint: "not ideal", "could be better", "a bit of a wait",
    # "a tad long", "hit and miss", "to put it kindly", "if I'm being generous".
    "understated_complaint": re.compile(
        r"\bnot (?:ideal|great|brilliant|the (?:best|easiest|quickest|clearest|greatest|most \w+))\b|"
        r"\bcould (?:be|have been|do) (?:a (?:tad|bit|lot|little) |much |so much |far |a great deal )?"
        r"(?:better|clearer|quicker|easier|simpler|improved|more \w+)\b|\broom for improvement\b|"
        r"\bbit of a (?:wait|pain|mess|faff|struggle|battle|nightmare|rigmarole|palaver|slog|trek|shambles)\b|"
        r"\b(?:a tad|a touch|a wee bit|slightly|somewhat|a little)\s+(?:too\s+)?(?:\w+\s+)?(?:long|slow|late|much|"
        r"confusing|rushed|disorganised|frustrating|annoying|stressful|like)\b|\bhit and miss\b|\bhit or miss\b|"
        r"\b(?:to put it|putting it) (?:kindly|mildly|politely|nicely|gently)\b|\bto say the least\b|"
        r"\bif i'?m (?:being )?(?:generous|kind|charitable|polite)\b|\bleaves? (?:a (?:bit|lot)|something) to be desired\b"),
    # 1.6. Praise by denying the worst: "not bad", "isn't half bad", "wasn't as scary as I
    # thought", "wasn't the battle I'd been dreading", "not unhappy".
    "litotes": re.compile(
        r"\b(?:not|isn'?t|wasn'?t|aren'?t|weren'?t|ain'?t|never)\s+(?:half\s+|too\s+|that\s+|so\s+)?"
        r"(?:bad|unhappy|unhelpful|awful|terrible|a problem|an issue)\b(?!\s+(?:exactly|as such))|"
        r"\b(?:wasn'?t|isn'?t|weren'?t|aren'?t|not|never)\s+(?:as|that|so|nearly as)\s+(?:bad|scary|hard|difficult|stressful|"
        r"awful|daunting|frightening|complicated|painful|long)\b|"
        r"\b(?:wasn'?t|isn'?t|weren'?t|not)\s+the\s+(?:battle|fight|nightmare|ordeal|struggle)\b|"
        r"\bbetter than (?:i|we) (?:thought|expected|feared)\b"),
    # 1.6. A comparison the service loses: "harder than getting a mortgage", "more
    # communication from my energy supplier than from the SEN team", "the hardest website I
    # have ever used", "could not have been any slower", "my old therapist was way better
    # than the new one".
    "unfavourable_comparison": re.compile(
        r"\b(?:harder|longer|slower|worse|more difficult|more complicated|more stressful|more confusing)\s+than\b|"
        r"\bmore\b[^.!?]{0,40}\bfrom (?:my|the|our|a|an)\b[^.!?]{0,30}\bthan (?:from|with)\b|"
        r"\bthe (?:hardest|worst|slowest|longest|most (?:difficult|confusing|stressful|complicated|frustrating))\b[^.!?]{0,40}\bever\b|"
        r"\bcould(?:n'?t| not) (?:have )?(?:been|be|get|go) any (?:slower|worse|harder|longer|more difficult|less helpful)\b|"
        r"\bif (?:they|you|he|she|it) ?(?:'d| had) tried\b|"
        r"\b(?:old|previous|last|former)\b[^.!?]{0,40}\b(?:better|nicer|kinder|more helpful)\s+than\s+(?:the\s+)?(?:new|current|this)\b"),
    # 1.6. A comparison the service wins: "nobody has ever been kinder", "nicer than school",
    # "better than the old one", "easier than I thought".
    "favourable_comparison": re.compile(
        r"\b(?:nobody|no one|noone|never)\b[^.!?]{0,30}\b(?:kinder|better|more (?:helpful|supportive|patient|understanding|caring)|"
        r"nicer|friendlier)\b|"
        r"\b(?:nicer|kinder|better|easier|calmer|happier|friendlier|quicker|more helpful|more supportive)\s+than\s+"
        r"(?:at\s+)?(?:school|before|last|the old|my old|our old|mainstream|it was|expected|i (?:thought|expected)|we (?:thought|expected))\b"),
    # 1.6. A plain question for information ("Where can I read about direct payments?",
    # "Does the council keep figures on ...?", "who do i talk to if ..."): not a judgement.
    "info_question": re.compile(
        r"^\s*(?:how|where|who|what|when|which|is there|are there|does|do|can|could|will|is|are|have)\b[^.!]*\?\s*$|"
        r"^\s*(?:where|how|who|when)\s+(?:can|do|does|would|should|will)\s+(?:i|we|you|my|our|parents)\b"),
    # 1.6. Time told as the complaint: short notice ("with two weeks' notice", "two days
    # before the start of term"), something that recurs ("this happens every year"), a
    # contact never made ("have not been in touch once"), an age or year since the request
    # ("referred at 3. He is now 7"), information out of date ("the 2021 version").
    "time_fact": re.compile(
        r"\b(?:\w+|\d+) (?:days?|weeks?)'?s? notice\b|\b(?:\w+|\d+) (?:days?|weeks?) before (?:the )?(?:start|meeting|review|"
        r"deadline|term|hearing|panel|appointment|exam)|\b(?:this|it) happens every (?:year|time|term|week|month)\b|"
        r"\b(?:not|never|n't)\b[^.!?]{0,50}\bonce\s*[.!]*\s*$|"
        r"\bat (?:age )?\d+\b[^?]{0,80}\b(?:is|'s|are) now \d+\b|\b(?:19|20)\d\d version\b|\bout of date\b"),
}
#: How the explanation names the model's dense features.
_FEATURE_NAMES = {
    "denied_at_end": "a bare denial at the end of a clause", "duration": "a length of time",
    "still": "\"still\"", "sarcasm_marker": "a marker of sarcasm", "rhetorical": "a rhetorical question",
    "request": "a request", "at_last": "the end of a wait", "promise": "a promise reported",
    "understated_complaint": "a complaint put mildly", "litotes": "praise by denying the worst",
    "unfavourable_comparison": "a comparison the service loses", "favourable_comparison": "a comparison the service wins",
    "info_question": "a question asking for information", "contrast_turn": "the point after \"but\"", "time_fact": "a complaint told by dates or notice",
    "praise_beside_delay": "praise beside a length of time",
    "textblob": "TextBlob's own words", "subjectivity": "how opinionated the wording is",
    "irony": "irony", "praise_beside_complaint": "praise beside a complaint",
    "last_part": "the last part of the comment", "question": "a question", "exclaim": "exclamation",
    "praise_opener": "opens with praise", "quote": "words in quotation marks",
}
#: When the model says neutral but the rules' polarity is at least this far from 0, the
#: rules decide: it keeps plain judgements of other kinds of text, which the development
#: comments seldom hold. 0.15 until 1.5; with the 1.5 features cross-validation gives 0.4
#: macro-F1 0.895 and never letting the rules decide 0.897 (docs/analysis.md, 1.5).
RULES_OVER_NEUTRAL = 0.4
#: When the model's label is the opposite of clear rules (|polarity| at least
#: ``RULES_OVER_WEAK_MODEL``) and the model is itself nearly undecided (P(positive) -
#: P(negative) within ``WEAK_MODEL``), the rules decide: "I can't wait to come back" is not
#: a complaint because the word pair "can't wait" leans negative in training.
RULES_OVER_WEAK_MODEL = 0.4
WEAK_MODEL = 0.2


def rules_decide(label: str, model_polarity: float, rules: float) -> bool:
    """Whether the rules' verdict stands over the model's label."""
    if label == "neutral":
        return abs(rules) >= RULES_OVER_NEUTRAL
    opposite = (label == "positive" and rules <= -RULES_OVER_WEAK_MODEL) or (
        label == "negative" and rules >= RULES_OVER_WEAK_MODEL)
    return opposite and abs(model_polarity) < WEAK_MODEL


#: Word features shown by name in an explanation; the rest are summed as "other words".
EXPLAINED_WORDS = 4


def model_tokens(text: str) -> list[str]:
    """Words and word pairs of a comment, as the model's vocabulary holds them."""
    words = [w.replace("’", "'") for w in _MODEL_TOKEN.findall(normalise(text).lower())]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


#: Words in a negator's scope, as the model reads them (1.6): up to three words after a
#: negator, in the same clause, also count as words of their own, marked "NOT_" ("wasn't
#: very helpful" gives NOT_very and NOT_helpful), so "helpful" and "not helpful" weigh apart.
NEGATION_MARK_WINDOW = 3
_MARK_TOKEN = re.compile(r"[a-z0-9£]+(?:['’][a-z]+)?|[.,;:!?]")
_MARK_NEGATORS = frozenset(
    "not no never nobody nothing none cant cannot dont doesnt didnt wont wouldnt couldnt isnt wasnt "
    "arent werent havent hasnt without".split())


def negation_tokens(text: str) -> list[str]:
    """The words of a comment inside a negator's scope, marked "NOT_" (see above)."""
    out: list[str] = []
    scope = 0
    for token in _MARK_TOKEN.findall(normalise(text).lower()):
        if token in ".,;:!?":
            scope = 0
            continue
        token = token.replace("’", "'")
        key = token.replace("'", "")
        if key in _MARK_NEGATORS or token.endswith("n't"):
            scope = NEGATION_MARK_WINDOW
            continue
        if scope:
            out.append("NOT_" + token)
            scope -= 1
    return out


def sentiment_features(text: str) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """The model's dense features, and the rules' contributions they came from."""
    text = text or ""
    contributions, ironic = _rule_contributions(text)
    positive = sum(v for _, v in contributions if v > 0)
    negative = sum(v for _, v in contributions if v < 0)
    parts = [p for p in _LAST_CLAUSE.split(text) if p and p.strip()]
    last = _squash(sum(v for _, v in _rule_contributions(parts[-1])[0])) if len(parts) > 1 else 0.0
    pattern_polarity, subjectivity = _pattern_sentiment(text)
    features = {
        "rules": _squash(positive + negative),
        "rules_praise": _squash(positive),
        "rules_complaint": _squash(negative),
        "textblob": float(pattern_polarity),
        "subjectivity": float(subjectivity),
        "irony": float(ironic),
        "praise_beside_complaint": _squash(min(positive, -negative)),
        "last_part": last,
        "question": float("?" in text),
        "exclaim": float("!" in text),
        "praise_opener": float(bool(_PRAISE_OPENER.match(text))),
        "quote": float(bool(_SCARE_QUOTE.search(text))),
    }
    lowered = normalise(text).lower().replace("’", "'")
    features.update({name: float(bool(signal.search(lowered))) for name, signal in _SIGNALS.items()})
    features["praise_beside_delay"] = _squash(positive) * features["duration"]
    features["contrast_turn"] = _contrast_turn(text)
    return features, contributions


#: "A but B": the last contrast word of a comment, not at its start.
_CONTRAST = re.compile(r"(?<=\w)[,;]?\s+(?:but|however|though|yet)\b[,]?\s+(?=\w)", re.IGNORECASE)


def _contrast_turn(text: str) -> float:
    """1.6: in "A but B" the writer's point is B, and B goes against A. When the rules judge
    A and find nothing to judge in B ("OT was a bit boring but the exercises help with my
    handwriting"; "The head was polite, but it was obvious our views had been decided"),
    the turn counts against A's side; when B is judged the other way, B's side."""
    matches = list(_CONTRAST.finditer(text))
    if not matches:
        return 0.0
    split = matches[-1]
    before = _squash(sum(v for _, v in _rule_contributions(text[:split.start()])[0]))
    after = _squash(sum(v for _, v in _rule_contributions(text[split.end():])[0]))
    if abs(before) < 0.1:
        return 0.0
    if abs(after) < 0.05:
        return -before
    return after if (after > 0) != (before > 0) else 0.0


@dataclass(frozen=True)
class _Model:
    classes: tuple[str, ...]
    dense: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: tuple[float, ...]
    #: coefficients per class: dense features first, then the vocabulary
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    version: str
    #: positive minus negative coefficients, and the term of each vocabulary index
    diff: tuple[float, ...] = ()
    terms: tuple[str, ...] = ()
    #: Whether words in a negator's scope are read apart (``negation_tokens``, 1.6).
    negation: bool = False


@lru_cache(maxsize=1)
def _load_model(path: Path = MODEL_PATH) -> _Model:
    """The trained model, read once (the training script runs before the file exists)."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    classes, coef = tuple(data["classes"]), tuple(tuple(row) for row in data["coef"])
    pos, neg = classes.index("positive"), classes.index("negative")
    terms = [""] * len(data["vocabulary"])
    for term, j in data["vocabulary"].items():
        terms[j] = term
    return _Model(classes, tuple(data["dense"]), data["vocabulary"], tuple(data["idf"]), coef,
                  tuple(data["intercept"]), data["version"],
                  tuple(a - b for a, b in zip(coef[pos], coef[neg])), tuple(terms),
                  bool(data.get("settings", {}).get("negation")))


def word_vector(tokens: list[str], vocabulary: dict[str, int], idf: Sequence[float]) -> dict[int, float]:
    """TF-IDF as scikit-learn's TfidfVectorizer(sublinear_tf=True) gives it: 1 + log(count),
    times idf, scaled to unit length; words outside the vocabulary are left out."""
    counts: dict[int, int] = {}
    for token in tokens:
        j = vocabulary.get(token)
        if j is not None:
            counts[j] = counts.get(j, 0) + 1
    vector = {j: (1.0 + math.log(n)) * idf[j] for j, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {j: v / norm for j, v in vector.items()} if norm else {}


def _model_scores(text: str) -> tuple[dict[str, float], list[tuple[str, float]], dict[str, float], dict[str, float]]:
    """Class probabilities, the rules' contributions, and per-feature and per-word
    contributions to the log-odds of positive against negative."""
    model = _load_model()
    features, contributions = sentiment_features(text)
    tokens = model_tokens(text) + (negation_tokens(text) if model.negation else [])
    words = word_vector(tokens, model.vocabulary, model.idf)
    n_dense = len(model.dense)
    logits = []
    for k in range(len(model.classes)):
        row = model.coef[k]
        logits.append(model.intercept[k] + sum(row[i] * features[name] for i, name in enumerate(model.dense))
                      + sum(row[n_dense + j] * v for j, v in words.items()))
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    probabilities = {c: e / sum(exps) for c, e in zip(model.classes, exps)}
    pos, neg = model.classes.index("positive"), model.classes.index("negative")
    diff = model.diff
    by_feature = {name: diff[i] * features[name] for i, name in enumerate(model.dense)}
    by_feature["baseline"] = model.intercept[pos] - model.intercept[neg]
    by_word = {model.terms[j]: diff[n_dense + j] * v for j, v in words.items()}
    return probabilities, contributions, {**by_feature, **{"_features": features}}, by_word


@lru_cache(maxsize=4096)
def analyse_sentiment(text: str) -> SentimentResult:
    """Score a comment with the rules and the trained combiner (cached by text: the
    result is immutable, and the communication part of a comment is often all of it).

    The label is the most probable of negative / neutral / positive; the polarity is the
    expected value P(positive) - P(negative), kept inside the label's band (±0.05). The
    explanation shares the polarity among what moved the model: the rules' phrases (each
    in proportion to its score), TextBlob, irony, the last clause, and the words the model
    weighs most; its contributions add up to the polarity."""
    probabilities, contributions, by_feature, by_word = _model_scores(text)
    features = by_feature.pop("_features")
    label = max(probabilities, key=lambda c: (probabilities[c], c == "neutral"))
    if rules_decide(label, probabilities["positive"] - probabilities["negative"], features["rules"]):
        # A plain judgement the development comments seldom hold ("The advice was hardly
        # useful"): the rules' clear verdict stands, with their own explanation.
        return _explained(features["rules"], contributions)
    polarity = probabilities["positive"] - probabilities["negative"]
    if label == "neutral":
        polarity = max(NEGATIVE_THRESHOLD + 0.001, min(POSITIVE_THRESHOLD - 0.001, polarity))
    elif label == "positive":
        polarity = max(POSITIVE_THRESHOLD, polarity)
    else:
        polarity = min(NEGATIVE_THRESHOLD, polarity)
    evidence: dict[str, float] = {}

    def add(phrase: str, value: float) -> None:
        evidence[phrase] = evidence.get(phrase, 0.0) + value

    # The rules' three scores are shared among the phrases behind them.
    raw = sum(v for _, v in contributions)
    praise = sum(v for _, v in contributions if v > 0)
    complaint = sum(v for _, v in contributions if v < 0)
    for phrase, value in contributions:
        if raw:
            add(phrase, by_feature["rules"] * value / raw)
        if value > 0:
            add(phrase, by_feature["rules_praise"] * value / praise)
        elif value < 0:
            add(phrase, by_feature["rules_complaint"] * value / complaint)
    for name, title in _FEATURE_NAMES.items():
        if features.get(name) and name in by_feature:
            add(title, by_feature[name])
    ranked = sorted(by_word.items(), key=lambda kv: -abs(kv[1]))
    for word, value in ranked[:EXPLAINED_WORDS]:
        add(f'"not ... {word[4:]}" (model)' if word.startswith("NOT_") else f'"{word}" (model)', value)
    add("other words (model)", sum(v for _, v in ranked[EXPLAINED_WORDS:]))
    add("the model's starting point", by_feature["baseline"])
    total = sum(evidence.values())
    share = polarity / total if total else 0.0
    explanation = tuple(
        (phrase, round(value * share, 3))
        for phrase, value in sorted(evidence.items(), key=lambda kv: -abs(kv[1]))
        if round(value * share, 3)
    )
    return SentimentResult(round(polarity, 4), label, explanation)


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
    part = communication_text(text)
    return None if part is None else analyse_sentiment(part)


def communication_text(text: str) -> str | None:
    """The clauses of ``text`` about communication, joined, or None when there are none.
    A short clause beside one of them belongs to it (1.6): "They said they'd ring back. They
    didn't.", "Superb. Six weeks to answer a one line email.", "Wow, a reply within a
    month. Must be a new record."."""
    clauses = [p for p in _CLAUSES.split(text or "") if p and p.strip()]
    about = [bool(_COMMUNICATION.search(p)) for p in clauses]
    if not any(about):
        return None
    # Never across "but" / "however": the other side of a contrast is not about communication.
    joined = [k + 1 < len(clauses) and not _CONTRAST_START.match(clauses[k + 1]) for k in range(len(clauses))]
    keep = [about[k] or (len(clauses[k].split()) <= SHORT_CLAUSE_WORDS
                         and ((k and about[k - 1] and joined[k - 1]) or (joined[k] and about[k + 1])))
            for k in range(len(clauses))]
    return " ".join(p for p, kept in zip(clauses, keep) if kept)


_CONTRAST_START = re.compile(r"\s*(?:but|however|although|though)\b", re.IGNORECASE)
#: A clause of at most this many words beside a clause about communication is read with it.
SHORT_CLAUSE_WORDS = 6
