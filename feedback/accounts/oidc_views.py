"""Sign in with the council's identity provider: send the person there, and take them back."""

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from requests import RequestException

from ..extensions import limiter
from . import oidc, signin
from .urls import safe_next_url

bp = Blueprint("oidc", __name__)

NEXT_KEY = "oidc_next"
# Per address, at a level a whole office signing in at nine o'clock stays under; each
# callback makes calls to the provider, so it is not unlimited.
OFFICE_LIMIT = "100 per minute"
PROVIDER_ERRORS = (OAuthError, JoseError, RequestException, ValueError, KeyError)


def refused(reason: str, status: int):
    return render_template(
        "accounts/oidc_refused.html", reason=reason, provider=current_app.config["OIDC_PROVIDER_NAME"]
    ), status


@bp.before_request
def only_when_configured():
    if not oidc.configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))


@bp.route("/sign-in/council")
@limiter.limit(OFFICE_LIMIT)
def start():
    next_url = safe_next_url(request.args.get("next"))
    try:
        response = oidc.client().authorize_redirect(url_for("oidc.callback", _external=True))
    except PROVIDER_ERRORS:
        current_app.logger.exception("Could not reach the identity provider")
        return refused(_("The council's sign-in service is not answering. Try again later, "
                         "or sign in with your password."), 503)
    session[NEXT_KEY] = next_url
    return response


@bp.route("/sign-in/council/callback")
@limiter.limit(OFFICE_LIMIT)
def callback():
    try:
        token = oidc.client().authorize_access_token()
    except MismatchingStateError:
        current_app.logger.warning("Identity provider sign-in refused: state did not match")
        return refused(_("This sign-in link was not started from this browser, or it has already "
                         "been used. Start again."), 400)
    except PROVIDER_ERRORS as error:
        current_app.logger.warning("Identity provider sign-in failed: %s", error)
        return refused(_("The council's sign-in service did not sign you in. Start again, "
                         "or sign in with your password."), 400)
    claims = token.get("userinfo")
    if not claims:
        return refused(_("The council's sign-in service did not send an ID token."), 400)
    try:
        user = oidc.user_for_claims(oidc.client().server_metadata.get("issuer", ""), dict(claims))
    except oidc.SignInRefused as error:
        current_app.logger.info("Identity provider sign-in refused: %s", error)
        return refused(_(str(error)), 403)  # the reason is English in the log, marked in oidc.py
    # The provider did its own multi-factor check: no code from us (docs/security.md).
    return signin.start_session(user, session.get(NEXT_KEY), "identity provider")
