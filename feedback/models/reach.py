"""Reaching families directly: invitations to a wave by email or text message, the consented
contact list of people who asked to hear about new surveys and results, and the local outbox
that stands in for GOV.UK Notify in development and tests.

None of these tables is linked to a response: an invitation records only *that* it was used
(and on which day), never which response it led to. See docs/invitations.md.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class InvitationSource(StrEnum):
    UPLOAD = "upload"
    CONTACT_LIST = "contact_list"


class Invitation(db.Model):
    """One person invited to one wave. Deleted, with the rest of the wave's list, when the
    wave closes. `used_on` is a date (not a time) on purpose: it cannot be matched to the
    moment a response was started or sent."""

    __table_args__ = (Index("ix_invitation_survey_used", "survey_id", "used_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    # A random value that, with SECRET_KEY, makes this person's link (see invitations.tokens).
    nonce: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(20), default=InvitationSource.UPLOAD)
    # Who on the contact list this came from, so unsubscribing here takes them off the list.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Taken by the worker sending this person's message (a lease), so two workers never both send it.
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_on: Mapped[date | None] = mapped_column(Date)
    unsubscribed: Mapped[bool] = mapped_column(default=False)


class ContactAudience(StrEnum):
    PARENT_CARER = "parent_carer"
    YOUNG_PERSON = "young_person"


class Contact(db.Model):
    """Someone who asked to hear about new surveys and results. Kept apart from responses.
    Joins the list only once they follow the confirmation link (double opt-in)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    wants_surveys: Mapped[bool] = mapped_column(default=True)
    wants_results: Mapped[bool] = mapped_column(default=True)
    # The exact consent wording they agreed to, as shown to them.
    consent_text: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContactNotice(db.Model):
    """That someone on the contact list was told a wave's results are out: once per wave."""

    __table_args__ = (UniqueConstraint("contact_id", "survey_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(db.Model):
    """A message the local outbox backend 'sent' (development and tests only)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # email or sms
    recipient: Mapped[str] = mapped_column(String(254))
    template: Mapped[str] = mapped_column(String(60))
    personalisation: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
