"""Youth Forum ideas: the idea and its state machine, supports, comments, the council's
public updates and reports of unkind or unsafe content (news for the author is a
`Notification`)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .accounts import User
from .base import UTCDateTime, utcnow


class IdeaError(Exception):
    """A rule about ideas was broken; the message is written for the person who broke it."""


class IdeaNotEditable(IdeaError):
    pass


class InvalidTransition(IdeaError):
    pass


class AlreadySupported(IdeaError):
    pass


class NotSupported(IdeaError):
    pass


class IdeaNotOpen(IdeaError):
    """The idea is not published, so it cannot be supported, discussed or reported."""


class AlreadyReported(IdeaError):
    pass


class NotYours(IdeaError):
    pass


class IdeaStatus(StrEnum):
    SUBMITTED = "submitted"  # waiting for a moderator
    PUBLISHED = "published"
    UNDER_CONSIDERATION = "under_consideration"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_TAKEN_FORWARD = "not_taken_forward"
    REMOVED = "removed"  # by a moderator, with a reason the author sees
    WITHDRAWN = "withdrawn"  # by the author

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS[self]


STATUS_LABELS = {
    IdeaStatus.SUBMITTED: N_("Waiting to be checked"),
    IdeaStatus.PUBLISHED: N_("Published"),
    IdeaStatus.UNDER_CONSIDERATION: N_("Under consideration"),
    IdeaStatus.ACCEPTED: N_("Accepted"),
    IdeaStatus.IN_PROGRESS: N_("In progress"),
    IdeaStatus.DONE: N_("Done"),
    IdeaStatus.NOT_TAKEN_FORWARD: N_("Not taken forward"),
    IdeaStatus.REMOVED: N_("Removed"),
    IdeaStatus.WITHDRAWN: N_("Withdrawn"),
}
STATUS_TAGS = {
    IdeaStatus.SUBMITTED: "govuk-tag--yellow",
    IdeaStatus.PUBLISHED: "govuk-tag--blue",
    IdeaStatus.UNDER_CONSIDERATION: "govuk-tag--light-blue",
    IdeaStatus.ACCEPTED: "govuk-tag--turquoise",
    IdeaStatus.IN_PROGRESS: "govuk-tag--purple",
    IdeaStatus.DONE: "govuk-tag--green",
    IdeaStatus.NOT_TAKEN_FORWARD: "govuk-tag--orange",
    IdeaStatus.REMOVED: "govuk-tag--red",
    IdeaStatus.WITHDRAWN: "govuk-tag--grey",
}

# Statuses everyone signed in can see: published, and every council response after it.
VISIBLE_STATUSES = (
    IdeaStatus.PUBLISHED, IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ACCEPTED,
    IdeaStatus.IN_PROGRESS, IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD,
)
# The council's responses, and where each may lead. A response may repeat the current
# status to post a progress update ("still in progress: the first rooms open in May").
RESPONSES = {
    IdeaStatus.PUBLISHED: (
        IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS,
        IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD,
    ),
    IdeaStatus.UNDER_CONSIDERATION: (
        IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS,
        IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD,
    ),
    IdeaStatus.ACCEPTED: (
        IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS, IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD,
    ),
    IdeaStatus.IN_PROGRESS: (IdeaStatus.IN_PROGRESS, IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD),
    IdeaStatus.DONE: (IdeaStatus.DONE,),
    IdeaStatus.NOT_TAKEN_FORWARD: (IdeaStatus.NOT_TAKEN_FORWARD, IdeaStatus.UNDER_CONSIDERATION),
}
RESPONSE_STATUSES = (
    IdeaStatus.UNDER_CONSIDERATION, IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS,
    IdeaStatus.DONE, IdeaStatus.NOT_TAKEN_FORWARD,
)
# The author may change or withdraw an idea until the council has answered it.
EDITABLE_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED)
OTHER_CATEGORY = "Something else"


class CommentStatus(StrEnum):
    HELD = "held"  # waiting for a moderator
    PUBLISHED = "published"
    REMOVED = "removed"


class Idea(db.Model):
    __table_args__ = (Index("ix_idea_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the author deletes their account: the idea stays, anonymised.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # What everyone else reads: the same words with personal details taken out.
    public_title: Mapped[str] = mapped_column(String(200))
    public_body: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30), default=IdeaStatus.SUBMITTED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first council response: time from created_at to this is "time to be heard".
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    # Why a moderator should look twice: "possible offensive language", "safeguarding".
    moderation_note: Mapped[str] = mapped_column(String(300), default="")
    # Stored analysis, so the summary reads aggregates instead of re-analysing.
    sentiment: Mapped[str | None] = mapped_column(String(10))
    polarity: Mapped[float | None]
    themes: Mapped[str] = mapped_column(String(500), default="")  # comma-separated theme names

    author: Mapped[User | None] = relationship()
    # The "You said, we did" actions this idea led to (the actions feature links them).
    actions: Mapped[list["Action"]] = relationship(  # noqa: F821 (models.results)
        secondary="action_idea", back_populates="ideas", order_by="Action.created_at")
    supports: Mapped[list["IdeaSupport"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", passive_deletes=True
    )
    comments: Mapped[list["IdeaComment"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IdeaComment.created_at",
    )
    updates: Mapped[list["IdeaUpdate"]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IdeaUpdate.created_at",
    )

    @property
    def status_enum(self) -> IdeaStatus:
        return IdeaStatus(self.status)

    @property
    def is_visible(self) -> bool:
        return self.status in VISIBLE_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def theme_list(self) -> list[str]:
        return [t for t in self.themes.split(",") if t]

    def response_choices(self) -> tuple[IdeaStatus, ...]:
        return RESPONSES.get(IdeaStatus(self.status), ())

    # Transitions: each checks the current state and raises rather than guess.

    def publish(self, now: datetime) -> None:
        if self.status != IdeaStatus.SUBMITTED:
            raise InvalidTransition("Only ideas waiting to be checked can be published.")
        self.status = IdeaStatus.PUBLISHED
        self.published_at = self.published_at or now
        self.moderation_note = ""
        self.updated_at = now

    def remove(self, reason: str, now: datetime) -> None:
        if self.status not in (IdeaStatus.SUBMITTED, *VISIBLE_STATUSES):
            raise InvalidTransition("This idea has already been removed or withdrawn.")
        self.status = IdeaStatus.REMOVED
        self.removed_reason = reason
        self.updated_at = now

    def withdraw(self, now: datetime) -> None:
        if not self.is_editable:
            raise IdeaNotEditable("You cannot withdraw an idea once the council has answered it.")
        self.status = IdeaStatus.WITHDRAWN
        self.updated_at = now

    def change(self, hold: bool, now: datetime) -> None:
        """The author's edit (the service sets the words); `hold` sends a published idea
        back to be checked again."""
        if not self.is_editable:
            raise IdeaNotEditable("You cannot change an idea once the council has answered it.")
        if hold:
            self.status = IdeaStatus.SUBMITTED
        self.updated_at = now

    def respond(self, to_status: str, now: datetime) -> str:
        """Move to `to_status` as a council response; returns the status it came from."""
        if to_status not in self.response_choices():
            raise InvalidTransition(
                f"An idea that is {self.status_enum.label.lower()} cannot be marked "
                f"{IdeaStatus(to_status).label.lower()}."
            )
        from_status = self.status
        self.status = to_status
        self.first_response_at = self.first_response_at or now
        self.updated_at = now
        return from_status


class IdeaSupport(db.Model):
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    # NULL once the supporter deletes their account: the support still counts.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="supports")


class IdeaComment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    public_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=CommentStatus.HELD, index=True)
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    moderation_note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    def publish(self) -> None:
        if self.status != CommentStatus.HELD:
            raise InvalidTransition("Only comments waiting to be checked can be published.")
        self.status = CommentStatus.PUBLISHED
        self.moderation_note = ""

    def remove(self, reason: str) -> None:
        if self.status == CommentStatus.REMOVED:
            raise InvalidTransition("This comment has already been removed.")
        self.status = CommentStatus.REMOVED
        self.removed_reason = reason


class IdeaUpdate(db.Model):
    """A public council response: the new status and what it means, in plain words."""

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    idea: Mapped[Idea] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()

    @property
    def to_status_enum(self) -> IdeaStatus:
        return IdeaStatus(self.to_status)


class IdeaReport(db.Model):
    """Someone said an idea (comment_id NULL) or one of its comments is unkind or unsafe."""

    __table_args__ = (Index("ix_idea_report_open", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("idea_comment.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(10), default="")  # kept | removed

    idea: Mapped[Idea] = relationship()
    comment: Mapped[IdeaComment | None] = relationship()

