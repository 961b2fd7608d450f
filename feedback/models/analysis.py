"""Stored results of text analysis, the co-produced theme taxonomy and staff corrections."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class Theme(db.Model):
    """A theme in the taxonomy; origin 'taxonomy' (seeded or added by staff) or 'emerging'
    (promoted from a cluster of comments that fitted no theme)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    phrases: Mapped[list] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(20), default="taxonomy")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TextAnalysis(db.Model):
    """The analysis of one piece of free text (a survey answer, an idea or a comment)."""

    __table_args__ = (
        UniqueConstraint("source_type", "source_id"),
        Index("ix_text_analysis_survey_label", "survey_id", "label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_type: Mapped[str] = mapped_column(String(30))  # answer | idea | idea_comment | design_comment
    source_id: Mapped[int]
    # Denormalised for results queries: the survey and question an answer belongs to.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    polarity: Mapped[float]
    label: Mapped[str] = mapped_column(String(10))
    explanation: Mapped[list] = mapped_column(JSON, default=list)
    redacted_text: Mapped[str] = mapped_column(Text)
    safeguarding_flagged: Mapped[bool] = mapped_column(default=False)
    analyser_version: Mapped[str] = mapped_column(String(80))
    taxonomy_version: Mapped[str] = mapped_column(String(64))
    analysed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Sentiment of the part of the text about communication (None: it says nothing about
    # it); the CQI's text share reads this rather than the whole comment's feeling.
    communication_polarity: Mapped[float | None]
    communication_label: Mapped[str | None] = mapped_column(String(10))
    # Fragments staff removed by hand from the redacted text; kept through re-analysis.
    manual_redactions: Mapped[list] = mapped_column(JSON, default=list)
    # A staff correction of the sentiment; kept through re-analysis.
    label_override: Mapped[str | None] = mapped_column(String(10))
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    themes: Mapped[list["ThemeAssignment"]] = relationship(
        back_populates="analysis", cascade="all, delete-orphan", order_by="ThemeAssignment.score.desc()"
    )

    @property
    def effective_label(self) -> str:
        return self.label_override or self.label


class ThemeAssignment(db.Model):
    __table_args__ = (UniqueConstraint("analysis_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("text_analysis.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    score: Mapped[float]
    by_staff: Mapped[bool] = mapped_column(default=False)

    analysis: Mapped[TextAnalysis] = relationship(back_populates="themes")
    theme: Mapped[Theme] = relationship()


class ThemeCorrection(db.Model):
    """Staff said a theme does (add) or does not (remove) apply to a text; re-analysis keeps it."""

    __table_args__ = (UniqueConstraint("source_type", "source_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_type: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[int]
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(10))  # add | remove
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RedactionName(db.Model):
    """A name staff want removed from comments wherever it appears (a school, a team member)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
