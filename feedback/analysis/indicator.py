"""The communication-quality indicator (CQI), "method v1" of the project design (v1.1).

CQI = 100 * (0.7 * P_closed + 0.3 * P_text), where P_closed is the share of positive
closed answers to communication questions and P_text the mean of (polarity + 1) / 2 over
free text assigned to the Communication theme. Since v1.1 the polarity of a comment is
that of its part about communication (``TextAnalysis.communication_polarity``), so a mixed
comment ("the school is lovely but nobody replies") counts by what it says about
communication; the whole comment's polarity stands in when no part names it. With no such
text, CQI = 100 * P_closed.
The 95% Wilson interval on P_closed is scaled the same way. Fewer than 10 respondents:
suppressed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

METHOD_VERSION = "cqi-v1.1"


@dataclass(frozen=True)
class IndicatorSettings:
    closed_weight: float = 0.7
    text_weight: float = 0.3
    min_respondents: int = 10
    good_from: float = 75.0
    fair_from: float = 50.0
    z: float = 1.959963984540054  # 95% two-sided
    trend_waves: int = 5
    method_version: str = METHOD_VERSION


DEFAULT_SETTINGS = IndicatorSettings()


@dataclass(frozen=True)
class IndicatorResult:
    """Value and interval on a 0-100 scale. When ``suppressed`` they are None, so no page
    can show a score built on fewer respondents than the threshold."""

    value: float | None
    low: float | None
    high: float | None
    n_respondents: int
    suppressed: bool
    band: str | None
    method_version: str
    p_closed: float | None
    p_text: float | None
    n_closed_answers: int = 0
    n_text_answers: int = 0


@dataclass(frozen=True)
class WaveChange:
    delta: float | None
    intervals_overlap: bool | None
    significant: bool


def wilson_interval(successes: int, total: int, z: float = DEFAULT_SETTINGS.z) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there are no answers."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


BANDS = ("good", "fair", "needs action")
# Releases made before the bands were renamed call the middle band "improving", which reads
# as a trend; it is the same band (50 up to 75), and is shown as "fair".
LEGACY_BAND_NAMES = {"improving": "fair"}


def band_for(value: float, settings: IndicatorSettings = DEFAULT_SETTINGS) -> str:
    """The band of a value: a level, never a direction ("good", "fair", "needs action")."""
    if value >= settings.good_from:
        return "good"
    if value >= settings.fair_from:
        return "fair"
    return "needs action"


def band_name(band: str | None) -> str | None:
    """A band as it is shown today, whichever name the release stored it under."""
    return LEGACY_BAND_NAMES.get(band, band)


def legacy_band(band: str | None) -> str | None:
    """A band under its old name, for API v1's ``band`` field (kept for existing clients)."""
    return {new: old for old, new in LEGACY_BAND_NAMES.items()}.get(band, band)


def communication_quality(
    positive: int,
    total: int,
    text_polarities: Sequence[float] = (),
    n_respondents: int = 0,
    settings: IndicatorSettings = DEFAULT_SETTINGS,
) -> IndicatorResult:
    """CQI for one scope.

    ``positive``/``total``: closed answers to communication questions (top two boxes or
    "yes" / all answers, don't-know and blanks already excluded). ``text_polarities``:
    polarities in [-1, 1] of free text assigned to Communication: of each comment's part
    about communication where it has one. ``n_respondents``: people
    who answered a communication question.
    """
    if positive < 0 or total < 0 or positive > total:
        raise ValueError("need 0 <= positive <= total")
    polarities = [max(-1.0, min(1.0, float(p))) for p in text_polarities]
    common = dict(n_respondents=n_respondents, method_version=settings.method_version,
                  n_closed_answers=total, n_text_answers=len(polarities))
    if n_respondents < settings.min_respondents or (total == 0 and not polarities):
        return IndicatorResult(None, None, None, suppressed=True, band=None,
                               p_closed=None, p_text=None, **common)

    p_text = sum((p + 1) / 2 for p in polarities) / len(polarities) if polarities else None
    if total == 0:
        # Free text alone: the method has no closed share to weight, so the text share
        # stands for the whole, with no interval to scale.
        value = 100 * p_text
        return IndicatorResult(round(value, 1), round(value, 1), round(value, 1), suppressed=False,
                               band=band_for(value, settings), p_closed=None, p_text=p_text, **common)
    p_closed = positive / total
    low, high = wilson_interval(positive, total, settings.z)

    def scale(p: float) -> float:
        if p_text is None:
            return 100 * p
        return 100 * (settings.closed_weight * p + settings.text_weight * p_text)

    value = scale(p_closed)
    return IndicatorResult(
        round(value, 1), round(scale(low), 1), round(scale(high), 1), suppressed=False,
        band=band_for(value, settings), p_closed=p_closed, p_text=p_text, **common,
    )


def compare_waves(previous: IndicatorResult, current: IndicatorResult) -> WaveChange:
    """Change from the previous wave; called significant only when intervals do not overlap."""
    if previous.suppressed or current.suppressed or previous.value is None or current.value is None:
        return WaveChange(None, None, False)
    overlap = current.low <= previous.high and previous.low <= current.high
    return WaveChange(round(current.value - previous.value, 1), overlap, not overlap)


def trend_flag(series: Sequence[float | None], settings: IndicatorSettings = DEFAULT_SETTINGS) -> str | None:
    """'rising' or 'falling' when the last ``trend_waves`` values all move one way, else None.

    Suppressed waves (None) break a run: we cannot say which way they moved."""
    needed = settings.trend_waves
    recent = list(series)[-needed:]
    if len(recent) < needed or any(v is None for v in recent):
        return None
    steps = [b - a for a, b in zip(recent, recent[1:])]
    if all(s > 0 for s in steps):
        return "rising"
    if all(s < 0 for s in steps):
        return "falling"
    return None
