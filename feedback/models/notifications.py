"""In-app notifications, one kind for everyone: something happened that a person should look
at (co-design invitations and decisions, sign-offs to give again, contact requests and
safeguarding flags for staff, news about a young person's own idea)."""

from datetime import datetime

from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Notification(db.Model):
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # As sent, in English (the email's words, and what older rows have).
    message: Mapped[str] = mapped_column(String(300))
    # The text to translate for the reader (a catalogue msgid with %(name)s placeholders) and
    # its values; none when the message has no values (it is its own msgid).
    template: Mapped[str | None] = mapped_column(String(300))
    params: Mapped[dict | None] = mapped_column(JSON)
    link: Mapped[str] = mapped_column(String(300), default="")  # a path inside the service
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # News about one idea (its author's): the idea's page and title go with it; deleted with the idea.
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)

    idea = relationship("Idea")

    @property
    def text(self) -> str:
        """The message in the reader's language: values named ``*_label`` are interface words
        (a status), translated too, in lower case; names and titles are shown as written."""
        if not self.template:
            return gettext(self.message)
        values = {key: gettext(value).lower() if key.endswith("_label") else value
                  for key, value in (self.params or {}).items()}
        return gettext(self.template, **values)
