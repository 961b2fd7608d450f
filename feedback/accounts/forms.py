"""Account forms, rendered with GOV.UK Frontend widgets."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from ..forms import STRIP

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
        raise ValidationError("Choose a password that is harder to guess, for example three random words")
    email = getattr(form, "email", None)
    if email is not None and email.data and value.lower() == email.data.strip().lower():
        raise ValidationError("Your password must not be your email address")


def email_field(label="Email address"):
    return EmailField(
        label,
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
        ],
    )


def new_password_fields():
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        description=f"Use at least {MIN_PASSWORD_LENGTH} characters. Three random words work well.",
        validators=[
            InputRequired(message="Enter a password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Password must be between {MIN_PASSWORD_LENGTH} and 200 characters",
            ),
            strong_password,
        ],
    )
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your password"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    return password, confirm


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password"), Length(max=200)],
    )
    password, confirm = new_password_fields()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send reset link", widget=GovSubmitInput())


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        filters=STRIP,
        validators=[InputRequired(message="Enter the code"), Length(max=40, message="Enter the code")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
