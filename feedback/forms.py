"""Forms and form fields shared by every feature."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


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


class ButtonForm(FlaskForm):
    """A button that only carries the CSRF token (sign out, move, resolve, publish...)."""
