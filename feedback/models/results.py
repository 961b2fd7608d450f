"""Results: frozen releases per survey wave, marks for padding checks, public summaries, "You said, we did"
actions and the API tokens the council's BI tools use."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .analysis import Theme
from .base import UTCDateTime, utcnow
from .surveys import Survey


class SubmissionMark(db.Model):
    """That some device or address sent responses to a wave, as a keyed hash (HMAC with the
    app's secret key; the device or address itself is never stored), for padding checks.
    Never tied to a response: no response id, and no time finer than the release batch
    (``batch``: the number of the release the responses will first be in) and the day the
    mark may be deleted; no row number either, as its order could follow the responses')."""

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # "device" or "address"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    batch: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(default=1)
    expires_on: Mapped[date] = mapped_column(Date, index=True)


class Release(db.Model):
    """A frozen release of a wave's results: every page, download and API call shows the
    latest one, unchanged, until the next. Releases of an open wave come in batches (a
    minimum number of new responses and a minimum time apart), so two releases differ by
    enough people; each is protected together with the one before (see docs/results.md).

    ``payload`` is what readers see (hidden counts null). ``audit_state`` keeps the true
    values of what was hidden, for the next release's audit: it is never served."""

    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    n: Mapped[int]  # responses in the release
    build_version: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    audit: Mapped[dict] = mapped_column(JSON, default=dict)  # figures the audit printed for this release
    audit_state: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)  # loaded only when needed

    @property
    def published_at(self) -> datetime:
        return self.created_at


class PublicSummary(db.Model):
    """Staff chose to publish a wave's summary to everyone, signed in or not."""

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    survey: Mapped[Survey] = relationship()


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"

    @property
    def label(self) -> str:
        return {"planned": "Planned", "in_progress": "In progress", "done": "Done",
                "not_possible": "Not possible"}[self.value]


class Action(db.Model):
    """"You said, we did": what families said and what the council did or will do about it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PLANNED)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    survey: Mapped[Survey | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label


class ApiToken(db.Model):
    """A read-only API token; only its SHA-256 is stored, the prefix helps staff tell them apart."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Chosen when the token is made (at most API_TOKEN_MAX_DAYS); null only on tokens made
    # before tokens expired, which the migration gives an expiry.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def creator_has_access(self) -> bool:
        """A token reads only while the person who made it is active staff (or an admin)."""
        return self.created_by is not None and self.created_by.active and self.created_by.is_staff

    @property
    def usable(self) -> bool:
        return self.active and not self.expired and self.creator_has_access
