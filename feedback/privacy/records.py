"""Audit records of every change of a person's role or safeguarding access, whatever code
makes it (session listeners). Staff downloads of results are audited where they are served,
with `feedback.audit.audited` on the view."""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..audit import acting_user as _acting_user
from ..extensions import db
from ..models import AuditEvent, User

AUDITED_FIELDS = ("role", "safeguarding_lead", "active")


def _audit_access_changes(session: Session, flush_context, instances) -> None:
    actor = _acting_user()
    if actor is not None:
        # Someone gave a new account its role (an invitation); it has no id until the flush.
        session.info.setdefault("new_users", []).extend(obj for obj in session.new if isinstance(obj, User))
    for obj in list(session.dirty):
        if not isinstance(obj, User):
            continue
        state = inspect(obj)
        changes = []
        for name in AUDITED_FIELDS:
            history = state.attrs[name].history
            if history.deleted and history.added and history.deleted[0] != history.added[0]:
                changes.append(f"{name} {history.deleted[0]} -> {history.added[0]}")
        if changes:
            session.add(AuditEvent(actor_id=getattr(actor, "id", None), action="account.role_changed",
                                   subject_type="user", subject_id=obj.id, detail="; ".join(changes)))


def _audit_new_accounts(session: Session, flush_context) -> None:
    actor = _acting_user()
    for user in session.info.pop("new_users", []):
        if user.id is None:
            continue
        session.add(AuditEvent(actor_id=getattr(actor, "id", None), action="account.role_granted",
                               subject_type="user", subject_id=user.id,
                               detail=f"role {user.role}, safeguarding lead {bool(user.safeguarding_lead)}"))


def _forget_new_accounts(session: Session, previous_transaction=None) -> None:
    session.info.pop("new_users", None)


def register_audit_records(app) -> None:
    """Listen to the session once per process, so access changes are audited."""
    if not event.contains(db.session, "before_flush", _audit_access_changes):
        event.listen(db.session, "before_flush", _audit_access_changes)
        event.listen(db.session, "after_flush_postexec", _audit_new_accounts)
        event.listen(db.session, "after_soft_rollback", _forget_new_accounts)
