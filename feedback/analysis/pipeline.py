"""One call that analyses a free-text answer: redaction, sentiment, themes, safeguarding.

Sentiment runs on the redacted text, so the phrases shown to staff as its explanation can
never carry a name or number. Themes and safeguarding run on the original text: a school
name turned into "[school]" must not hide the word "school", and a disclosure must not be
missed because a placeholder split a phrase. What comes out of those two is redacted too:
theme names and scores, and the words behind each safeguarding flag with any personal
detail inside them replaced ("stepdad [name] hits her"). Only ``text`` is the original, and
``analysis_to_dict`` leaves it out unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from .redaction import RedactedSpan, RedactionResult, redact_many
from .safeguarding import SafeguardingResult, assess_many
from .sentiment import ANALYSER_VERSION, SentimentResult, analyse_sentiment, communication_sentiment
from .themes import SEED_TAXONOMY, ThemeDefinition, ThemeMatch, match_themes

#: How many comments the named-entity model reads at once.
BATCH_SIZE = 256


@dataclass(frozen=True)
class FlagReason:
    """Why a comment was flagged, safe to show any member of staff: the category, the rule
    and the words that matched, redacted."""

    category: str
    rule: str
    words: str


@dataclass(frozen=True)
class CommentAnalysis:
    text: str
    polarity: float
    label: str
    explanation: tuple[tuple[str, float], ...]
    themes: tuple[ThemeMatch, ...]
    redacted_text: str
    redactions: tuple[RedactedSpan, ...]
    safeguarding: SafeguardingResult
    analyser_version: str
    #: Sentiment of the part of the comment about communication, or None.
    communication: SentimentResult | None = None
    #: The safeguarding evidence with personal details removed.
    flag_reasons: tuple[FlagReason, ...] = ()

    @property
    def redacted_matches(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.words.lower() for r in self.flag_reasons))


def _analyse(text: str, redaction: RedactionResult, taxonomy: Sequence[ThemeDefinition],
             safeguarding: SafeguardingResult) -> CommentAnalysis:
    sentiment = analyse_sentiment(redaction.text)
    reasons = tuple(dict.fromkeys(
        FlagReason(e.category, e.rule, redaction.fragment(text, e.start, e.end)) for e in safeguarding.evidence
    ))
    return CommentAnalysis(
        text=text,
        polarity=sentiment.polarity,
        label=sentiment.label,
        explanation=sentiment.explanation,
        themes=match_themes(text, taxonomy),
        redacted_text=redaction.text,
        redactions=redaction.spans,
        safeguarding=safeguarding,
        analyser_version=ANALYSER_VERSION,
        communication=communication_sentiment(redaction.text),
        flag_reasons=reasons,
    )


def analyse_comment(
    text: str,
    taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY,
    extra_names: Iterable[str] = (),
) -> CommentAnalysis:
    text = text or ""
    return _analyse(text, redact_many([text], extra_names)[0], taxonomy, assess_many([text])[0])


def analyse_comments(
    texts: Iterable[str],
    taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY,
    extra_names: Iterable[str] = (),
    batch_size: int = BATCH_SIZE,
) -> Iterator[CommentAnalysis]:
    """Analyse many comments, reading them in batches so the model runs over each batch
    at once; results come out in the order the texts came in."""
    extra_names = tuple(extra_names)
    batch: list[str] = []
    for text in texts:
        batch.append(text or "")
        if len(batch) >= batch_size:
            yield from _batch(batch, taxonomy, extra_names)
            batch = []
    if batch:
        yield from _batch(batch, taxonomy, extra_names)


def _batch(texts, taxonomy, extra_names):
    for text, redaction, safeguarding in zip(texts, redact_many(texts, extra_names), assess_many(texts)):
        yield _analyse(text, redaction, taxonomy, safeguarding)


def analysis_to_dict(analysis: CommentAnalysis, include_text: bool = False) -> dict:
    """JSON-ready dict with no personal detail in it: the redacted text, and safeguarding
    matches redacted too. ``include_text=True`` adds the original text, for a safeguarding
    lead only."""
    communication = analysis.communication
    result = {
        "polarity": analysis.polarity,
        "label": analysis.label,
        "communication": None if communication is None else {
            "polarity": communication.polarity, "label": communication.label},
        "themes": [{"name": t.name, "score": t.score} for t in analysis.themes],
        "redacted": analysis.redacted_text,
        "redactions": {kind: sum(1 for s in analysis.redactions if s.kind == kind)
                       for kind in dict.fromkeys(s.kind for s in analysis.redactions)},
        "safeguarding": {
            "flagged": analysis.safeguarding.flagged,
            "categories": list(analysis.safeguarding.categories),
            "matches": list(analysis.redacted_matches),
            "reasons": [{"category": r.category, "rule": r.rule, "words": r.words} for r in analysis.flag_reasons],
            "negated": analysis.safeguarding.negated,
        },
        "explanation": [{"phrase": p, "weight": w} for p, w in analysis.explanation],
        "analyser_version": analysis.analyser_version,
    }
    return {"text": analysis.text, **result} if include_text else result
