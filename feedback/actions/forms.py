"""The form staff use to record a “You said, we did” action."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput, GovSubmitInput, GovTextArea
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import STRIP
from ..models import ActionStatus
from ..surveys.kinds import GovDateField



class YouSaidWeDidForm(FlaskForm):
    you_said = TextAreaField(
        _l("What families said"), description=_l("In their words where you can, for example: “Nobody rings back.”"),
        widget=GovTextArea(), filters=STRIP,
        validators=[DataRequired(message=_l("Enter what families said")),
                    Length(max=2000, message=_l("What families said must be 2000 characters or fewer"))])
    we_did = TextAreaField(
        _l("What the council did or will do"), widget=GovTextArea(), filters=STRIP,
        validators=[DataRequired(message=_l("Enter what the council did or will do")),
                    Length(max=2000, message=_l("What the council did must be 2000 characters or fewer"))])
    due_on = GovDateField(_l("By when"), description=_l("The date it will be done, or was done. For example, 27 3 2027"),
                          widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    status = RadioField(_l("Status"), choices=[(s.value, _l(s.label)) for s in ActionStatus], default=ActionStatus.PLANNED.value,
                        widget=GovRadioInput(), validators=[DataRequired(message=_l("Choose a status"))])
    reason = TextAreaField(
        _l("If it is not possible, why"), description=_l("Families see this reason beside the action."),
        widget=GovTextArea(), filters=STRIP,
        validators=[Length(max=2000, message=_l("The reason must be 2000 characters or fewer"))])
    owner = StringField(
        _l("Who is responsible"), description=_l("A team or role, not a person’s name, for example: SEND Transport team. It is published."),
        widget=GovTextInput(), filters=STRIP,
        validators=[Length(max=200, message=_l("Who is responsible must be 200 characters or fewer"))])
    published_in = StringField(
        _l("Where it was published"), description=_l("For example: Local Offer newsletter, March 2027. Leave empty if not yet."),
        widget=GovTextInput(), filters=STRIP,
        validators=[Length(max=500, message=_l("Where it was published must be 500 characters or fewer"))])
    surveys = SelectMultipleField(_l("Survey waves it came from"), description=_l("Choose all that apply."),
                                  coerce=int, widget=GovCheckboxesInput(), validators=[Optional()])
    themes = SelectMultipleField(_l("Themes families raised"), description=_l("Choose all that apply."),
                                 coerce=int, widget=GovCheckboxesInput(), validators=[Optional()])
    ideas = SelectMultipleField(_l("Youth Forum ideas it answers"), coerce=int, widget=GovCheckboxesInput(),
                                validators=[Optional()])
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())


class ProgressUpdateForm(FlaskForm):
    """A dated progress update; its status choices are the ones the action may move to."""

    status = RadioField(_l("Status after this update"), widget=GovRadioInput(),
                        validators=[DataRequired(message=_l("Choose a status"))])
    text = TextAreaField(
        _l("What happened"), description=_l("Families read this. If it is not possible, say why."),
        widget=GovTextArea(), filters=STRIP,
        validators=[DataRequired(message=_l("Enter what happened")),
                    Length(max=2000, message=_l("What happened must be 2000 characters or fewer"))])
    happened_on = GovDateField(_l("When it happened"), description=_l("For example, 27 3 2027"), widget=GovDateInput(),
                               format="%d %m %Y", validators=[DataRequired(message=_l("Enter the date it happened"))])
    submit = SubmitField(_l("Post update"), widget=GovSubmitInput())
