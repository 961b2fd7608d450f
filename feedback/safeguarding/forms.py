"""Safeguarding forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from ..forms import text_field


class MarkActionedForm(FlaskForm):
    note = text_field(
        _l("What did you do?"), 2000, _l("Enter what you did about this flag"),
        _l("For example: referred to the Children's Advice and Duty Service, spoke to the young person's key worker."),
        area=True, too_long_error=_l("What you did must be 2000 characters or fewer"))
    submit = SubmitField("Mark as actioned", widget=GovSubmitInput())
