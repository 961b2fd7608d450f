"""API tokens: staff create and revoke them; only a SHA-256 of each token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import ApiToken
from ..models.base import utcnow

TOKEN_PREFIX = "fbk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


EXPIRY_CHOICES = (30, 90, 180, 365)  # days offered on the tokens page (no more than API_TOKEN_MAX_DAYS)
DEFAULT_DAYS = 90


class TokenError(ValueError):
    """A token that cannot be made as asked."""


def max_days() -> int:
    return int(current_app.config.get("API_TOKEN_MAX_DAYS", 365))


def expiry_choices() -> list[int]:
    return [days for days in EXPIRY_CHOICES if days <= max_days()] or [max_days()]


def create_token(staff, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token lasting `days` (at most API_TOKEN_MAX_DAYS); the plain token is returned
    once and never stored."""
    if not 1 <= days <= max_days():
        raise TokenError(f"A token can last at most {max_days()} days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    record = ApiToken(name=name, prefix=token[:12], token_hash=_hash(token), created_by_id=staff.id,
                      created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(record)
    db.session.commit()
    return record, token


def revoke_token(record: ApiToken) -> None:
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        db.session.commit()


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())))


def authenticate(token: str | None) -> ApiToken | None:
    """The usable token matching this one, or None: not revoked, not expired, and made by
    someone who is still active staff, checked on every request (a token dies with its
    creator's access). Records when it was last used (at most once a minute, so a busy
    dashboard does not write on every request)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = db.session.scalar(select(ApiToken).options(joinedload(ApiToken.created_by))
                               .where(ApiToken.token_hash == _hash(token)))
    if record is None or not record.usable:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now
        db.session.commit()
    return record
