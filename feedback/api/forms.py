"""Forms for API tokens."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import STRIP


class TokenForm(FlaskForm):
    name = StringField("What the token is for", description="For example, Power BI SEND dashboard",
                       widget=GovTextInput(), filters=STRIP,
                       validators=[DataRequired(message="Enter what the token is for"),
                                   Length(max=100, message="The name must be 100 characters or fewer")])
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no other input."""
