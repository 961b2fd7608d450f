"""Reading a wave's results for pages, exports and the API: choosing a view, naming it,
the indicator wave by wave, changes in themes, and quotes. Readers read the typed result
(`build.Result`) a release holds."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, select

from ..analysis.indicator import IndicatorResult, band_name, compare_waves, trend_flag
from ..extensions import db
from ..models import Answer, Response, Survey, TextAnalysis, ThemeAssignment
from .access import ResultsError
from .build import Indicator, Result
from .counts import submitted
from .releases import wave_result


def parse_filter(result: Result, value: str | None) -> str:
    """The view for a filter like 'locality:Norwich'; unknown filters are a ResultsError."""
    if not value or value == "all":
        return "all"
    if value not in result.views:
        raise ResultsError(_("There are no results for that filter. Choose another."))
    return value


def view_label(result: Result, view_key: str) -> str:
    if view_key == "all":
        return "Everyone who responded"
    dimension, group = view_key.split(":", 1)
    for d in result.dimensions:
        if d.key == dimension:
            for g in d.groups:
                if g.key == group:
                    return f"{d.label}: {g.label}"
    return view_key


def indicator_series(waves: list[Survey]) -> tuple[list[dict], str | None]:
    """The whole-wave indicator for each wave, with the change from the wave before."""
    series, previous = [], None
    for wave in waves:
        result = wave_result(wave)
        cqi = Indicator.withheld_for("fewer_than_10") if result.withheld else result.views["all"].cqi
        current = IndicatorResult(cqi.value, cqi.low, cqi.high, 0, cqi.value is None, cqi.band,
                                  cqi.method_version, None, None)
        change = compare_waves(previous, current) if previous is not None else None
        series.append({"survey_id": wave.id, "wave_number": wave.wave_number, "wave_label": wave.wave_label,
                       "n": result.n, **cqi.to_dict(), "band": band_name(cqi.band),
                       "change": None if change is None or change.delta is None else change.delta,
                       "significant": bool(change and change.significant)})
        previous = current
    values = [point["value"] for point in series]
    return series, trend_flag(values)


def theme_changes(result: Result, previous: Result | None, view_key: str) -> dict[int, dict]:
    """Per theme: change in comments and in the share that is negative, from the previous wave."""
    changes = {}
    if previous is None or previous.withheld or view_key not in previous.views:
        return changes
    before_ids = {t.name: t.id for t in previous.themes}
    for theme in result.themes:
        now = result.views[view_key].themes[theme.id]
        before = before_ids.get(theme.name)
        if before is None:
            continue
        then = previous.views[view_key].themes[before]
        change = {"comments": None, "negative_share": None}
        if now.comments is not None and then.comments is not None:
            change["comments"] = now.comments - then.comments
            if now.negative is not None and then.negative is not None and now.comments and then.comments:
                change["negative_share"] = round(100 * now.negative / now.comments
                                                 - 100 * then.negative / then.comments)
        changes[theme.id] = change
    return changes


def consented_quotes(survey: Survey, theme_id: int, limit: int = 3) -> list[str]:
    """A few redacted comments on a theme from people who agreed to be quoted; never
    flagged ones. Shown on the whole-wave view only, so a quote is not tied to a small group."""
    query = (
        select(TextAnalysis.redacted_text)
        .join(ThemeAssignment, ThemeAssignment.analysis_id == TextAnalysis.id)
        .join(Answer, and_(TextAnalysis.source_type == "answer", Answer.id == TextAnalysis.source_id))
        .join(Response, Response.id == Answer.response_id)
        .where(TextAnalysis.survey_id == survey.id, ThemeAssignment.theme_id == theme_id,
               TextAnalysis.safeguarding_flagged.is_(False), Response.consent_to_quote.is_(True),
               submitted(survey.id))
        .order_by(ThemeAssignment.score.desc(), TextAnalysis.id).limit(limit * 4)
    )
    quotes = []
    for text in db.session.scalars(query):
        if text and text not in quotes:
            quotes.append(text)
    return quotes[:limit]
