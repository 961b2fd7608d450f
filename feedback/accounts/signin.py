"""Starting a signed-in session, the same way for every kind of sign-in.

A password alone signs in people without two-factor authentication. Everyone else is
"pending" between the password and the code: the session remembers who (with their session
version, so a password change or reset in between ends it) for ten minutes, and nothing
else is unlocked until the second step is done.
"""

import time

from flask import current_app, redirect, session, url_for
from flask_login import current_user, login_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from . import services, two_factor

PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 600


def start_session(user: User, next_url: str | None, method: str):
    """A new session for `user` (so a session id planted earlier is worthless), as the
    password sign-in has always done; `method` goes to the log."""
    session.clear()
    login_user(user)
    services.record_sign_in(user)
    current_app.logger.info("User %s signed in (%s)", user.id, method)
    return redirect(next_url or url_for("main.home"))


def after_password(user: User, next_url: str | None):
    """The password was right: sign in, or ask for the second step."""
    has_app = user.two_factor is not None
    if not has_app and not two_factor.required_for(user):
        return start_session(user, next_url, "password")
    session.clear()
    session[PENDING_KEY] = {
        "user": user.id, "version": user.session_version, "next": next_url, "at": int(time.time()),
    }
    return redirect(url_for("two_factor.challenge" if has_app else "two_factor.set_up"))


def pending_user() -> User | None:
    """The person who gave the right password in this session and still owes a code."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.scalar(select(User).where(User.id == pending.get("user")))
    if user is None or user.session_version != pending.get("version") or not user.is_active:
        return None
    return user


def pending_or_user_key() -> str:
    """Rate-limit key for the code step: the person, whatever address they use."""
    pending = session.get(PENDING_KEY)
    if isinstance(pending, dict):
        return f"two-factor:{pending.get('user')}"
    if current_user.is_authenticated:
        return f"two-factor:{current_user.id}"
    return "two-factor:none"


def finish_pending(user: User, method: str):
    pending = session.get(PENDING_KEY) or {}
    return start_session(user, pending.get("next"), method)
