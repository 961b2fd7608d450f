"""People, the organisations they belong to, and one-time account links."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..text import N_
from .base import UTCDateTime, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    FORUM_MEMBER = "forum_member"
    YOUTH_MEMBER = "youth_member"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: N_("Admin"),
    Role.STAFF: N_("Staff"),
    Role.FORUM_MEMBER: N_("Forum member"),
    Role.YOUTH_MEMBER: N_("Youth member"),
}


class OrganisationKind(StrEnum):
    COUNCIL_TEAM = "council_team"
    PARENT_CARER_FORUM = "parent_carer_forum"
    PARENT_GROUP = "parent_group"
    YOUTH_FORUM = "youth_forum"
    HEALTH = "health"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class MembershipRole(StrEnum):
    MEMBER = "member"
    LEAD = "lead"


class TokenPurpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return OrganisationKind(self.kind).label

    def leads(self) -> list["User"]:
        return [m.user for m in self.memberships if m.role == MembershipRole.LEAD]


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    safeguarding_lead: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation so every existing session ends.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    two_factor: Mapped["TwoFactor | None"] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    oidc_identity: Mapped["OidcIdentity | None"] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        # An invited person who signs in only through the council's identity provider has
        # no password here; the link to the provider's account is their credential.
        return self.active and (self.password_hash is not None or self.oidc_identity is not None)

    @property
    def can_see_unredacted_text(self) -> bool:
        """Staff who are safeguarding leads see flagged text unredacted, and admins can give
        themselves or anyone that access: both must use two-factor authentication."""
        return self.role == Role.ADMIN or (self.role == Role.STAFF and bool(self.safeguarding_lead))

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def has_role(self, *roles: str) -> bool:
        # Admins can do everything staff can.
        if self.role == Role.ADMIN and Role.STAFF in roles:
            return True
        return self.role in roles

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def organisations(self, role: str | None = None) -> list[Organisation]:
        return [m.organisation for m in self.memberships if role is None or m.role == role]

    def leads(self, organisation: Organisation) -> bool:
        return any(
            m.organisation_id == organisation.id and m.role == MembershipRole.LEAD
            for m in self.memberships
        )


class Membership(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10), default=MembershipRole.MEMBER)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class AccountToken(db.Model):
    """A one-time link to set a password: an invitation or a reset. Only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class TwoFactor(db.Model):
    """A person's authenticator app (TOTP). The secret is kept encrypted with a key derived
    from SECRET_KEY (feedback/accounts/two_factor.py) and is never shown again after set-up."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The last 30-second time step whose code was accepted: a code works once.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    user: Mapped[User] = relationship(back_populates="two_factor")


class RecoveryCode(db.Model):
    """A single-use code for when the authenticator app is lost. Only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class OidcIdentity(db.Model):
    """The link from a person here to their account at the council's identity provider,
    made the first time they sign in there with a verified email address."""

    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="oidc_identity")
