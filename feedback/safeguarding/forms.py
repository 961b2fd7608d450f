"""Safeguarding forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


class MarkActionedForm(FlaskForm):
    note = TextAreaField(
        _l("What did you do?"),
        widget=GovTextArea(),
        description=_l("For example: referred to the Children's Advice and Duty Service, spoke to the young person's key worker."),
        validators=[
            InputRequired(message=_l("Enter what you did about this flag")),
            Length(max=2000, message=_l("What you did must be 2000 characters or fewer")),
        ],
    )
    submit = SubmitField("Mark as actioned", widget=GovSubmitInput())
