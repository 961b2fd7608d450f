"""The outbox: events recorded in the same transaction as the change they report, so the
work that follows a change (analysing a response's free text, safeguarding flags, refreshing
results, webhooks) is never lost and never done twice (see feedback/outbox.py)."""

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class OutboxEvent(db.Model):
    __table_args__ = (Index("ix_outbox_event_processed_at", "processed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "response.submitted"
    subject_id: Mapped[int]  # the row the event is about (for a response, its id)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # ids and statuses, never words
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Taken by one worker at a time (a lease); done when processed_at is set, in the same
    # transaction as the work's own writes.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
