"""Use cases for “You said, we did” actions: record, change, and link to ideas.

An idea points at its action through `Idea.action_id`; the ideas feature's `link_action`
sets it, so both sides of the link stay in one place."""

from __future__ import annotations

from datetime import date

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ..extensions import db
from ..ideas.services import link_action
from ..models import Action, ActionStatus, Idea, Survey, SurveyStatus, Theme
from ..models.ideas import VISIBLE_STATUSES
from ..webhooks.services import emit_event


class ActionError(Exception):
    """An action that cannot be saved as asked."""


def list_actions(status: str = "") -> list[Action]:
    query = select(Action).order_by(Action.due_on.is_(None), Action.due_on, Action.created_at.desc())
    if status in set(ActionStatus):
        query = query.where(Action.status == status)
    return list(db.session.scalars(query))


def linked_ideas(action: Action, visible_only: bool = True) -> list[Idea]:
    query = select(Idea).where(Idea.action_id == action.id).order_by(Idea.created_at)
    if visible_only:
        query = query.where(Idea.status.in_(VISIBLE_STATUSES))
    return list(db.session.scalars(query))


def linkable_ideas() -> list[Idea]:
    return list(db.session.scalars(
        select(Idea).where(Idea.status.in_(VISIBLE_STATUSES)).order_by(Idea.created_at.desc()).limit(200)
    ))


def survey_choices() -> list[Survey]:
    return list(db.session.scalars(
        select(Survey).where(Survey.status.in_((SurveyStatus.OPEN, SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)))
        .order_by(Survey.title, Survey.wave_number)
    ))


def theme_choices() -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.active.is_(True)).order_by(Theme.name)))


def save_action(staff, action: Action | None, *, you_said: str, we_did: str, due_on: date | None, status: str,
                survey_id: int | None, theme_id: int | None, idea_ids: list[int]) -> Action:
    """Record a new action or change one, and make exactly `idea_ids` point at it."""
    if status not in set(ActionStatus):
        raise ActionError("Choose a status")
    if status == ActionStatus.DONE and due_on is None:
        raise ActionError("Enter the date it was done")
    if survey_id is not None and db.session.get(Survey, survey_id) is None:
        raise ActionError("Choose a survey from the list")
    if theme_id is not None and db.session.get(Theme, theme_id) is None:
        raise ActionError("Choose a theme from the list")
    added, old_status = action is None, None if action is None else action.status
    if action is None:
        action = Action(created_by_id=staff.id)
        db.session.add(action)
    action.you_said, action.we_did, action.due_on, action.status = you_said, we_did, due_on, status
    action.survey_id, action.theme_id = survey_id, theme_id
    db.session.flush()
    wanted = set(idea_ids)
    for idea in linked_ideas(action, visible_only=False):
        if idea.id not in wanted:
            link_action(idea, None)
    for idea_id in wanted:
        idea = db.session.get(Idea, idea_id)
        if idea is not None and idea.action_id != action.id:
            link_action(idea, action.id)
    if added or old_status != status:
        emit_event("action.added" if added else "action.status_changed", action_event(action))
    db.session.commit()
    return action


def action_event(action: Action) -> dict:
    """What a webhook says about an action: no words anyone typed, only where to read them
    (the address needs a request or SERVER_NAME: commands such as seed-demo have neither)."""
    can_link = has_request_context() or current_app.config.get("SERVER_NAME")
    return {"action_id": action.id, "status": action.status, "survey_id": action.survey_id,
            "theme_id": action.theme_id, "due_on": action.due_on.isoformat() if action.due_on else None,
            "url": url_for("actions.action", action_id=action.id, _external=True) if can_link else None}
