"""Demo requests to be contacted, so the staff page has something real to show."""

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import ContactRequest, Response, ResponseStatus, Survey, SurveyStatus, User
from ..surveys.demo import SERIES

DEMO_REQUESTS = [
    ("Karen Whitlock", "karen.whitlock@example.org", None, "Our annual review is overdue and nobody has told us why.", True, False),
    ("Dev Patel", None, "07700 900 418", "I would like to talk about transport to college in September.", False, False),
    ("Sue Marsh", "sue.marsh@example.org", "01632 960 215", "", False, True),
]


def seed_demo_contact_requests():
    if db.session.scalar(select(ContactRequest.id).limit(1)) is not None:
        return
    survey = db.session.scalar(select(Survey).where(Survey.series_key == SERIES, Survey.status == SurveyStatus.CLOSED)
                               .order_by(Survey.wave_number.desc()))
    if survey is None:
        return
    references = list(db.session.scalars(
        select(Response.reference).where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.id).limit(len(DEMO_REQUESTS))))
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    for index, (name, email, phone, about, share, handled) in enumerate(DEMO_REQUESTS):
        asked = survey.opens_at + timedelta(days=3 + 4 * index)
        db.session.add(ContactRequest(
            survey_id=survey.id, name=name, email=email, phone=phone, about=about,
            reference=references[index] if share and index < len(references) else None, created_at=asked,
            handled_at=asked + timedelta(days=2) if handled else None,
            handled_by_id=staff.id if handled and staff else None,
        ))
    db.session.commit()
