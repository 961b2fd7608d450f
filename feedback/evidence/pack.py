"""The evidence pack: for a chosen period, one report of the co-production log, reach against
the SEND population, the communication-quality indicator per wave, themes over time, Youth
Forum ideas and their outcomes, and the "You said, we did" actions, as HTML and as PDF.

Everything comes from sources that already apply disclosure control (wave_result, the reach
tables) or are written for publication (actions, ideas' redacted public titles, consented and
redacted quotes). Comments partners wrote in co-design and people's names never appear:
groups are credited, not the people in them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import Action, Idea, Survey, SurveyStatus
from ..models.ideas import VISIBLE_STATUSES
from ..results.disclosure import THRESHOLD
from ..results.reading import consented_quotes, indicator_series
from ..results.releases import wave_result
from . import log, reach

# Waves whose figures may go into a pack: closed ones (open waves' reach is for staff only).
PACK_STATUSES = (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)
QUOTES_PER_THEME = 2
THEMES_WITH_QUOTES = 3


@dataclass
class Series:
    title: str
    waves: list[Survey]
    indicator: list[dict]
    trend: str | None
    themes: list[dict]  # {"name", "counts": [comments per wave or None when hidden]}
    quotes: list[dict] = field(default_factory=list)  # {"theme", "quotes": [...]} from the latest wave


@dataclass
class IdeaOutcome:
    title: str
    status: str
    submitted: date
    days_to_response: float | None


@dataclass
class Pack:
    start: date
    end: date
    made_at: datetime
    logs: list
    activities: list
    reach: list
    series: list[Series]
    ideas: list[IdeaOutcome]
    median_days: float | None
    actions: list[Action]
    threshold: int = THRESHOLD


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, tzinfo=timezone.utc),
            datetime.combine(end, time.max, tzinfo=timezone.utc))


def pack_waves(start: date, end: date) -> list[Survey]:
    """Closed waves that were open at some point in the period."""
    low, high = _bounds(start, end)
    return list(db.session.scalars(
        select(Survey).where(Survey.status.in_(PACK_STATUSES), Survey.opens_at <= high, Survey.closes_at >= low)
        .order_by(Survey.title, Survey.series_key, Survey.wave_number)
    ))


def _series(waves: list[Survey]) -> list[Series]:
    by_key: dict[str, list[Survey]] = {}
    for wave in waves:
        by_key.setdefault(wave.series_key, []).append(wave)
    found = []
    for key, members in by_key.items():
        members.sort(key=lambda w: w.wave_number)
        points, trend = indicator_series(members)
        released = [wave_result(w) for w in members]
        names: list[str] = []
        for result in released:
            for theme in result.themes:
                if theme.name not in names:
                    names.append(theme.name)
        themes = []
        for name in sorted(names):
            counts = []
            for result in released:
                theme = next((t for t in result.themes if t.name == name), None)
                counts.append(None if theme is None or result.withheld
                              else result.views["all"].themes[theme.id].comments)
            themes.append({"name": name, "counts": counts})
        series = Series(members[0].title, members, points, trend, themes)
        latest, result = members[-1], released[-1]
        if not result.withheld:
            ranked = sorted(result.themes, key=lambda t: -(result.views["all"].themes[t.id].comments or 0))
            for theme in ranked[:THEMES_WITH_QUOTES]:
                quotes = consented_quotes(latest, theme.id, limit=QUOTES_PER_THEME)
                if quotes:
                    series.quotes.append({"theme": theme.name, "quotes": quotes})
        found.append(series)
    return found


def _ideas(start: date, end: date) -> tuple[list[IdeaOutcome], float | None]:
    low, high = _bounds(start, end)
    ideas = db.session.scalars(
        select(Idea).where(Idea.status.in_(VISIBLE_STATUSES), Idea.created_at >= low, Idea.created_at <= high)
        .order_by(Idea.created_at)
    ).all()
    outcomes = []
    for idea in ideas:
        days = None
        if idea.first_response_at is not None:
            days = round((idea.first_response_at - idea.created_at).total_seconds() / 86400, 1)
        outcomes.append(IdeaOutcome(idea.public_title, idea.status_enum.label, idea.created_at.date(), days))
    answered = [o.days_to_response for o in outcomes if o.days_to_response is not None]
    return outcomes, (round(statistics.median(answered), 1) if answered else None)


def _actions(start: date, end: date, waves: list[Survey]) -> list[Action]:
    low, high = _bounds(start, end)
    ids = [w.id for w in waves] or [-1]
    return list(db.session.scalars(
        select(Action).where(or_(and_(Action.created_at >= low, Action.created_at <= high), Action.surveys.any(Survey.id.in_(ids))))
        .order_by(Action.created_at, Action.id)
    ))


def build_pack(start: date, end: date) -> Pack:
    if end < start:
        raise log.EvidenceError(_("The end of the period must be on or after its start"), field="end")
    waves = pack_waves(start, end)
    cohort = reach.latest_cohort()
    reaches = [reach.wave_reach(w, cohort) for w in waves] if cohort is not None else []
    ideas, median_days = _ideas(start, end)
    return Pack(
        start=start, end=end, made_at=datetime.now(timezone.utc),
        logs=sorted(log.survey_logs(None, start, end), key=lambda entry: entry.survey.opens_at), activities=log.activities(None, start, end),
        reach=reaches, series=_series(waves), ideas=ideas, median_days=median_days,
        actions=_actions(start, end, waves),
    )


def render_pack_html(pack: Pack, standalone: bool = False) -> str:
    """The pack as a page of the service, or (standalone) as a document of its own for PDF."""
    return render_template("evidence/pack_document.html" if standalone else "evidence/pack.html", pack=pack)


def render_pack_pdf(pack: Pack) -> bytes:
    """The pack as a tagged PDF (PDF/UA), so screen readers can follow its headings and tables."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_pack_html(pack, standalone=True)
    # The pack needs nothing from outside itself (its styles are inline), so no URL of any
    # kind is fetched: nothing anyone typed can make the server request one.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_variant="pdf/ua-1")
