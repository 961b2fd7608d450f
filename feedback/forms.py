"""Forms and form fields shared by every feature."""

from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional


def strip(value):
    """Filter for typed text: surrounding spaces go (values that are not text are kept)."""
    return value.strip() if isinstance(value, str) else value


STRIP = [strip]


def text_field(label, limit, required=None, hint="", area=False, too_long=None, too_long_error=None):
    """Words someone types, stripped and limited to `limit` characters. `required` is the error
    for none (optional if not given); the error for too many is `too_long_error` (a whole
    sentence for the catalogues, `%(max)d` for the limit: "Your idea must be %(max)d characters
    or fewer"), or starts with `too_long` ("Your idea"), or the label. DataRequired checks the
    stripped value, so spaces count as empty."""
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=limit, message=too_long_error or f"{too_long or label} must be {limit} characters or fewer"))
    field_class, widget = (TextAreaField, GovTextArea()) if area else (StringField, GovTextInput())
    return field_class(label, description=hint, widget=widget, filters=STRIP, validators=validators)


def email_field(label=None, required=_l("Enter your email address"), hint=""):
    """An email address, checked for its form (not its domain). `required` is the error for
    none; None makes it optional (for someone who may give a phone number instead, see
    `either_given`)."""
    return EmailField(
        label or _l("Email address"),
        description=hint,
        widget=GovTextInput(),
        filters=STRIP,
        validators=[
            InputRequired(message=required) if required else Optional(),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ],
    )


def either_given(first, second, message) -> bool:
    """For a form that needs one of two fields (an email address or a phone number): when
    neither is given and neither is already wrong, `message` shows by the first and the form
    is not valid."""
    if first.data or second.data or first.errors or second.errors:
        return True
    first.errors.append(message)
    return False


class ButtonForm(FlaskForm):
    """A button that only carries the CSRF token (sign out, move, resolve, publish...)."""
