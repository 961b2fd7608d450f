"""Youth Forum: age-appropriate consent (13 and over consent themselves; under 13 a parent or
carer confirms, as the ICO Children's Code expects) and priority ballots in the style of Make
Your Mark, where members rank the ideas the council should take up."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow
from .ideas import Idea

CONSENT_AGE = 13  # the UK age of digital consent (Data Protection Act 2018, s.9)


class AgeGroup(StrEnum):
    THIRTEEN_OR_OVER = "13_or_over"
    UNDER_THIRTEEN = "under_13"


class YouthConsent(db.Model):
    """One young person's consent to take part. Under 13 it counts only once a parent or
    carer has confirmed through the link emailed to them (only its hash is kept)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    age_group: Mapped[str] = mapped_column(String(12))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the young person agreed
    parent_email: Mapped[str | None] = mapped_column(String(254))
    parent_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    parent_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_given(self) -> bool:
        if self.withdrawn_at is not None:
            return False
        return self.age_group == AgeGroup.THIRTEEN_OR_OVER or self.parent_confirmed_at is not None


class BallotStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"


class Ballot(db.Model):
    """A priority ballot: members rank up to RANKS of the listed ideas."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default=BallotStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    options: Mapped[list["BallotOption"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", passive_deletes=True, order_by="BallotOption.id")


class BallotOption(db.Model):
    __table_args__ = (UniqueConstraint("ballot_id", "idea_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))  # the idea's public (redacted) title when listed

    ballot: Mapped[Ballot] = relationship(back_populates="options")
    idea: Mapped[Idea | None] = relationship()


class BallotVote(db.Model):
    """Who has voted (once per ballot); the ranking is kept apart in BallotRank rows that do
    not point at the voter, so results never say who ranked what."""

    __table_args__ = (UniqueConstraint("ballot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BallotRank(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("ballot_option.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]  # 1 is the first choice
