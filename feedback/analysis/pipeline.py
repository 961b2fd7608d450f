"""One call that analyses a free-text answer: redaction, sentiment, themes, safeguarding.

Sentiment runs on the redacted text, so the phrases shown to staff as its explanation can
never carry a name or number. Themes and safeguarding run on the original text: a school
name turned into "[name]" must not hide the word "school", and a disclosure must not be
missed because a placeholder split a phrase. Only theme names, scores and flags come out of
those two, never the original words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from .redaction import RedactedSpan, redact
from .safeguarding import SafeguardingResult, assess_safeguarding
from .sentiment import ANALYSER_VERSION, analyse_sentiment
from .themes import SEED_TAXONOMY, ThemeDefinition, ThemeMatch, match_themes


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


def analyse_comment(
    text: str,
    taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY,
    extra_names: Iterable[str] = (),
) -> CommentAnalysis:
    text = text or ""
    redaction = redact(text, extra_names)
    sentiment = analyse_sentiment(redaction.text)
    return CommentAnalysis(
        text=text,
        polarity=sentiment.polarity,
        label=sentiment.label,
        explanation=sentiment.explanation,
        themes=match_themes(text, taxonomy),
        redacted_text=redaction.text,
        redactions=redaction.spans,
        safeguarding=assess_safeguarding(text),
        analyser_version=ANALYSER_VERSION,
    )


def analyse_comments(
    texts: Iterable[str],
    taxonomy: Sequence[ThemeDefinition] = SEED_TAXONOMY,
    extra_names: Iterable[str] = (),
) -> Iterator[CommentAnalysis]:
    extra_names = tuple(extra_names)
    for text in texts:
        yield analyse_comment(text, taxonomy, extra_names)


def analysis_to_dict(analysis: CommentAnalysis, include_text: bool = True) -> dict:
    """JSON-ready dict; ``include_text=False`` leaves the unredacted text out, for output
    that staff without safeguarding access will read."""
    result = {
        "polarity": analysis.polarity,
        "label": analysis.label,
        "themes": [{"name": t.name, "score": t.score} for t in analysis.themes],
        "redacted": analysis.redacted_text,
        "redactions": {kind: sum(1 for s in analysis.redactions if s.kind == kind)
                       for kind in dict.fromkeys(s.kind for s in analysis.redactions)},
        "safeguarding": {
            "flagged": analysis.safeguarding.flagged,
            "categories": list(analysis.safeguarding.categories),
            "matches": list(analysis.safeguarding.matches),
            "negated": analysis.safeguarding.negated,
        },
        "explanation": [{"phrase": p, "weight": w} for p, w in analysis.explanation],
        "analyser_version": analysis.analyser_version,
    }
    return {"text": analysis.text, **result} if include_text else result
