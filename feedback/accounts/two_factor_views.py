"""Two-factor pages: the code step of sign-in, setting up an authenticator app (forced at
sign-in for admins and safeguarding leads, chosen from the account page by other staff),
and an admin's reset of someone's two-factor authentication."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_limiter.util import get_remote_address

from ..extensions import db, limiter
from ..forms import ButtonForm
from ..models import Role, User
from ..security import role_required
from . import signin, two_factor
from .forms import TwoFactorCodeForm

bp = Blueprint("two_factor", __name__)

SETUP_SECRET_KEY = "two_factor_setup_secret"


def wrong_codes(response) -> bool:
    """Count only refused codes against the limits."""
    return getattr(response, "code_refused", False)


def refused(html: str):
    response = make_response(html)
    response.code_refused = True
    return response


def with_code_limits(view):
    """A wrong code counts against the person, whatever address they try from, and (at a
    level an office behind one address never reaches) against the address."""
    view = limiter.limit("50 per minute", key_func=get_remote_address, methods=["POST"],
                         deduct_when=wrong_codes)(view)
    return limiter.limit("5 per minute;20 per hour", key_func=signin.pending_or_user_key,
                         methods=["POST"], deduct_when=wrong_codes)(view)


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@with_code_limits
def challenge():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = signin.pending_user()
    if user is None or user.two_factor is None:
        flash(_("Sign in again to continue."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        method = two_factor.verify_code_or_recovery_code(user, form.code.data)
        if method is not None:
            response = signin.finish_pending(user, f"password and {method}")
            if method == "recovery code":
                flash(_("You used a recovery code. You have %(count)s left: set up your app again from Your account "
                        "if you have lost it.", count=two_factor.remaining_codes(user)), "info")
            return response
        form.code.errors.append(_("The code is not right. Enter the code your app shows now, or a recovery code"))
        return refused(render_template("accounts/two_factor_challenge.html", form=form))
    return render_template("accounts/two_factor_challenge.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@with_code_limits
def set_up():
    """Forced after the password for those who must use it; from the account page for staff."""
    if current_user.is_authenticated:
        user, forced = current_user._get_current_object(), False
        if not two_factor.offered_to(user):
            abort(403)
    else:
        user, forced = signin.pending_user(), True
        if user is None:
            flash(_("Sign in again to continue."), "info")
            return redirect(url_for("accounts.sign_in"))
    secret = two_factor.decrypt(session.get(SETUP_SECRET_KEY, "")) if session.get(SETUP_SECRET_KEY) else None
    if secret is None:
        secret = two_factor.new_secret()
        session[SETUP_SECRET_KEY] = two_factor.encrypt(secret)
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        codes = two_factor.enrol(user, secret, form.code.data)
        if codes is not None:
            session.pop(SETUP_SECRET_KEY, None)
            next_url = url_for("main.home")
            if forced:
                response = signin.finish_pending(user, "password, two-factor set up")
                next_url = response.location
            return render_template("accounts/two_factor_recovery_codes.html", codes=codes, next_url=next_url)
        form.code.errors.append(_("The code is not right. Enter the 6-digit code your app shows now"))
        return refused(_set_up_page(user, secret, form, forced))
    return _set_up_page(user, secret, form, forced)


def _set_up_page(user: User, secret: str, form, forced: bool):
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "accounts/two_factor_set_up.html", form=form, forced=forced, qr_code=two_factor.qr_code_data_uri(uri),
        key=two_factor.grouped_secret(secret), replacing=user.two_factor is not None,
    )


@bp.route("/two-factor/turn-off", methods=["POST"])
@role_required(Role.STAFF)
def turn_off():
    user = current_user._get_current_object()
    if not ButtonForm().validate_on_submit():
        abort(400)
    if two_factor.required_for(user):
        abort(403)
    if user.two_factor is not None:
        two_factor.turn_off(user)
        flash(_("Two-factor authentication is off. You sign in with your password alone."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@role_required(Role.ADMIN)
def reset(user_id: int):
    person = db.get_or_404(User, user_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    two_factor.reset(person, current_user._get_current_object())
    flash(_("Two-factor authentication reset for %(name)s. They have been signed out and will set it up "
            "again when they next sign in.", name=person.display_name), "success")
    return redirect(url_for("admin.user", user_id=person.id))
