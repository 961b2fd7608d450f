"""The audit trail every feature writes to: `record_audit` inside the caller's transaction."""

import json

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
