"""Demo data for results: public summaries of the closed demo waves and a few “You said, we
did” actions linked to the demo survey, its themes and a Youth Forum idea."""

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..ideas.services import link_action
from ..models import Action, ActionStatus, Idea, PublicSummary, Survey, SurveyStatus, Theme, User
from ..models.ideas import VISIBLE_STATUSES
from ..surveys.demo import SERIES

ACTIONS = [
    ("Nobody rings back, and emails to caseworkers go unanswered.",
     "Every family now has a named caseworker and a team phone line answered 9 to 5; we reply to emails "
     "within 5 working days and publish how often we manage it.", ActionStatus.DONE, date(2025, 9, 1),
     "Communication", 1),
    ("You only find out about delays when you chase.",
     "We send an update at each stage of an EHCP assessment, by email or text as you choose.",
     ActionStatus.IN_PROGRESS, date(2026, 6, 30), "EHCP process and timeliness", 2),
    ("Letters are full of jargon.",
     "Family Voice Norfolk is rewriting our standard letters with us in plain English.",
     ActionStatus.PLANNED, date(2026, 12, 31), "Information and the Local Offer", 3),
]


def seed_demo_results():
    waves = {s.wave_number: s for s in db.session.scalars(select(Survey).where(Survey.series_key == SERIES))}
    if not waves or db.session.scalar(select(Action.id).limit(1)) is not None:
        return
    staff = db.session.scalar(select(User).where(User.email == "staff@example.org"))
    for survey in waves.values():
        if survey.status == SurveyStatus.CLOSED and db.session.get(PublicSummary, survey.id) is None:
            db.session.add(PublicSummary(survey_id=survey.id, published_by_id=staff.id if staff else None))
    themes = {t.name: t for t in db.session.scalars(select(Theme))}
    created = []
    for you_said, we_did, status, due_on, theme, wave in ACTIONS:
        action = Action(you_said=you_said, we_did=we_did, status=status, due_on=due_on,
                        surveys=[waves[wave]] if wave in waves else [],
                        themes=[themes[theme]] if theme in themes else [],
                        created_by_id=staff.id if staff else None)
        db.session.add(action)
        created.append(action)
    db.session.flush()
    idea = db.session.scalar(select(Idea).where(Idea.status.in_(VISIBLE_STATUSES)).order_by(Idea.id).limit(1))
    db.session.commit()
    if idea is not None:
        link_action(idea, created[0])
        db.session.commit()
