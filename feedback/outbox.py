"""The outbox: what follows a change is recorded with the change and done afterwards, once.

A service records an event (`record`) in the transaction that makes the change, so both
commit or neither does. After the commit it hands the events to `dispatch`: with REDIS_URL
the RQ worker (`flask --app feedback worker`) processes them; without Redis, or with Redis
down, they are processed inline, after the commit, from the same table. `flask --app feedback
outbox` processes whatever is still waiting (a lost job, a failed attempt).

Processing an event is exactly once: a worker first claims it (one conditional UPDATE, so
only one worker wins; the claim lapses after CLAIM_SECONDS in case the worker died), then
the event's handler writes its results and the event is marked processed in one
transaction. A handler that fails leaves its event waiting, with the error, for the next
attempt; the change the event reports (a family's response) is already committed and is
never undone by it. Handlers are registered by the features that do the work (`handles`),
so this module knows none of them.
"""

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from .extensions import db
from .models import OutboxEvent
from .models.base import utcnow

CLAIM_SECONDS = 600
MAX_ATTEMPTS = 5
# kind -> handler(event) -> an optional callable to run after the handler's commit
HANDLERS: dict[str, Callable[[OutboxEvent], Callable[[], None] | None]] = {}


def handles(kind: str):
    """Register the follow-on work for one kind of event. The handler writes in the caller's
    transaction (it never commits); it may return a callable to run after the commit. The one
    exception is sending messages (feedback/invitations): each message is claimed and
    committed on its own, so a handler that fails part way keeps what it sent, and its retry
    sends only the rest."""

    def decorator(handler):
        HANDLERS[kind] = handler
        return handler

    return decorator


def record(kind: str, subject_id: int, **payload) -> OutboxEvent:
    """Record an event in the caller's transaction (flushed, so it has an id)."""
    event = OutboxEvent(kind=kind, subject_id=subject_id, payload=payload)
    db.session.add(event)
    db.session.flush()
    return event


def _claim(event_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None),
               OutboxEvent.attempts < MAX_ATTEMPTS,
               or_(OutboxEvent.claimed_at.is_(None), OutboxEvent.claimed_at < now - timedelta(seconds=CLAIM_SECONDS)))
        .values(claimed_at=now, attempts=OutboxEvent.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def process(event_id: int) -> bool:
    """Do one event's work if no one has; True when this call did it."""
    if not _claim(event_id):
        return False
    event = db.session.get(OutboxEvent, event_id)
    handler = HANDLERS.get(event.kind)
    try:
        then = handler(event) if handler is not None else None
        done = db.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None))
            .values(processed_at=utcnow(), last_error=None).execution_options(synchronize_session=False)
        ).rowcount
        if not done:  # another worker finished it after this one's claim lapsed: keep theirs
            db.session.rollback()
            return False
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        current_app.logger.exception("Outbox event %s (%s) failed; it stays waiting", event_id, event.kind)
        db.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id)
            .values(claimed_at=None, last_error=f"{type(error).__name__}: {error}"[:2000])
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return False
    if then is not None:
        try:
            then()
        except Exception:
            current_app.logger.exception("Work after outbox event %s failed", event_id)
            db.session.rollback()
    return True


def process_job(event_id: int) -> bool:
    """The RQ job: runs inside the worker's app context, and leaves no transaction open."""
    try:
        return process(event_id)
    finally:
        db.session.rollback()


def waiting_ids(limit: int = 500) -> list[int]:
    return list(db.session.scalars(
        select(OutboxEvent.id)
        .where(OutboxEvent.processed_at.is_(None), OutboxEvent.attempts < MAX_ATTEMPTS,
               or_(OutboxEvent.claimed_at.is_(None),
                   OutboxEvent.claimed_at < utcnow() - timedelta(seconds=CLAIM_SECONDS)))
        .order_by(OutboxEvent.id).limit(limit)
    ))


def process_waiting(limit: int = 500) -> int:
    """Process events still waiting, oldest first; returns how many this call did."""
    return sum(process(event_id) for event_id in waiting_ids(limit))


def dispatch(event_ids: list[int]) -> None:
    """After the commit that recorded them: the worker's queue takes the events, or (no
    Redis, Redis down) they are processed here and now. Never raises: the change is stored."""
    queue = current_app.extensions.get("job_queue") if current_app.config.get("REDIS_URL") else None
    if queue is not None:
        try:
            jobs = queue()
            for event_id in event_ids:
                jobs.enqueue(process_job, event_id, job_timeout=300, retry=None, result_ttl=0)
            return
        except Exception:
            current_app.logger.warning("Job queue unavailable; outbox events %s are processed inline", event_ids)
    for event_id in event_ids:
        try:
            process(event_id)
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Outbox event %s could not be processed inline", event_id)
