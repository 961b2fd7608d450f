"""Safeguarding flags: text that may disclose a risk of harm, waiting for the safeguarding lead."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow


class FlagStatus(StrEnum):
    OPEN = "open"
    ACTIONED = "actioned"


class SafeguardingFlag(db.Model):
    """A flag on one piece of text. The text itself stays where it was written (an answer,
    an idea, a comment) and is looked up through the source registry in
    feedback.safeguarding.services, so a flag never copies a disclosure elsewhere."""

    __table_args__ = (UniqueConstraint("source_type", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_type: Mapped[str] = mapped_column(String(30))  # answer | idea | idea_comment
    source_id: Mapped[int]
    categories: Mapped[str] = mapped_column(String(300), default="")  # comma-separated
    matched: Mapped[str] = mapped_column(Text, default="")  # the phrases that matched, one a line
    negated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(10), default=FlagStatus.OPEN, index=True)
    actioned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actioned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    action_note: Mapped[str] = mapped_column(Text, default="")

    actioned_by: Mapped[User | None] = relationship()

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def is_open(self) -> bool:
        return self.status == FlagStatus.OPEN
