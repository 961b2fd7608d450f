"""Use cases for “You said, we did” actions: record, change, and link to what was heard.

An action links to several waves, themes and Youth Forum ideas (`Action.surveys`, `themes`,
`ideas`). Ideas are linked through the ideas feature's `link_action`, which tells the author."""

from __future__ import annotations

from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..ideas.services import link_action, unlink_action
from ..models import Action, ActionStatus, ActionUpdate, Idea, Survey, SurveyStatus, Theme
from ..models.ideas import VISIBLE_STATUSES
from ..models.results import InvalidActionTransition
from ..webhooks.services import emit_event


class ActionError(Exception):
    """An action that cannot be saved as asked: the message, in the page's language, and the
    form field it is about."""

    def __init__(self, message: str, field: str = "status"):
        super().__init__(message)
        self.field = field


def _transition_error(error: InvalidActionTransition, field: str) -> ActionError:
    statuses = {key: _(ActionStatus(value).label).lower() for key, value in error.statuses.items()}
    return ActionError(_(error.message, **statuses), field="status" if statuses else field)


def list_actions(status: str = "") -> list[Action]:
    query = select(Action).order_by(Action.due_on.is_(None), Action.due_on, Action.created_at.desc())
    if status in set(ActionStatus):
        query = query.where(Action.status == status)
    return list(db.session.scalars(query))


def linked_ideas(action, visible_only: bool = True) -> list[Idea]:
    """The ideas an action answers; only those members can read unless `visible_only` is off."""
    return [i for i in action.ideas if not visible_only or i.status in VISIBLE_STATUSES]


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
                survey_ids: list[int], theme_ids: list[int], idea_ids: list[int], owner: str = "",
                published_in: str = "", reason: str = "") -> Action:
    """Record a new action or change one, linked to exactly these waves, themes and ideas. A
    change of status follows the action's life (`Action.move_to`) and is dated as a progress update."""
    if status not in set(ActionStatus):
        raise ActionError(_("Choose a status"))
    if status == ActionStatus.DONE and due_on is None:
        raise ActionError(_("Enter the date it was done"), field="due_on")
    surveys = _chosen(Survey, survey_ids, _("Choose surveys from the list"), "surveys")
    themes = _chosen(Theme, theme_ids, _("Choose themes from the list"), "themes")
    ideas = _chosen(Idea, idea_ids, _("Choose ideas from the list"), "ideas")
    if status == ActionStatus.NOT_POSSIBLE and not reason.strip():
        raise ActionError(_("Enter why it is not possible"), field="reason")
    added, old_status = action is None, None if action is None else action.status
    if action is None:
        action = Action(created_by_id=staff.id, status=status)
        db.session.add(action)
    elif old_status != status:
        try:
            action.move_to(status, reason)
        except InvalidActionTransition as error:
            raise _transition_error(error, "reason") from error
        action.updates.append(ActionUpdate(happened_on=date.today(), text=reason.strip() or "Status changed.",
                                           from_status=old_status, to_status=status, created_by_id=staff.id))
    action.you_said, action.we_did, action.due_on = you_said, we_did, due_on
    action.surveys, action.themes = surveys, themes
    action.owner, action.published_in = owner.strip(), published_in.strip()
    if status == ActionStatus.NOT_POSSIBLE:
        action.not_possible_reason = reason.strip()
    db.session.flush()
    _link_ideas(action, ideas)
    if added or old_status != status:
        emit_event("action.added" if added else "action.status_changed", action_event(action))
    db.session.commit()
    return action


def _chosen(model, ids: list[int], message: str, field: str) -> list:
    """The rows with these ids, in the order given; an id that is not there is an error."""
    ids = list(dict.fromkeys(ids or []))
    found = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    if len(found) != len(ids):
        raise ActionError(message, field=field)
    return [found[i] for i in ids]


def _link_ideas(action: Action, ideas: list[Idea]) -> None:
    for idea in list(action.ideas):
        if idea not in ideas:
            unlink_action(idea, action)
    for idea in ideas:
        link_action(idea, action)


def post_update(staff, action: Action, *, status: str, text: str, happened_on: date | None,
                today: date | None = None) -> ActionUpdate:
    """A dated progress update; it may move the action on (or stay, to say how it is going).
    Done needs the date it was done (the update's date), not possible a reason (the text)."""
    today = today or date.today()
    text = (text or "").strip()
    if not text:
        raise ActionError(_("Enter what happened"), field="text")
    if happened_on is None:
        raise ActionError(_("Enter the date it happened"), field="happened_on")
    if happened_on > today:
        raise ActionError(_("The date it happened must be today or in the past"), field="happened_on")
    old_status = action.status
    try:
        action.move_to(status, text)
    except InvalidActionTransition as error:
        raise _transition_error(error, "text") from error
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
    survey_ids, theme_ids = [s.id for s in action.surveys], [t.id for t in action.themes]
    return {"action_id": action.id, "status": action.status,
            "survey_id": survey_ids[0] if survey_ids else None, "theme_id": theme_ids[0] if theme_ids else None,
            "survey_ids": survey_ids, "theme_ids": theme_ids, "idea_ids": [i.id for i in linked_ideas(action)],
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "url": url_for("actions.action", action_id=action.id, _external=True) if can_link else None}
