"""Forms for API tokens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import STRIP


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), description=_l("For example, Power BI SEND dashboard"),
                       widget=GovTextInput(), filters=STRIP,
                       validators=[DataRequired(message=_l("Enter what the token is for")),
                                   Length(max=100, message=_l("The name must be 100 characters or fewer"))])
    days = RadioField(_l("When should it stop working?"), coerce=int, widget=GovRadioInput(),
                      description=_l("It also stops if you stop being staff, or when someone revokes it."),
                      validators=[DataRequired(message=_l("Choose when the token should stop working"))])
    submit = SubmitField(_l("Create token"), widget=GovSubmitInput())

    def __init__(self, choices: list[int], default: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.choices = [(days, f"After {days} days") for days in choices]
        if self.days.data is None and default in choices:
            self.days.data = default


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no other input."""
