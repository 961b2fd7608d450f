"""Sign-in through the council's identity provider with OpenID Connect (Microsoft Entra ID,
Google Workspace or any provider that publishes a discovery document), using Authlib.

The authorization code flow with PKCE (S256): Authlib keeps the state, nonce and code
verifier in the session, checks the state on the way back, sends the verifier with the
code, and checks the ID token's signature (the provider's JWKS), issuer, audience, expiry
and nonce. We then match the person by their *verified* email address to an account that
already exists here and is active; nobody gets an account from the provider, and roles are
still managed here. The first match links the provider's subject to the account, and later
sign-ins follow that link.
"""

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import OidcIdentity, User
from ..models.base import utcnow
from ..text import N_
from .services import find_user_by_email

CLIENT_NAME = "council"
HTTP_TIMEOUT_SECONDS = 10


class SignInRefused(Exception):
    """The provider vouched for someone we will not sign in; the message is safe to show."""


def configured(app=None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_DISCOVERY_URL") and config.get("OIDC_CLIENT_ID"))


def init_oidc(app) -> None:
    """Register the provider with a per-app Authlib client (only when configured)."""
    if not configured(app):
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT_SECONDS,
        },
    )
    app.extensions["oidc"] = oauth


def client():
    return current_app.extensions["oidc"].create_client(CLIENT_NAME)


def _verified(claims: dict) -> bool:
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def user_for_claims(issuer: str, claims: dict) -> User:
    """The active account these ID-token claims belong to; SignInRefused otherwise."""
    subject = str(claims.get("sub") or "")
    if not issuer or not subject:
        raise SignInRefused(N_("The sign-in service did not say who you are."))
    link = db.session.scalar(
        select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
    )
    if link is not None:
        user = link.user
    else:
        email = claims.get("email")
        if not email or not _verified(claims):
            raise SignInRefused(N_("Your council account did not confirm a verified email address."))
        user = find_user_by_email(str(email))
        if user is None:
            raise SignInRefused(
                N_("There is no account here for your email address. Ask an admin to invite you.")
            )
        if user.oidc_identity is not None:
            raise SignInRefused(N_("This account is already linked to a different council account."))
        link = OidcIdentity(user=user, issuer=issuer, subject=subject)
        db.session.add(link)
    if not user.active:
        db.session.rollback()
        raise SignInRefused(N_("Your account here has been deactivated. Ask an admin if you need it back."))
    link.last_signed_in_at = utcnow()
    db.session.commit()
    return user
