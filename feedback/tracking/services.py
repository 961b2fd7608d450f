"""What a family can see with its reference, and nothing of its answers.

A reference (FB- and 8 characters from a 31-letter alphabet, about 8.5 × 10^11 values, made
with `secrets`) is looked up exactly; a wrong, unknown or unfinished one gets the same
answer. What is shown is about the survey, not the response: which release of results
first included responses sent by then (only once the results are public), the published
summary, the "You said, we did" actions on the wave's published themes (the wave's, never
the family's own answers' themes, which would tell what they wrote) and the status of the
family's contact request when they chose to share their answers (otherwise the request is
deliberately not linked to the reference, and the page says so)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Action, ContactRequest, Release, Response, ResponseStatus, Survey, Theme
from ..results.access import is_public
from ..results.releases import wave_result


@dataclass
class Tracking:
    survey: Survey
    public: bool
    release: Release | None  # the first release that included responses sent by then
    actions: list[Action] = field(default_factory=list)
    contact: ContactRequest | None = None


def normalise_reference(text: str) -> str:
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if code.startswith("FB"):
        code = code[2:]
    return f"FB-{code}" if len(code) == 8 else ""


def track(reference_text: str) -> Tracking | None:
    reference = normalise_reference(reference_text)
    if not reference:
        return None
    response = db.session.scalar(select(Response).where(Response.reference == reference,
                                                        Response.status == ResponseStatus.SUBMITTED))
    if response is None:
        return None
    survey = response.survey
    public = is_public(survey)
    found = Tracking(survey, public, _release(survey, response.submitted_at) if public else None)
    found.actions = _actions(survey, public)
    found.contact = db.session.scalar(select(ContactRequest).where(ContactRequest.reference == reference))
    return found


def _release(survey: Survey, submitted_at: datetime | None) -> Release | None:
    if submitted_at is None:
        return None
    return db.session.scalar(select(Release).where(Release.survey_id == survey.id, Release.number > 0,
                                                    Release.created_at >= submitted_at)
                             .order_by(Release.number).limit(1))


def _actions(survey: Survey, public: bool) -> list[Action]:
    """Actions on this survey's series, and (once its results are public) on the themes its
    published results show."""
    series = select(Survey.id).where(Survey.series_key == survey.series_key)
    conditions = [Action.surveys.any(Survey.id.in_(series))]
    if public:
        theme_ids = [t.id for t in wave_result(survey).themes]
        if theme_ids:
            conditions.append(Action.themes.any(Theme.id.in_(theme_ids)))
    return list(db.session.scalars(select(Action).where(or_(*conditions)).order_by(Action.created_at.desc())))
