"""API tokens: staff create and revoke them; only a SHA-256 of each token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken
from ..models.base import utcnow

TOKEN_PREFIX = "fbk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(staff, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(name=name, prefix=token[:12], token_hash=_hash(token), created_by_id=staff.id)
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
    """The active token matching this one, or None. Records when it was last used (at most
    once a minute, so a busy dashboard does not write on every request)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if record is None or record.revoked_at is not None:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now
        db.session.commit()
    return record
