"""Results: frozen releases per survey wave, marks for padding checks, public summaries, "You said, we did"
actions and the API tokens the council's BI tools use."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .accounts import User
from .analysis import Theme
from .base import UTCDateTime, utcnow
from .ideas import VISIBLE_STATUSES
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
    enough people; each is protected together with every one before (see docs/results.md).

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
        """In English, as the API sends it; pages show `_(label)`."""
        return {"planned": N_("Planned"), "in_progress": N_("In progress"), "done": N_("Done"),
                "not_possible": N_("Not possible")}[self.value]

    @property
    def is_open(self) -> bool:
        """Still to be done: an open action past its due date is overdue."""
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


# The action's life: from each status, the ones it may move to. Staying in the same status
# posts a progress update; a finished action can be reopened.
ACTION_TRANSITIONS = {
    ActionStatus.PLANNED: (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.NOT_POSSIBLE),
    ActionStatus.IN_PROGRESS: (ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.NOT_POSSIBLE),
    ActionStatus.DONE: (ActionStatus.DONE, ActionStatus.IN_PROGRESS),
    ActionStatus.NOT_POSSIBLE: (ActionStatus.NOT_POSSIBLE, ActionStatus.PLANNED),
}


class InvalidActionTransition(Exception):
    """An action cannot move from its status to the one asked: `message` is the English text
    (marked for the catalogues), `statuses` the status values it names, for a page to translate."""

    def __init__(self, message: str, **statuses: str):
        self.message, self.statuses = message, statuses
        super().__init__(message % {key: ActionStatus(value).label.lower() for key, value in statuses.items()})


def _link_table(name: str, other: str) -> Table:
    """What an action heard: one row per action and wave, theme or idea it answers."""
    return Table(
        f"action_{name}", db.metadata,
        Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{name}_id", ForeignKey(f"{other}.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


action_survey = _link_table("survey", "survey")
action_theme = _link_table("theme", "theme")
action_idea = _link_table("idea", "idea")


class Action(db.Model):
    """"You said, we did": what families said and what the council did or will do about it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.PLANNED)
    # Who is responsible: a team or role (it is published), not a person's name.
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Why it is not possible (required for that status), shown wherever the action is.
    not_possible_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Where the council told families about it, for example "Local Offer newsletter, March 2027".
    published_in: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # What was heard: the waves, themes and Youth Forum ideas the action answers (several of each).
    surveys: Mapped[list[Survey]] = relationship(secondary=action_survey, order_by="(Survey.title, Survey.wave_number)")
    themes: Mapped[list[Theme]] = relationship(secondary=action_theme, order_by="Theme.name")
    ideas: Mapped[list["Idea"]] = relationship(  # noqa: F821 (models.ideas)
        secondary=action_idea, back_populates="actions", order_by="Idea.created_at")
    created_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label

    @property
    def idea_titles(self) -> list[str]:
        """The public (redacted) titles of the ideas it answers that members can read."""
        return [i.public_title for i in self.ideas if i.status in VISIBLE_STATUSES]

    def next_statuses(self) -> tuple[ActionStatus, ...]:
        return ACTION_TRANSITIONS[ActionStatus(self.status)]

    def move_to(self, status: str, reason: str = "") -> str:
        """Change status along ACTION_TRANSITIONS; returns the status it came from."""
        if status not in self.next_statuses():
            raise InvalidActionTransition(N_("An action that is %(now)s cannot become %(then)s"),
                                          now=self.status, then=status)
        if status == ActionStatus.NOT_POSSIBLE and not (reason or self.not_possible_reason).strip():
            raise InvalidActionTransition(N_("Enter why it is not possible"))
        old, self.status = self.status, status
        if status == ActionStatus.NOT_POSSIBLE and reason.strip():
            self.not_possible_reason = reason.strip()
        return old

    def is_overdue(self, today: date) -> bool:
        return ActionStatus(self.status).is_open and self.due_on is not None and self.due_on < today


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
