"""Forms for registering webhook endpoints."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextInput
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import STRIP
from .services import EVENTS


class EndpointForm(FlaskForm):
    url = StringField("Address that receives events", description="It must start with https://",
                      widget=GovTextInput(), filters=STRIP,
                      validators=[DataRequired(message="Enter the address that receives events"),
                                  Length(max=500, message="The address must be 500 characters or fewer")])
    description = StringField("What it is for", description="For example, case management system",
                              widget=GovTextInput(), filters=STRIP,
                              validators=[DataRequired(message="Enter what the endpoint is for"),
                                          Length(max=100, message="What it is for must be 100 characters or fewer")])
    events = SelectMultipleField("Events to send", choices=list(EVENTS.items()), widget=GovCheckboxesInput(),
                                 validators=[DataRequired(message="Choose at least one event")])
    submit = SubmitField("Register endpoint", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Only the CSRF token: enabling and disabling need no other input."""
