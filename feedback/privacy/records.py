"""Audit records for actions that live in other features: every change of a person's role
or safeguarding access (whatever code makes it), and every staff download of results."""

from functools import wraps

from flask import g, has_request_context, make_response
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..audit import record_audit
from ..extensions import db
from ..models import AuditEvent, User

AUDITED_FIELDS = ("role", "safeguarding_lead", "active")
# Staff downloads of a survey's results: endpoint -> audit action. Published (public)
# summaries are public documents and are not audited.
EXPORT_ENDPOINTS = {
    "results.download": "results.tables_exported",
    "results.responses_csv": "results.responses_exported",
}


def _acting_user():
    """The signed-in person, if this request already loaded them; never queries (we may be
    inside a flush)."""
    if not has_request_context():
        return None
    user = getattr(g, "_login_user", None)
    return user if getattr(user, "is_authenticated", False) else None


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


def _audited_export(view, action: str):
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        actor = _acting_user()
        if response.status_code == 200 and actor is not None:
            record_audit(actor, action, "survey", kwargs.get("survey_id"), {"format": kwargs.get("fmt", "csv")})
            db.session.commit()
        return response

    return wrapped


def register_audit_records(app) -> None:
    """Call after every blueprint is registered."""
    if not event.contains(db.session, "before_flush", _audit_access_changes):
        event.listen(db.session, "before_flush", _audit_access_changes)
        event.listen(db.session, "after_flush_postexec", _audit_new_accounts)
        event.listen(db.session, "after_soft_rollback", _forget_new_accounts)
    for endpoint, action in EXPORT_ENDPOINTS.items():
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _audited_export(app.view_functions[endpoint], action)
