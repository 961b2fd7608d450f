"""Task-based home pages: what is waiting for the person signed in.

Staff see surveys waiting for partners' sign-off, contact requests nobody has handled yet,
open safeguarding flags (safeguarding leads only: the flags concern what was disclosed),
ideas, comments and reports to check, and overdue "You said, we did" actions. A member of a
parent carer forum or the Youth Forum sees the surveys their group is asked to co-design,
and, if they lead the group, to sign off. A youth member sees replies to their ideas.

Read-only queries on the models: each task links to the page where the work is done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Action,
    ActionStatus,
    CoDesignPartner,
    CommentStatus,
    ContactRequest,
    FlagStatus,
    Idea,
    IdeaComment,
    IdeaReport,
    IdeaStatus,
    MembershipRole,
    Notification,
    SafeguardingFlag,
    Survey,
    SurveyStatus,
    User,
)

LIMIT = 10  # items listed per task; the count says how many there are


@dataclass
class Task:
    key: str
    title: str
    count: int
    endpoint: str  # where the whole list is
    items: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else the count includes


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def awaiting_sign_off() -> list[Survey]:
    """Surveys in co-design with at least one partner group that has not signed off."""
    waiting = select(CoDesignPartner.survey_id).where(CoDesignPartner.signed_off_at.is_(None))
    return list(db.session.scalars(
        select(Survey).where(Survey.status == SurveyStatus.CO_DESIGN, Survey.id.in_(waiting)).order_by(Survey.created_at)
    ))


def staff_tasks(user: User, today: date | None = None) -> list[Task]:
    today = today or date.today()
    tasks = [Task("sign_off", "Surveys waiting for sign-off", 0, "surveys.index")]
    tasks[0].items = awaiting_sign_off()
    tasks[0].count = len(tasks[0].items)
    contacts = select(ContactRequest).where(ContactRequest.handled_at.is_(None))
    tasks.append(Task("contact", "Families waiting to be contacted", _count(contacts), "responses.contact_requests",
                      list(db.session.scalars(contacts.order_by(ContactRequest.created_at).limit(LIMIT)))))
    if user.can_see_unredacted_text:
        flags = select(SafeguardingFlag).where(SafeguardingFlag.status == FlagStatus.OPEN)
        tasks.append(Task("flags", "Open safeguarding flags", _count(flags), "safeguarding.queue",
                          list(db.session.scalars(flags.order_by(SafeguardingFlag.created_at).limit(LIMIT)))))
    ideas = select(Idea).where(Idea.status == IdeaStatus.SUBMITTED)
    held = _count(select(IdeaComment).where(IdeaComment.status == CommentStatus.HELD))
    reports = _count(select(IdeaReport).where(IdeaReport.resolved_at.is_(None)))
    moderate = Task("moderate", "Ideas to check", _count(ideas), "ideas.moderation",
                    list(db.session.scalars(ideas.order_by(Idea.created_at).limit(LIMIT))))
    moderate.notes = [f"{held} {'comment' if held == 1 else 'comments'} waiting to be checked",
                      f"{reports} open {'report' if reports == 1 else 'reports'}"]
    moderate.count += held + reports
    tasks.append(moderate)
    overdue = select(Action).where(Action.status.in_((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)),
                                   Action.due_on.is_not(None), Action.due_on < today)
    tasks.append(Task("overdue", "Overdue “You said, we did” actions", _count(overdue), "actions.index",
                      list(db.session.scalars(overdue.order_by(Action.due_on, Action.id).limit(LIMIT)))))
    return tasks


@dataclass
class CoDesignTask:
    survey: Survey
    group: str
    to_sign_off: bool  # the person leads the group and it has not signed off yet


def member_tasks(user: User) -> list[CoDesignTask]:
    """Surveys in co-design that the person's groups are partners in and have not signed off."""
    memberships = {m.organisation_id: m for m in user.memberships}
    if not memberships:
        return []
    rows = db.session.scalars(
        select(CoDesignPartner).join(Survey, Survey.id == CoDesignPartner.survey_id)
        .where(CoDesignPartner.organisation_id.in_(memberships), CoDesignPartner.signed_off_at.is_(None),
               Survey.status == SurveyStatus.CO_DESIGN)
        .order_by(CoDesignPartner.invited_at)
    )
    return [CoDesignTask(p.survey, p.organisation.name, memberships[p.organisation_id].role == MembershipRole.LEAD)
            for p in rows]


def idea_replies(user: User) -> list[Notification]:
    """What happened to the person's ideas that they have not read yet: council replies,
    comments, actions."""
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.idea_id.is_not(None),
                                   Notification.read_at.is_(None))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(LIMIT)
    ))
