"""What a family can take part in: the surveys open now, the closed waves with their public
results, and for a closed wave the newer wave of the same series that is open.

Public results are decided by feedback.results.access (is_public / public_surveys) only.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import CoDesignPartner, Organisation, Survey, SurveyStatus
from ..models.base import utcnow
from ..results.access import is_public, public_surveys
from ..surveys.forms import AUDIENCES

AUDIENCE_LABELS = dict(AUDIENCES)
CLOSED_STATUSES = (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)


@dataclass
class Listing:
    survey: Survey
    audience: str
    designed_with: list[str] = field(default_factory=list)
    public_results: bool = False


def _accepting(now: datetime):
    """The SQL form of surveys.services.accepting_responses."""
    return and_(Survey.status == SurveyStatus.OPEN, Survey.opens_at <= now, Survey.closes_at > now)


def _designed_with(survey_ids: list[int]) -> dict[int, list[str]]:
    """The groups that signed each survey off, in one query (as credited_partners does for one)."""
    names = defaultdict(list)
    if survey_ids:
        rows = db.session.execute(
            select(CoDesignPartner.survey_id, Organisation.name)
            .join(Organisation, Organisation.id == CoDesignPartner.organisation_id)
            .where(CoDesignPartner.survey_id.in_(survey_ids), CoDesignPartner.signed_off_at.is_not(None))
            .order_by(CoDesignPartner.id)
        )
        for survey_id, name in rows:
            names[survey_id].append(name)
    return names


def _listings(surveys: list[Survey]) -> list[Listing]:
    partners = _designed_with([s.id for s in surveys])
    return [Listing(s, AUDIENCE_LABELS.get(s.audience, s.audience), partners.get(s.id, [])) for s in surveys]


def open_surveys(now: datetime | None = None) -> list[Listing]:
    """Every survey taking answers now, closing soonest first."""
    now = now or utcnow()
    surveys = db.session.scalars(select(Survey).where(_accepting(now)).order_by(Survey.closes_at, Survey.title))
    return _listings(list(surveys))


@dataclass
class ClosedSeries:
    """A survey's closed waves (newest first) and the wave of it open now, if any."""

    title: str
    waves: list[Listing]
    newer_wave: Survey | None = None


def closed_surveys(now: datetime | None = None) -> list[ClosedSeries]:
    """Waves no longer taking answers, by series (the most recently closed first), each wave
    with whether its results are public, each series with its newer wave that is open. An
    archived wave is listed only when its results are public."""
    now = now or utcnow()
    public = {s.id for s in public_surveys()}
    surveys = [s for s in db.session.scalars(
        select(Survey).where(or_(Survey.status.in_(CLOSED_STATUSES),
                                 and_(Survey.status == SurveyStatus.OPEN, Survey.closes_at <= now)))
        .order_by(Survey.closes_at.desc(), Survey.title)
    ) if s.status != SurveyStatus.ARCHIVED or s.id in public]
    newest_open = {}
    for wave in db.session.scalars(select(Survey).where(
            _accepting(now), Survey.series_key.in_({s.series_key for s in surveys})).order_by(Survey.wave_number)):
        newest_open[wave.series_key] = wave
    series: dict[str, ClosedSeries] = {}
    for listing in _listings(surveys):
        survey = listing.survey
        listing.public_results = survey.id in public
        if survey.series_key not in series:
            series[survey.series_key] = ClosedSeries(survey.title, [])
        series[survey.series_key].waves.append(listing)
        newer = newest_open.get(survey.series_key)
        if newer is not None and newer.wave_number > survey.wave_number:
            series[survey.series_key].newer_wave = newer
    return list(series.values())


def newer_open_wave(survey: Survey, now: datetime | None = None) -> Survey | None:
    """The latest wave of this survey's series that is open now and came after it."""
    now = now or utcnow()
    return db.session.scalar(
        select(Survey).where(_accepting(now), Survey.series_key == survey.series_key,
                             Survey.wave_number > survey.wave_number)
        .order_by(Survey.wave_number.desc()).limit(1)
    )


def closed_wave_links(survey: Survey) -> dict:
    """Where a family who reached a closed wave can go next."""
    return {"newer_wave": newer_open_wave(survey), "public_results": is_public(survey)}
