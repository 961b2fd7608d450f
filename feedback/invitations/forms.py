"""Forms for invitation lists and the contact list."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, EmailField, RadioField, SubmitField, TelField
from wtforms.validators import Length, Optional, ValidationError

from ..forms import STRIP, either_given, email_field
from ..models import ContactAudience
from ..widgets import GovRadioInput
from .services import normalise_mobile


class UploadForm(FlaskForm):
    contacts = FileField(
        _l("Upload a list of people to invite"), widget=GovFileInput(),
        description=_l("A CSV file with a first row naming the columns ‘email’, ‘mobile’ or both, then one "
                       "person a row. Each person needs an email address or a UK mobile number."))
    submit = SubmitField(_l("Upload the list"), widget=GovSubmitInput())

    def validate_contacts(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            raise ValidationError(_l("Select a CSV file"))
        if not upload.filename.lower().endswith(".csv"):
            raise ValidationError(_l("The selected file must be a CSV"))


class WhoForm(FlaskForm):
    audience = RadioField(
        _l("Who are you?"), widget=GovRadioInput(),
        choices=[(ContactAudience.PARENT_CARER.value, _l("A parent or carer")),
                 (ContactAudience.YOUNG_PERSON.value, _l("A young person aged 13 to 25"))],
        description=_l("If you are under 13, ask your parent or carer to sign up for you."),
        validators=[Optional()])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_audience(self, field):
        if not field.data:
            raise ValidationError(_l("Select who you are"))


class SignUpForm(FlaskForm):
    email = email_field(required=None)
    mobile = TelField(_l("Mobile number"), widget=GovTextInput(), filters=STRIP,
                      description=_l("A UK mobile number, for text messages. For example, 07700 900 982."),
                      validators=[Optional(), Length(max=20, message=_l("Enter a UK mobile number, like 07700 900 982"))])
    wants_surveys = BooleanField(_l("New surveys"), widget=GovCheckboxInput(), default=True)
    wants_results = BooleanField(_l("Results and what changed because of them"), widget=GovCheckboxInput(), default=True)
    consent = BooleanField("", widget=GovCheckboxInput())
    submit = SubmitField(_l("Send me a link to confirm"), widget=GovSubmitInput())

    def validate_mobile(self, field):
        if field.data and normalise_mobile(field.data) is None:
            raise ValidationError(_l("Enter a UK mobile number, like 07700 900 982"))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Tick the box to say you agree, or you cannot join the list"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not either_given(self.email, self.mobile, _l("Enter an email address or a mobile number")):
            return False
        if not self.wants_surveys.data and not self.wants_results.data:
            self.wants_surveys.errors.append(_l("Choose at least one thing to hear about"))
            return False
        return valid


class LeaveForm(FlaskForm):
    email = EmailField(_l("Email address"), widget=GovTextInput(), filters=STRIP,
                       validators=[Optional(), Length(max=254)])
    mobile = TelField(_l("Mobile number"), widget=GovTextInput(), filters=STRIP, validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("Take me off the list"), widget=GovSubmitInput())

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.email.data and not self.mobile.data:
            self.email.errors.append(_l("Enter the email address or mobile number you signed up with"))
            return False
        return valid
