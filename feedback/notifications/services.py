"""Tell people something happened: a row in their in-app notifications and an email.

`notify` adds to the caller's transaction and never commits. Emails wait until that
transaction commits (a rolled-back change sends nothing) and go through `send_email`, the
one place that knows how email is sent: today the mail interface (`feedback.accounts.mail`:
SMTP or the log), later GOV.UK Notify. A failed email is logged; it never undoes the change.

Messages name surveys and groups, never what a family or young person wrote."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..accounts.mail import Message, get_mailer
from ..extensions import db
from ..models import Membership, MembershipRole, Notification, Role, User
from ..models.base import utcnow

PENDING = "pending_notification_emails"


def send_email(to: str, subject: str, body: str) -> None:
    """The email channel (swap for GOV.UK Notify here)."""
    get_mailer().send(Message(to=to, subject=subject, body=body))


def notify(users, kind: str, message: str, endpoint: str | None = None, **values) -> None:
    """In-app notification for each user (once each) and, after commit, an email."""
    path, address = _links(endpoint, values)
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, kind=kind, message=message[:300], link=path))
        if user.email:
            body = message + (f"\n\nSee it here: {address}" if address else "")
            db.session.info.setdefault(PENDING, []).append((user.email, message[:120], body))


def _links(endpoint: str | None, values: dict) -> tuple[str, str]:
    """The page's path and its address from BASE_URL; none from a command or job that has
    neither a request nor SERVER_NAME (the notification is still made)."""
    if not endpoint:
        return "", ""
    try:
        return url_for(endpoint, **values), url_for(endpoint, _external=True, **values)
    except RuntimeError:
        return "", ""


@event.listens_for(Session, "after_commit")
def _send_pending(session) -> None:
    for to, subject, body in session.info.pop(PENDING, []):
        try:
            send_email(to, subject, body)
        except Exception:  # any mail failure: the change is saved, the email is logged as lost
            current_app.logger.exception("notifications: email to a user could not be sent")


@event.listens_for(Session, "after_rollback")
def _drop_pending(session) -> None:
    session.info.pop(PENDING, None)


def members_of(organisation, leads_only: bool = False) -> list[User]:
    query = select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.organisation_id == organisation.id)
    if leads_only:
        query = query.where(Membership.role == MembershipRole.LEAD)
    return list(db.session.scalars(query))


def staff(safeguarding_leads_only: bool = False) -> list[User]:
    users = db.session.scalars(select(User).where(User.role.in_((Role.STAFF, Role.ADMIN)), User.active.is_(True)))
    return [u for u in users if not safeguarding_leads_only or u.can_see_unredacted_text]


def notifications(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(100)))


def unread_count(user: User) -> int:
    return len([n for n in notifications(user) if n.read_at is None])


def mark_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
