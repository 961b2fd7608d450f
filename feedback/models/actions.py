"""Progress on a "You said, we did" action: dated updates, each with the status it set."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .base import UTCDateTime, utcnow
from .results import Action, ActionStatus


class ActionUpdate(db.Model):
    """What happened on an action and when; public, like the action itself."""

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(backref=backref(
        "updates", order_by="(ActionUpdate.happened_on, ActionUpdate.id)", cascade="all, delete-orphan",
        passive_deletes=True))
    created_by: Mapped[User | None] = relationship()

    @property
    def to_status_label(self) -> str:
        return ActionStatus(self.to_status).label
