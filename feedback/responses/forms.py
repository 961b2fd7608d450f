"""Forms families use to answer: built from each question's kind."""

from functools import lru_cache

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..forms import STRIP, either_given, email_field, text_field
from ..surveys.kinds import kind_of
from ..widgets import GovRadioInput
from .services import AGE_BANDS, LOCALITIES, RESPONDENT_TYPES, FixedQuestion


def _page_form_class(questions) -> type[FlaskForm]:
    class PageForm(FlaskForm):
        pass

    for question in questions:
        setattr(PageForm, f"q{question.id}", kind_of(question).field(question))
    return PageForm


_fixed_page_form_class = lru_cache(maxsize=512)(_page_form_class)


def page_form(questions, data=None, csrf: bool = True):
    """A form with one field per question on the page, named q<id>. The form class for the
    fixed questions of an open survey is built once and reused. ``csrf=False``: a form that
    saves nothing (the co-design preview)."""
    questions = tuple(questions)
    if all(isinstance(q, FixedQuestion) for q in questions):
        form_class = _fixed_page_form_class(questions)
    else:
        form_class = _page_form_class(questions)
    return form_class(data=data or {}, **({} if csrf else {"meta": {"csrf": False}}))


# The district names stay as they are in every language; the one that is not a name is translated.
LOCALITY_LABELS = {"Outside Norfolk": _l("Outside Norfolk")}


class StartForm(FlaskForm):
    # A field people never see (hidden with CSS and from screen readers); bots fill it in.
    website = StringField(_l("Leave this empty"), validators=[Optional(), Length(max=200)])
    # Offered when the wave has a version in another language or Easy Read (choices per wave).
    version = RadioField(_l("Which version would you like to answer?"), widget=GovRadioInput(), default="en",
                         validators=[Optional()], validate_choice=True)
    submit = SubmitField(_l("Start now"), widget=GovSubmitInput())


class AboutYouForm(FlaskForm):
    respondent_type = RadioField(_l("Are you…"), choices=RESPONDENT_TYPES, widget=GovRadioInput(), validators=[Optional()])
    locality = SelectField(_l("Which area of Norfolk do you live in?"), widget=GovSelect(),
                           choices=[("", _l("Choose an area (optional)"))] + [(name, LOCALITY_LABELS.get(name, name)) for name in LOCALITIES] + [("prefer_not", _l("Prefer not to say"))],
                           validators=[Optional()])
    child_age_band = RadioField(_l("How old is the child or young person this is about?"), widget=GovRadioInput(),
                                choices=AGE_BANDS + [("prefer_not", _l("Prefer not to say"))], validators=[Optional()])
    consent_to_quote = BooleanField(
        _l("Yes, you can quote what I wrote, without my name or anything that could identify me"),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ResumeForm(FlaskForm):
    code = StringField(_l("Your code"), widget=GovTextInput(), description=_l("For example, ABCD-2345"),
                       validators=[InputRequired(message=_l("Enter the code you were given")),
                                   Length(max=20, message=_l("The code must be 8 letters and numbers, like ABCD-2345"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class EmailCodeForm(FlaskForm):
    email = email_field(required=_l("Enter an email address, like name@example.com"),
                        hint=_l("We use it to send this one email and do not keep it."))
    submit = SubmitField(_l("Email me the code"), widget=GovSubmitInput())


class SubmitForm(FlaskForm):
    submit = SubmitField(_l("Submit your answers"), widget=GovSubmitInput())


class SaveForm(FlaskForm):
    submit = SubmitField(_l("Save and come back later"), widget=GovSubmitInput())


class ContactForm(FlaskForm):
    name = text_field(_l("Your name"), 120, _l("Enter your name"), too_long=_l("Your name"))
    email = email_field(required=None, hint=_l("Give an email address, a phone number or both."))
    phone = TelField(_l("Phone number"), widget=GovTextInput(), filters=STRIP,
                     description=_l("Give a phone number, an email address or both. For example, 01632 960 001."),
                     validators=[Optional(), Length(max=40, message=_l("Enter a phone number, like 01632 960 001 or 07700 900 982"))])
    about = TextAreaField(_l("What would you like to talk about? (optional)"), widget=GovTextArea(), filters=STRIP,
                          validators=[Optional(), Length(max=1000, message=_l("Write 1,000 characters or fewer"))])
    share_answers = BooleanField(
        _l("You can look at the answers I gave when you contact me"),
        description=_l("If you tick this, the person who contacts you will know which answers are yours."),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())

    def validate_phone(self, field):
        digits = sum(ch.isdigit() for ch in field.data)
        if not 10 <= digits <= 15 or any(ch not in "0123456789 +()-" for ch in field.data):
            raise ValidationError(_("Enter a phone number, like 01632 960 001 or 07700 900 982"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return either_given(self.email, self.phone, _("Enter an email address or a phone number so that we can contact you")) and valid
