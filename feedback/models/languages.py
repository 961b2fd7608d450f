"""Versions of a survey wave in other languages and in Easy Read, and Easy Read pictures.

A version translates the wording only: its questions are the wave's own questions (the same
ids), so every answer, whatever the version, pools into the one wave's results. A response
records which version it was given in (Response.language).
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

EASY_READ = "easy-read"


class SurveyTranslation(db.Model):
    """A wave's title and introduction in one version; its questions are QuestionTranslation."""

    __table_args__ = (UniqueConstraint("survey_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class EasyReadPicture(db.Model):
    """An uploaded picture (PNG or JPEG, checked by its content), kept in the database."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    content_type: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionTranslation(db.Model):
    """One question's wording in one version: text, hint, each option's label, and (Easy
    Read) a picture with its alt text for the question and for each option."""

    __table_args__ = (UniqueConstraint("question_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    hint: Mapped[str] = mapped_column(String(500), default="")
    # option value (as stored in answers) -> label in this version
    option_labels: Mapped[dict] = mapped_column(JSON, default=dict)
    picture_id: Mapped[int | None] = mapped_column(ForeignKey("easy_read_picture.id", ondelete="SET NULL"))
    picture_alt: Mapped[str] = mapped_column(String(300), default="")
    # option value -> {"picture": EasyReadPicture id, "alt": text}
    option_pictures: Mapped[dict] = mapped_column(JSON, default=dict)

    picture: Mapped[EasyReadPicture | None] = relationship()


class EasyReadReview(db.Model):
    """A co-design partner's comment on, or sign-off of, a wave's Easy Read version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    signed_off: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
