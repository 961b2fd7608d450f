"""Forms for registering webhook endpoints."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import STRIP
from .services import EVENTS


class EndpointForm(FlaskForm):
    url = StringField(_l("Address that receives events"), description=_l("It must start with https://"),
                      widget=GovTextInput(), filters=STRIP,
                      validators=[DataRequired(message=_l("Enter the address that receives events")),
                                  Length(max=500, message=_l("The address must be 500 characters or fewer"))])
    description = StringField(_l("What it is for"), description=_l("For example, case management system"),
                              widget=GovTextInput(), filters=STRIP,
                              validators=[DataRequired(message=_l("Enter what the endpoint is for")),
                                          Length(max=100, message=_l("What it is for must be 100 characters or fewer"))])
    events = SelectMultipleField(_l("Events to send"), choices=[(key, _l(text)) for key, text in EVENTS.items()], widget=GovCheckboxesInput(),
                                 validators=[DataRequired(message=_l("Choose at least one event"))])
    submit = SubmitField(_l("Register endpoint"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Only the CSRF token: enabling and disabling need no other input."""
