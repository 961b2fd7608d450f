"""The audit trail every feature writes to: `record_audit` inside the caller's transaction,
and `@audited` on a view whose every successful use is recorded (staff downloads)."""

import json
from functools import wraps

from flask import g, has_request_context, make_response

from .extensions import db
from .models import AuditEvent


def record_audit(actor, action: str, subject_type: str, subject_id: int | None, detail="") -> AuditEvent:
    """Add an audit event to the current transaction; the calling service commits it with
    the change it describes, so there is never a change without its record (or the reverse).

    `actor` is a User or None (the system); `detail` is text, or a dict stored as JSON.
    """
    if not isinstance(detail, str):
        detail = json.dumps(detail, sort_keys=True, default=str)
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
    )
    db.session.add(event)
    return event


def acting_user():
    """The signed-in person, if this request already loaded them; never queries (we may be
    inside a flush)."""
    if not has_request_context():
        return None
    user = getattr(g, "_login_user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _download_format(view_args: dict) -> dict:
    return {"format": view_args.get("fmt", "csv")}


def audited(action: str, subject_type: str = "survey", subject_arg: str = "survey_id", detail=_download_format):
    """Record `action` each time the view answers 200 to a signed-in person: the subject is
    the view's `subject_arg`, the detail `detail(view_args)` (by default the download's
    format). Put it above the role check, so a refused request leaves no record."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            response = make_response(view(*args, **kwargs))
            actor = acting_user()
            if response.status_code == 200 and actor is not None:
                record_audit(actor, action, subject_type, kwargs.get(subject_arg), detail(kwargs))
                db.session.commit()
            return response

        return wrapped

    return decorate
