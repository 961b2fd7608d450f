"""Use cases for “You said, we did” actions: record, change, and link to ideas.

An idea points at its action through `Idea.action_id`; the ideas feature's `link_action`
sets it, so both sides of the link stay in one place."""

from __future__ import annotations

from datetime import date

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ..extensions import db
from ..ideas.services import link_action
from ..models import Action, ActionStatus, ActionUpdate, Idea, Survey, SurveyStatus, Theme
from ..models.ideas import VISIBLE_STATUSES
from ..models.results import InvalidActionTransition
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
                survey_id: int | None, theme_id: int | None, idea_ids: list[int], owner: str = "",
                published_in: str = "", reason: str = "") -> Action:
    """Record a new action or change one, and make exactly `idea_ids` point at it. A change of
    status follows the action's life (`Action.move_to`) and is dated as a progress update."""
    if status not in set(ActionStatus):
        raise ActionError("Choose a status")
    if status == ActionStatus.DONE and due_on is None:
        raise ActionError("Enter the date it was done")
    if survey_id is not None and db.session.get(Survey, survey_id) is None:
        raise ActionError("Choose a survey from the list")
    if theme_id is not None and db.session.get(Theme, theme_id) is None:
        raise ActionError("Choose a theme from the list")
    if status == ActionStatus.NOT_POSSIBLE and not reason.strip():
        raise ActionError("Enter why it is not possible")
    added, old_status = action is None, None if action is None else action.status
    if action is None:
        action = Action(created_by_id=staff.id, status=status)
        db.session.add(action)
    elif old_status != status:
        try:
            action.move_to(status, reason)
        except InvalidActionTransition as error:
            raise ActionError(str(error)) from error
        action.updates.append(ActionUpdate(happened_on=date.today(), text=reason.strip() or "Status changed.",
                                           from_status=old_status, to_status=status, created_by_id=staff.id))
    action.you_said, action.we_did, action.due_on = you_said, we_did, due_on
    action.survey_id, action.theme_id = survey_id, theme_id
    action.owner, action.published_in = owner.strip(), published_in.strip()
    if status == ActionStatus.NOT_POSSIBLE:
        action.not_possible_reason = reason.strip()
    db.session.flush()
    _link_ideas(action, idea_ids)
    if added or old_status != status:
        emit_event("action.added" if added else "action.status_changed", action_event(action))
    db.session.commit()
    return action


def _link_ideas(action: Action, idea_ids: list[int]) -> None:
    wanted = set(idea_ids)
    for idea in linked_ideas(action, visible_only=False):
        if idea.id not in wanted:
            link_action(idea, None)
    for idea_id in wanted:
        idea = db.session.get(Idea, idea_id)
        if idea is not None and idea.action_id != action.id:
            link_action(idea, action.id)


def post_update(staff, action: Action, *, status: str, text: str, happened_on: date | None,
                today: date | None = None) -> ActionUpdate:
    """A dated progress update; it may move the action on (or stay, to say how it is going).
    Done needs the date it was done (the update's date), not possible a reason (the text)."""
    today = today or date.today()
    text = (text or "").strip()
    if not text:
        raise ActionError("Enter what happened")
    if happened_on is None:
        raise ActionError("Enter the date it happened")
    if happened_on > today:
        raise ActionError("The date it happened must be today or in the past")
    old_status = action.status
    try:
        action.move_to(status, text)
    except InvalidActionTransition as error:
        raise ActionError(str(error)) from error
    if status == ActionStatus.DONE and old_status != status:
        action.due_on = happened_on
    update = ActionUpdate(happened_on=happened_on, text=text, from_status=old_status, to_status=status,
                          created_by_id=staff.id)
    action.updates.append(update)
    if old_status != status:
        emit_event("action.status_changed", action_event(action))
    db.session.commit()
    return update


def overdue_actions(today: date | None = None) -> list[Action]:
    """Open actions past their due date, the longest overdue first."""
    today = today or date.today()
    return list(db.session.scalars(
        select(Action).where(Action.status.in_((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)),
                             Action.due_on.is_not(None), Action.due_on < today)
        .order_by(Action.due_on, Action.id)
    ))


def action_event(action: Action) -> dict:
    """What a webhook says about an action: no words anyone typed, only where to read them
    (the address needs a request or SERVER_NAME: commands such as seed-demo have neither)."""
    can_link = has_request_context() or current_app.config.get("SERVER_NAME")
    return {"action_id": action.id, "status": action.status, "survey_id": action.survey_id,
            "theme_id": action.theme_id, "due_on": action.due_on.isoformat() if action.due_on else None,
            "url": url_for("actions.action", action_id=action.id, _external=True) if can_link else None}
