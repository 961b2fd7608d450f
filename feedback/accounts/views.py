"""Sign in, sign out, set a password from an invitation or reset link, and your account."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import domain_errors
from ..extensions import limiter
from ..forms import ButtonForm
from ..templating import add_nav_item
from . import oidc, services, signin, two_factor
from .forms import ChangePasswordForm, ResetRequestForm, SetPasswordForm, SignInForm
from .urls import safe_next_url

bp = Blueprint("accounts", __name__)
add_nav_item("Your account", "accounts.account")


def only_failures(response) -> bool:
    """A successful sign-in redirects; count everything else against the limit."""
    return response.status_code != 302


def account_key() -> str:
    """Failed sign-ins count against the account asked for, from whatever address."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"sign-in:{email}" if email else f"sign-in-address:{get_remote_address()}"


# Per account: one person's failures lock only that account for a while. Per address, far
# higher: a council office behind one address has many colleagues signing in at once.
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", key_func=account_key, methods=["POST"], deduct_when=only_failures)
@limiter.limit("50 per minute;500 per hour", methods=["POST"], deduct_when=only_failures)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            # A new session on every sign-in (signin.start_session), so a session id
            # planted earlier is worthless; two-factor authentication first if needed.
            return signin.after_password(user, safe_next_url(request.args.get("next")))
        form.email.errors.append(_("Enter a correct email address and password"))
    oidc_name = current_app.config["OIDC_PROVIDER_NAME"] if oidc.configured() else None
    return render_template("accounts/sign_in.html", form=form, oidc_name=oidc_name)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    form = ButtonForm()  # signing out is a POST with only the CSRF token
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Sessions live in signed cookies: end them on the server too, so a copied cookie
            # stops working (this signs the person out on every device).
            services.end_sessions(current_user)
        logout_user()
        session.clear()
        flash(_("You have signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def set_password(token: str):
    try:
        account_token = services.valid_token(token)
    except services.InvalidToken as error:
        return render_template("accounts/link_invalid.html", reason=str(error)), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.set_password_from_token(token, form.password.data)
        except services.InvalidToken as error:  # used by another request a moment ago
            return render_template("accounts/link_invalid.html", reason=str(error)), 410
        logout_user()
        # As at sign-in: a new session, after the authenticator code if the person has one.
        response = signin.after_password(user, None)
        if current_user.is_authenticated:
            flash(_("Your password has been saved and you are signed in."), "success")
        return response
    return render_template(
        "accounts/set_password.html", form=form, purpose=account_token.purpose, user=account_token.user
    )


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def reset_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/reset_sent.html", email=form.email.data)
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with domain_errors(services.AccountError, field=form.current):
            services.change_password(current_user, form.current.data, form.password.data)
            # The session version changed with the password: sign in again on this device.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, two_factor=two_factor, button_form=ButtonForm(),
                           oidc_name=current_app.config["OIDC_PROVIDER_NAME"] if oidc.configured() else None)
