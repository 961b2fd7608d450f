"""Evidence of co-production: how each survey involved families and young people (the stage
of participation and, for youth work, the Lundy model), co-production that happened off the
platform, and the SEND population each wave's reach is measured against."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import N_
from .accounts import Organisation, User
from .base import UTCDateTime, utcnow
from .surveys import Survey


class Stage(StrEnum):
    """The ladder of participation the SEND inspection framework speaks of."""

    INFORMATION = "information"
    CONSULTATION = "consultation"
    PARTICIPATION = "participation"
    CO_PRODUCTION = "co_production"

    @property
    def label(self) -> str:
        """In English (marked for the catalogues); pages show `_(label)`."""
        return STAGE_LABELS[self]

    @property
    def hint(self) -> str:
        return STAGE_HINTS[self]


STAGE_LABELS = {
    Stage.INFORMATION: N_("Information"),
    Stage.CONSULTATION: N_("Consultation"),
    Stage.PARTICIPATION: N_("Participation"),
    Stage.CO_PRODUCTION: N_("Co-production"),
}
STAGE_HINTS = {
    Stage.INFORMATION: N_("Families were told about a decision."),
    Stage.CONSULTATION: N_("Families were asked for their views on something already drafted."),
    Stage.PARTICIPATION: N_("Families helped shape it, but the council decided."),
    Stage.CO_PRODUCTION: N_("Families and the council designed and decided it together."),
}


class Lundy(StrEnum):
    """The four elements of the Lundy model of children's participation."""

    SPACE = "space"
    VOICE = "voice"
    AUDIENCE = "audience"
    INFLUENCE = "influence"

    @property
    def label(self) -> str:
        """In English (marked for the catalogues); pages show `_(label)`."""
        return LUNDY_LABELS[self]

    @property
    def hint(self) -> str:
        return LUNDY_HINTS[self]


LUNDY_LABELS = {Lundy.SPACE: N_("Space"), Lundy.VOICE: N_("Voice"), Lundy.AUDIENCE: N_("Audience"),
                Lundy.INFLUENCE: N_("Influence")}
LUNDY_HINTS = {
    Lundy.SPACE: N_("Young people had a safe, inclusive chance to form and express their views."),
    Lundy.VOICE: N_("They were helped to express their views in the way they chose."),
    Lundy.AUDIENCE: N_("Their views were listened to by people who make the decisions."),
    Lundy.INFLUENCE: N_("Their views were acted on, as appropriate, and they were told what happened."),
}


class SurveyParticipation(db.Model):
    """Staff's own reading of how far a survey's design was co-produced. Without one, the
    stage is worked out from the co-design records (see evidence.services.suggested_stage)."""

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))
    lundy: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    survey: Mapped[Survey] = relationship()


activity_group = Table(
    "activity_group",
    db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(db.Model):
    """Co-production that happened off the platform: a workshop, a forum meeting."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    happened_on: Mapped[date] = mapped_column(Date, index=True)
    stage: Mapped[str] = mapped_column(String(20))
    lundy: Mapped[list] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(Text)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    groups: Mapped[list[Organisation]] = relationship(secondary=activity_group, order_by="Organisation.name")
    survey: Mapped[Survey | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class Cohort(db.Model):
    """The SEND population from the council's own statistics, e.g. children and young people
    with an EHC plan or on SEN support in January 2026, by locality and age band."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    figures: Mapped[list["CohortFigure"]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortFigure.id"
    )


class CohortFigure(db.Model):
    """How many people of a cohort are in one group of one dimension (locality, age band)."""

    __table_args__ = (UniqueConstraint("cohort_id", "dimension", "group_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(30))
    group_key: Mapped[str] = mapped_column(String(60))
    count: Mapped[int]

    cohort: Mapped[Cohort] = relationship(back_populates="figures")
