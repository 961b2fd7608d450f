"""Account use cases: the only code that writes users, memberships and account links."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AccountToken, Membership, Organisation, Role, TokenPurpose, User
from ..models.base import utcnow
from .mail import Message, get_mailer



@cache
def _dummy_hash() -> str:
    """A hash to check against when no such user exists, so a sign-in takes the same time
    whether or not the email address has an account."""
    return generate_password_hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    """A rule about accounts was broken; the message is safe to show."""


class EmailInUse(AccountError):
    pass


class InvalidToken(AccountError):
    pass


class LastAdmin(AccountError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def record_sign_in(user: User) -> None:
    user.last_signed_in_at = utcnow()
    db.session.commit()


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, created_by: User | None) -> str:
    """Create a one-time link token; any older unused link for the same purpose stops working."""
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=_hash_token(raw),
            expires_at=now + lifetime,
            created_by=created_by,
        )
    )
    return raw


def token_link(raw: str) -> str:
    return url_for("accounts.set_password", token=raw, _external=True)


def valid_token(raw: str) -> AccountToken:
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash_token(raw)))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise InvalidToken(_("This link has expired or has already been used."))
    if not token.user.active:
        raise InvalidToken(_("This account has been deactivated."))
    return token


def set_password_from_token(raw: str, password: str) -> User:
    """Use the link once: of several requests at the same moment, one conditional UPDATE lets
    exactly one through, in the same transaction as the password change."""
    token = valid_token(raw)
    user = token.user
    now = utcnow()
    claimed = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None), AccountToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise InvalidToken(_("This link has expired or has already been used."))
    user.set_password(password)
    db.session.commit()
    return user


def invite_user(
    *,
    email: str,
    display_name: str,
    role: Role,
    invited_by: User,
    organisation: Organisation | None = None,
    membership_role: str = "member",
) -> tuple[User, str]:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise EmailInUse(_("An account with this email address already exists."))
    user = User(email=email, display_name=display_name.strip(), role=role)
    db.session.add(user)
    if organisation is not None:
        db.session.add(Membership(user=user, organisation=organisation, role=membership_role))
    db.session.flush()
    raw = _issue_token(
        user, TokenPurpose.INVITE, timedelta(days=current_app.config["INVITE_DAYS"]), invited_by
    )
    db.session.commit()
    get_mailer().send(
        Message(
            to=email,
            subject=f"You have been invited to {current_app.config['SERVICE_NAME']}",
            body=f"Set your password to start: {token_link(raw)}\n"
            f"The link works once and expires in {current_app.config['INVITE_DAYS']} days.",
        )
    )
    return user, raw


def reissue_invite(user: User, invited_by: User) -> str:
    raw = _issue_token(
        user, TokenPurpose.INVITE, timedelta(days=current_app.config["INVITE_DAYS"]), invited_by
    )
    db.session.commit()
    return raw


def create_reset_link(user: User, created_by: User | None = None) -> str:
    raw = _issue_token(
        user, TokenPurpose.RESET, timedelta(hours=current_app.config["RESET_HOURS"]), created_by
    )
    db.session.commit()
    return raw


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way to the requester."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    raw = create_reset_link(user)
    get_mailer().send(
        Message(
            to=user.email,
            subject=f"Reset your password for {current_app.config['SERVICE_NAME']}",
            body=f"Choose a new password: {token_link(raw)}\n"
            f"The link works once and expires in {current_app.config['RESET_HOURS']} hours. "
            "If you did not ask for this, you can ignore this email.",
        )
    )


def end_sessions(user: User) -> None:
    """Every session of this person stops working (their session id includes the version)."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise AccountError(_("Your current password is not right"))
    user.set_password(new)
    db.session.commit()


def _active_admins() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
    )


def update_user(
    user: User,
    *,
    role: Role,
    active: bool,
    safeguarding_lead: bool,
    display_name: str,
    memberships: dict[int, str],
) -> None:
    """Change a user's role, status and memberships (organisation id -> member | lead)."""
    losing_admin = user.role == Role.ADMIN and (role != Role.ADMIN or not active)
    if losing_admin and user.active and _active_admins() <= 1:
        raise LastAdmin(_("There must be at least one active admin."))
    if user.role != role or user.active != active or (safeguarding_lead and not user.safeguarding_lead):
        # Sign the person out everywhere so the change takes effect at once (a new
        # safeguarding lead sets up two-factor authentication at their next sign-in).
        user.session_version += 1
    user.role = role
    user.active = active
    user.safeguarding_lead = safeguarding_lead
    user.display_name = display_name.strip()
    existing = {m.organisation_id: m for m in user.memberships}
    for org_id, membership in existing.items():
        if org_id not in memberships:
            user.memberships.remove(membership)
    for org_id, membership_role in memberships.items():
        if org_id in existing:
            existing[org_id].role = membership_role
        else:
            user.memberships.append(Membership(organisation_id=org_id, role=membership_role))
    db.session.commit()


def create_organisation(*, name: str, kind: str, description: str, slug: str) -> Organisation:
    if db.session.scalar(select(Organisation).where(Organisation.slug == slug)) is not None:
        raise AccountError(_("An organisation with this name already exists."))
    organisation = Organisation(name=name.strip(), kind=kind, description=description.strip(), slug=slug)
    db.session.add(organisation)
    db.session.commit()
    return organisation
