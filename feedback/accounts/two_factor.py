"""Two-factor authentication for password sign-in: an authenticator app (TOTP, RFC 6238)
and ten single-use recovery codes.

The TOTP secret is encrypted with a key derived from SECRET_KEY (HKDF-SHA256, then Fernet),
so a copy of the database alone does not give anyone the codes; changing SECRET_KEY makes
every enrolled secret unreadable, and admins then reset two-factor authentication for those
people. Recovery codes are random (about 79 bits) and only their SHA-256 hashes are kept.
Sign-in through the council's identity provider does not ask for these codes: the provider
does its own multi-factor authentication.
"""

import base64
import hashlib
import re
import secrets
import time
from functools import lru_cache

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, or_, update

from ..audit import record_audit
from ..extensions import db
from ..models import RecoveryCode, TwoFactor, User
from ..models.base import utcnow

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
RECOVERY_CODE_LENGTH = 16
# A code from the step before or after the current one is accepted (clocks drift).
STEP_TOLERANCE = 1


def required_for(user: User) -> bool:
    """Everyone who can see unredacted text must use it (staff may choose to)."""
    return bool(current_app.config.get("TWO_FACTOR_REQUIRED", True)) and user.can_see_unredacted_text


def offered_to(user: User) -> bool:
    return user.is_staff


@lru_cache(maxsize=8)
def _fernet_for(secret_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"feedback two-factor secret"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet_for(current_app.config["SECRET_KEY"]).encrypt(value.encode()).decode()


def decrypt(value: str) -> str | None:
    """The plain value, or None if it was encrypted under another SECRET_KEY or altered."""
    try:
        return _fernet_for(current_app.config["SECRET_KEY"]).decrypt(value.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def grouped_secret(secret: str) -> str:
    """The key as people type it into an app: groups of four."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SERVICE_NAME"]
    )


def qr_code_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str, after_step: int | None) -> int | None:
    """The time step whose code this is (within the tolerance), if it is later than the
    last one used; None otherwise."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(time.time() // totp.interval)
    for step in range(current - STEP_TOLERANCE, current + STEP_TOLERANCE + 1):
        if after_step is not None and step <= after_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify_code(user: User, code: str) -> bool:
    """Check a code from the authenticator app; each code works once, even if two requests
    bring it at the same moment (the step is claimed with one conditional UPDATE)."""
    two_factor = user.two_factor
    secret = decrypt(two_factor.secret_encrypted) if two_factor else None
    if secret is None:
        return False
    step = _matching_step(secret, code, two_factor.last_used_step)
    if step is None:
        return False
    claimed = db.session.execute(
        update(TwoFactor)
        .where(
            TwoFactor.user_id == user.id,
            or_(TwoFactor.last_used_step.is_(None), TwoFactor.last_used_step < step),
        )
        .values(last_used_step=step)
    ).rowcount
    db.session.commit()
    db.session.refresh(two_factor)
    return claimed == 1


def normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(raw)))
        codes.append("-".join(raw[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once (audited)."""
    if len(normalise_recovery_code(code)) != RECOVERY_CODE_LENGTH:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    if used == 1:
        record_audit(user, "account.recovery_code_used", "user", user.id, f"{remaining_codes(user)} left")
    db.session.commit()
    return used == 1


def remaining_codes(user: User) -> int:
    return db.session.query(RecoveryCode).filter(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    ).count()


def verify_code_or_recovery_code(user: User, code: str) -> str | None:
    """"app" or "recovery code" for whichever this was; None if it is neither."""
    if verify_code(user, code):
        return "app"
    if use_recovery_code(user, code):
        return "recovery code"
    return None


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on two-factor authentication if `code` comes from an app set up with `secret`;
    return the new recovery codes (shown once), or None if the code is wrong."""
    step = _matching_step(secret, code, None)
    if step is None:
        return None
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.add(TwoFactor(user_id=user.id, secret_encrypted=encrypt(secret), last_used_step=step))
    codes = _new_recovery_codes(user)
    record_audit(user, "account.two_factor_enabled", "user", user.id)
    db.session.commit()
    db.session.expire(user, ["two_factor", "recovery_codes"])
    return codes


def turn_off(user: User) -> None:
    """A person who may choose removes their own app and recovery codes (audited)."""
    _remove(user)
    record_audit(user, "account.two_factor_turned_off", "user", user.id)
    db.session.commit()
    db.session.expire(user, ["two_factor", "recovery_codes"])


def _remove(user: User) -> None:
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reset(user: User, actor: User) -> None:
    """An admin removes someone's authenticator app and recovery codes (audited); the person
    is signed out everywhere and, if they must use two-factor authentication, sets it up
    again at their next sign-in."""
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_version += 1
    record_audit(actor, "account.two_factor_reset", "user", user.id)
    db.session.commit()
    db.session.expire(user, ["two_factor", "recovery_codes"])
