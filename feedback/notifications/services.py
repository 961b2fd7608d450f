"""Tell people something happened: a row in their in-app notifications and, for most kinds,
an email. One system for everyone: co-design, staff tasks and news about a young person's
own idea all land on /notifications, with one count in the header.

`notify` adds to the caller's transaction and never commits. Emails wait until that
transaction commits (a rolled-back change sends nothing): they are handed to the Notify
interface (`feedback.notify`, the one invitations use: GOV.UK Notify, or the outbox table in
development and tests) as the commit starts, so the outbox row is saved with the change. A
failed email is logged; it never undoes the change. Each email ends with a link to the
person's notifications, where they are all listed.

Messages name surveys and groups, never what a family or young person wrote. A message is
English text marked for the catalogues (`N_`), with `%(name)s` for its `params`: the row keeps
both, so the notifications page shows it in the reader's language (`Notification.text`). The
email is in English: the service does not record the language each person last used."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from .. import notify as notify_interface
from ..extensions import db
from ..models import Membership, MembershipRole, Notification, Role, User
from ..models.base import utcnow

PENDING = "pending_notification_emails"


def send_email(to: str, subject: str, body: str) -> None:
    """The email channel: the Notify interface, in the committing transaction."""
    notify_interface.send("email", to, "notification", subject=subject, body=body)


def notify(users, kind: str, message: str, endpoint: str | None = None, *, email: bool = True,
           idea=None, params: dict | None = None, **values) -> None:
    """In-app notification for each user (once each) and, unless `email` is off, an email
    when the change commits. `message` is the English msgid, `params` its values (a value
    named ``*_label`` is an interface word as the catalogue has it, such as a status, shown in
    lower case and translated for the reader); `values` fill the link. `idea`: the
    notification is about that idea (its author's)."""
    template = message if params else None
    if params:  # the English row and email: interface words (``*_label``) in lower case
        message = message % {key: value.lower() if key.endswith("_label") else value for key, value in params.items()}
    path, address = _links(endpoint, values)
    _, everything = _links("notifications.index", {})
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, kind=kind, message=message[:300], link=path, idea=idea,
                                    template=template, params=params or None))
        if email and user.email:
            body = message + (f"\n\nSee it here: {address}" if address else "")
            if everything:
                body += f"\n\nAll your notifications: {everything}"
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


@event.listens_for(Session, "before_commit")
def _send_pending(session) -> None:
    for to, subject, body in session.info.pop(PENDING, []):
        try:
            send_email(to, subject, body)
        except Exception:  # any failure: the change is saved, the email is logged as lost
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


def notifications(user: User, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(db.session.scalars(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user: User) -> None:
    db.session.execute(update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    db.session.commit()
