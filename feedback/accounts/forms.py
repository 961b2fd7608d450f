"""Account forms, rendered with GOV.UK Frontend widgets."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from ..forms import STRIP, email_field

MIN_PASSWORD_LENGTH = 12
# NCSC advice: length beats complexity rules; refuse only the passwords attackers try first.
COMMON_PASSWORDS = frozenset(
    {
        "password1234", "123456789012", "qwertyuiop12", "letmein12345", "iloveyou1234",
        "passwordpassword", "welcome12345", "norfolk12345", "administrator",
    }
)


def strong_password(form, field):
    value = field.data or ""
    if value.lower() in COMMON_PASSWORDS or len(set(value)) < 4:
        raise ValidationError(_("Choose a password that is harder to guess, for example three random words"))
    email = getattr(form, "email", None)
    if email is not None and email.data and value.lower() == email.data.strip().lower():
        raise ValidationError(_("Your password must not be your email address"))


def new_password_fields():
    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l("Use at least %(count)s characters. Three random words work well.", count=MIN_PASSWORD_LENGTH),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Password must be between %(min)d and %(max)d characters"),
            ),
            strong_password,
        ],
    )
    confirm = PasswordField(
        _l("Confirm your password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your password")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    return password, confirm


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=200)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Save password"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password")), Length(max=200)],
    )
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send reset link"), widget=GovSubmitInput())


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        widget=GovTextInput(),
        filters=STRIP,
        validators=[InputRequired(message=_l("Enter the code")), Length(max=40, message=_l("Enter the code"))],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
