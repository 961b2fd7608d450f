"""Reach against the SEND population: each wave's responses by locality (and age band, where
the cohort has it) against the cohort staff entered from the council's own statistics.

Counts go through disclosure control before anything is shown (docs/evidence.md): a count of
1 to 4 is hidden, a second is hidden where one hidden count could be worked out from the
published total, and more are hidden while every hidden count would have to be 1 (then the
hidden total would give them all away). A hidden count's rate is hidden with it. A wave with
fewer than 5 responses shows nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import Cohort, CohortFigure, Response, ResponseStatus, Survey, SurveyStatus
from ..responses.services import AGE_BANDS, LOCALITIES
from ..results.disclosure import THRESHOLD, protect_line
from ..results.counts import NOT_STATED
from ..text import N_
from .log import EvidenceError

# Dimensions a cohort can have: (key, label, Response column, groups in order).
DIMENSIONS = {
    "locality": (N_("Locality"), Response.locality, [(name, name) for name in LOCALITIES]),
    "age_band": (N_("Age band"), Response.child_age_band, list(AGE_BANDS)),
}
DEFAULT_RATIO = 0.5


def under_represented_ratio() -> float:
    """A group is flagged when its response rate is below this share of the overall rate."""
    value = current_app.config.get("EVIDENCE_UNDER_REPRESENTED_RATIO")
    return float(value if value is not None else os.environ.get("EVIDENCE_UNDER_REPRESENTED_RATIO", DEFAULT_RATIO))


def protect_reach_line(counts: dict[str, int], threshold: int = THRESHOLD) -> set[str]:
    """Hidden keys of a line of counts whose total is published.

    protect_line hides 1 to 4 and a second count where one alone could be worked out. Zeros
    are shown, so a hidden count is at least 1; if the hidden counts add up to no more than
    how many there are, each is exactly 1, so the next smallest shown count is hidden too
    (and, when none is left, the whole line).
    """
    hidden = protect_line(counts, threshold)
    while hidden and sum(counts[k] for k in hidden) <= len(hidden):
        rest = [k for k, n in counts.items() if k not in hidden and n > 0]
        if not rest:
            # Every count is 1 or 0: only hiding the zeros as well protects them.
            return set(counts)
        hidden.add(min(rest, key=lambda k: (counts[k], str(k))))
    return hidden


@dataclass
class ReachRow:
    key: str
    label: str
    cohort: int | None
    responses: int | None  # None: hidden
    rate: float | None  # percent of the cohort; None when hidden or no cohort figure
    flag: str | None  # "under" (below the ratio of the overall rate), "hidden" or None


@dataclass
class ReachTable:
    dimension: str
    label: str
    rows: list[ReachRow]


@dataclass
class WaveReach:
    survey: Survey
    cohort: Cohort
    n: int | None  # None: fewer than THRESHOLD responses, nothing shown
    cohort_total: int
    rate: float | None
    ratio: float
    tables: list[ReachTable]


def latest_cohort() -> Cohort | None:
    return db.session.scalar(select(Cohort).order_by(Cohort.as_of.desc(), Cohort.id.desc()).limit(1))


def cohorts() -> list[Cohort]:
    return list(db.session.scalars(select(Cohort).order_by(Cohort.as_of.desc(), Cohort.id.desc())))


def cohort_totals(cohort: Cohort) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for figure in cohort.figures:
        totals.setdefault(figure.dimension, {})[figure.group_key] = figure.count
    return totals


def cohort_total(cohort: Cohort) -> int:
    """The cohort's size: the sum over its first dimension (every dimension covers everyone)."""
    totals = cohort_totals(cohort)
    for dimension in DIMENSIONS:
        if dimension in totals:
            return sum(totals[dimension].values())
    return 0


def save_cohort(user, *, name: str, source: str, as_of: date, figures: dict[str, dict[str, int | None]]) -> Cohort:
    """Record a cohort. `figures` maps a dimension to its groups' counts (None: not known).
    Every dimension given must add up to the same total: they describe the same children."""
    if as_of > date.today():
        raise EvidenceError(_("The date of the figures must be today or in the past"), field="as_of")
    given = {d: {g: n for g, n in groups.items() if n is not None} for d, groups in figures.items()}
    given = {d: groups for d, groups in given.items() if groups}
    if not given:
        raise EvidenceError(_("Enter the number of children and young people in at least one locality or age band"))
    for dimension, groups in given.items():
        known = {key for key, _ in DIMENSIONS[dimension][2]}
        if set(groups) - known:
            raise EvidenceError(_("Enter figures only for the groups listed"))
        if any(n < 0 for n in groups.values()):
            raise EvidenceError(_("Figures must be 0 or more"))
    totals = {sum(groups.values()) for groups in given.values()}
    if len(totals) > 1:
        raise EvidenceError(_("The localities and the age bands must add up to the same total"))
    cohort = Cohort(name=name, source=source, as_of=as_of, created_by_id=user.id)
    for dimension, groups in given.items():
        for key, _label in DIMENSIONS[dimension][2]:
            if key in groups:
                cohort.figures.append(CohortFigure(dimension=dimension, group_key=key, count=groups[key]))
    db.session.add(cohort)
    db.session.commit()
    return cohort


def _response_counts(survey: Survey, column) -> dict[str, int]:
    rows = db.session.execute(
        select(column, func.count()).where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
        .group_by(column)
    ).all()
    counts: dict[str, int] = {}
    for value, n in rows:
        key = value if value else NOT_STATED
        counts[key] = counts.get(key, 0) + n
    return counts


def _percent(count: int, base: int) -> float:
    return round(100 * count / base, 1)


def wave_reach(survey: Survey, cohort: Cohort) -> WaveReach:
    """A wave's responses against the cohort, with disclosure control applied."""
    ratio = under_represented_ratio()
    totals = cohort_totals(cohort)
    size = cohort_total(cohort)
    n = db.session.scalar(select(func.count()).select_from(Response).where(
        Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)) or 0
    if n < THRESHOLD:
        return WaveReach(survey, cohort, None, size, None, ratio, [])
    overall = _percent(n, size) if size else None
    tables = []
    for dimension, (label, column, groups) in DIMENSIONS.items():
        if dimension not in totals:
            continue
        counts = _response_counts(survey, column)
        line = {key: counts.get(key, 0) for key, _ in groups}
        line.update({key: c for key, c in counts.items() if key not in line})
        hidden = protect_reach_line(line)
        rows = []
        labels = dict(groups) | {NOT_STATED: _("Not stated")}
        for key, count in line.items():
            if key not in totals[dimension] and count == 0:
                continue
            base = totals[dimension].get(key)
            shown = None if key in hidden else count
            rate = _percent(shown, base) if shown is not None and base else None
            flag = None
            if key in hidden:
                flag = "hidden"
            elif rate is not None and overall and rate < ratio * overall:
                flag = "under"
            rows.append(ReachRow(key, labels.get(key, key), base, shown, rate, flag))
        tables.append(ReachTable(dimension, label, rows))
    return WaveReach(survey, cohort, n, size, overall, ratio, tables)


def can_view_reach(user, survey: Survey) -> bool:
    """Staff see every wave's reach; others only closed waves whose results they may see."""
    from ..results.access import can_view_results

    if survey.status == SurveyStatus.OPEN:
        return user.is_staff
    return can_view_results(user, survey)


def reach_waves() -> list[Survey]:
    from ..results.releases import WITH_RESULTS

    return list(db.session.scalars(
        select(Survey).where(Survey.status.in_(WITH_RESULTS)).order_by(Survey.opens_at.desc(), Survey.title)))
