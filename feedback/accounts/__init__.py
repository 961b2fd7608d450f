"""Accounts: sign in and out, invitations, password set and reset."""

from sqlalchemy import select

from ..extensions import db


def setup_login(login_manager):
    from ..models import User

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    # "basic": a changed IP or browser marks the session not fresh. "strong" would sign
    # people out whenever a phone changes network, and rewrite every anonymous session.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            pk, version = (int(part) for part in user_id.split(":"))
        except ValueError:
            return None
        user = db.session.scalar(select(User).where(User.id == pk))
        if user is None or user.session_version != version or not user.is_active:
            return None
        return user
