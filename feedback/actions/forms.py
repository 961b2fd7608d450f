"""The form staff use to record a “You said, we did” action."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import STRIP
from ..models import ActionStatus
from ..surveys.kinds import GovDateField



def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class YouSaidWeDidForm(FlaskForm):
    you_said = TextAreaField(
        "What families said", description="In their words where you can, for example: “Nobody rings back.”",
        widget=GovTextArea(), filters=STRIP,
        validators=[DataRequired(message="Enter what families said"),
                    Length(max=2000, message="What families said must be 2000 characters or fewer")])
    we_did = TextAreaField(
        "What the council did or will do", widget=GovTextArea(), filters=STRIP,
        validators=[DataRequired(message="Enter what the council did or will do"),
                    Length(max=2000, message="What the council did must be 2000 characters or fewer")])
    due_on = GovDateField("By when", description="The date it will be done, or was done. For example, 27 3 2027",
                          widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    status = RadioField("Status", choices=[(s.value, s.label) for s in ActionStatus], default=ActionStatus.PLANNED.value,
                        widget=GovRadioInput(), validators=[DataRequired(message="Choose a status")])
    survey = SelectField("Survey it came from", coerce=optional_id, widget=GovSelect(), validators=[Optional()])
    theme = SelectField("Theme", coerce=optional_id, widget=GovSelect(), validators=[Optional()])
    ideas = SelectMultipleField("Youth Forum ideas it answers", coerce=int, widget=GovCheckboxesInput(),
                                validators=[Optional()])
    submit = SubmitField("Save action", widget=GovSubmitInput())
