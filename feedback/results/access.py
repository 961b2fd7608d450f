"""Access: who may see which wave's releases, and which waves are public.

Staff see every wave; other signed-in people see waves their group co-designed and waves
whose results staff have published; everyone sees a wave whose summary staff made public.
Nobody sees a wave before it opens."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from .. import outbox
from ..extensions import db
from ..models import CoDesignPartner, Membership, PublicSummary, Survey, SurveyStatus
from .releases import WITH_RESULTS, setting


class ResultsError(Exception):
    """A results request that cannot be met (an unknown filter, say)."""


def can_view_results(user, survey: Survey) -> bool:
    """Staff see every wave; other signed-in people see waves their group co-designed and
    waves whose results staff have published. Nobody sees a wave before it opens."""
    if survey.status not in WITH_RESULTS or not user.is_authenticated:
        return False
    if user.is_staff or survey.results_published:
        return True
    mine = {m.organisation_id for m in user.memberships}
    return any(p.organisation_id in mine for p in survey.partners)


def visible_surveys(user) -> list[Survey]:
    query = select(Survey).where(Survey.status.in_(WITH_RESULTS))
    if not user.is_staff:
        partner = exists().where(
            CoDesignPartner.survey_id == Survey.id,
            CoDesignPartner.organisation_id.in_(select(Membership.organisation_id).where(Membership.user_id == user.id)),
        )
        query = query.where(or_(Survey.results_published.is_(True), partner))
    return list(db.session.scalars(query.order_by(Survey.title, Survey.series_key, Survey.wave_number)))


def public_statuses() -> tuple:
    """Waves whose summary can be public: closed ones, and open ones too (their releases)
    only when RESULTS_PUBLIC_OPEN_WAVES is set."""
    if setting("RESULTS_PUBLIC_OPEN_WAVES", 0):
        return WITH_RESULTS
    return (SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)


def is_public(survey: Survey) -> bool:
    return survey.status in public_statuses() and db.session.get(PublicSummary, survey.id) is not None


def public_surveys() -> list[Survey]:
    return list(db.session.scalars(
        select(Survey).join(PublicSummary, PublicSummary.survey_id == Survey.id)
        .where(Survey.status.in_(public_statuses())).order_by(Survey.title, Survey.wave_number)
    ))


def series_waves(survey: Survey, user=None, public: bool = False) -> list[Survey]:
    """The waves of this survey's series the person may see, oldest first."""
    waves = db.session.scalars(
        select(Survey).where(Survey.series_key == survey.series_key, Survey.status.in_(WITH_RESULTS))
        .order_by(Survey.wave_number)
    ).all()
    if public:
        return [w for w in waves if is_public(w)]
    return [w for w in waves if can_view_results(user, w)]


def previous_wave(survey: Survey, user=None, public: bool = False, staff_tool: bool = False) -> Survey | None:
    """The wave before this one, to compare with: only if the reader may see it. The reader
    is always named: a signed-in ``user`` (for an API token, the staff member who made it),
    everyone when ``public``, or ``staff_tool`` for staff's command-line tools."""
    if user is None and not public and not staff_tool:
        raise ValueError("previous_wave needs the reader: a user, public or staff_tool")
    previous = db.session.scalar(
        select(Survey).where(Survey.series_key == survey.series_key, Survey.wave_number < survey.wave_number,
                             Survey.status.in_(WITH_RESULTS))
        .order_by(Survey.wave_number.desc()).limit(1)
    )
    if previous is None:
        return None
    if public:
        return previous if is_public(previous) else None
    if user is not None and not can_view_results(user, previous):
        return None
    return previous


def set_published(survey: Survey, published: bool) -> None:
    """Publish a wave's results to every forum member (or take them back)."""
    survey.results_published = published
    db.session.commit()


def set_public(survey: Survey, staff, public: bool) -> None:
    """Make a wave's summary public to everyone, or withdraw it. An open wave can be made
    public only when RESULTS_PUBLIC_OPEN_WAVES allows it (its figures are releases)."""
    if public and survey.status not in public_statuses():
        raise ResultsError(_("A wave's summary can be made public once the wave has closed."))
    existing = db.session.get(PublicSummary, survey.id)
    news = None
    if public and existing is None:
        db.session.add(PublicSummary(survey_id=survey.id, published_by_id=staff.id))
        # The contact list hears of it (feedback.invitations handles the event: once per wave).
        news = outbox.record("results.public", survey.id).id
    elif not public and existing is not None:
        db.session.delete(existing)
    db.session.commit()
    if news is not None:
        outbox.dispatch([news])
