"""Forms for data protection requests: find a person by email, export or erase their data."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired

from ..forms import email_field


class FindPersonForm(FlaskForm):
    email = email_field(_l("Email address of the person making the request"))
    submit = SubmitField(_l("Find their data"), widget=GovSubmitInput())


class ExportPersonForm(FlaskForm):
    email = HiddenField(validators=[InputRequired(), Email(check_deliverability=False)])


class ErasePersonForm(FlaskForm):
    email = HiddenField(validators=[InputRequired(), Email(check_deliverability=False)])
    confirm = BooleanField(
        _l("I have checked who is asking, and the law allows this erasure (no exemption applies)"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(message=_l("Confirm you have checked the request before erasing"))],
    )
    submit = SubmitField(_l("Erase their data"), widget=GovSubmitInput())
