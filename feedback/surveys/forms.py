"""Forms for building surveys and for co-design."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..forms import text_field
from ..models import Audience
from ..widgets import GovCheckboxesInput, GovDateInput, GovRadioInput
from .kinds import KINDS, GovDateField

LONDON = ZoneInfo("Europe/London")
DIMENSIONS = [
    ("communication", "Communication"),
    ("timeliness", "Timeliness"),
    ("transition", "Transition to adulthood"),
    ("coproduction", "Co-production"),
    ("experience", "Overall experience"),
]
AUDIENCES = [
    (Audience.PARENT_CARERS.value, _l("Parent carers")),
    (Audience.YOUNG_PEOPLE.value, _l("Young people")),
    (Audience.BOTH.value, _l("Parent carers and young people")),
]


def date_field(label, hint):
    return GovDateField(label, description=hint, widget=GovDateInput(), format="%d %m %Y",
                        validators=[InputRequired(message=f"Enter the {label.lower()}")])


def local_midnight(day) -> datetime:
    """Dates are entered as UK calendar days: a survey opens at the start of that day."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


class SurveyForm(FlaskForm):
    title = text_field("Title", 200, "Enter a title", "What families will see, for example ‘Communication with the SEND service’")
    purpose = text_field("What the survey is for", 2000, "Say what the survey is for",
                         "Shown on the start page. Use plain words; say what will happen with the answers.", area=True)
    audience = RadioField("Who is it for?", choices=AUDIENCES, widget=GovRadioInput(),
                          validators=[InputRequired(message="Select who the survey is for")])
    service_area = text_field("Service area", 100, "Enter the service area", "For example, EHCP assessments or Preparing for adulthood")
    wave_label = text_field("Wave", 100, "Enter a wave name", "For example, Autumn 2026. Later waves re-run the same questions.")
    opens_on = date_field("Opening date", "For example, 1 12 2026")
    closes_on = date_field("Closing date", "The survey closes at the start of this day")
    estimated_minutes = IntegerField("How many minutes it takes", widget=GovTextInput(),
                                     validators=[InputRequired(message="Enter how many minutes it takes"),
                                                 NumberRange(min=1, max=120, message="Minutes must be between 1 and 120")])
    anonymous = BooleanField("Anonymous: do not ask for names or contact details", widget=GovCheckboxInput(), default=True)
    privacy_text = text_field("Privacy information", 4000, "Enter the privacy information",
                              "What is collected, why, how long it is kept, and who sees it.", area=True)
    retention_days = IntegerField("Keep answers for (days)", default=730, widget=GovTextInput(),
                                  validators=[InputRequired(message="Enter how long answers are kept"),
                                              NumberRange(min=30, max=3650, message="Keep answers between 30 and 3650 days")])
    submit = SubmitField("Save survey", widget=GovSubmitInput())

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data <= self.opens_on.data:
            raise ValidationError("The closing date must be after the opening date")

    def survey_fields(self) -> dict:
        return {
            "title": self.title.data, "purpose": self.purpose.data, "audience": self.audience.data,
            "service_area": self.service_area.data, "wave_label": self.wave_label.data,
            "opens_at": local_midnight(self.opens_on.data), "closes_at": local_midnight(self.closes_on.data),
            "anonymous": self.anonymous.data, "privacy_text": self.privacy_text.data,
            "estimated_minutes": self.estimated_minutes.data, "retention_days": self.retention_days.data,
        }


class QuestionForm(FlaskForm):
    kind = RadioField("Kind of question", choices=[(k.name, k.label) for k in KINDS.values()],
                      widget=GovRadioInput(), validators=[InputRequired(message="Select the kind of question")])
    text = text_field("Question", 500, "Enter the question")
    hint = text_field("Hint (optional)", 500, hint="Extra help shown under the question")
    options = text_field("Options", 4000, hint="For single and multiple choice: one option on each line", area=True)
    required = BooleanField("People must answer this question", widget=GovCheckboxInput())
    allow_dont_know = BooleanField("Offer ‘Don't know’", widget=GovCheckboxInput())
    allow_prefer_not = BooleanField("Offer ‘Prefer not to say’", widget=GovCheckboxInput())
    max_length = IntegerField("Most characters allowed (free text)", widget=GovTextInput(),
                              validators=[Optional(), NumberRange(min=10, max=5000, message="Between 10 and 5000 characters")])
    min_value = IntegerField("Smallest number allowed (number)", widget=GovTextInput(), validators=[Optional()])
    max_value = IntegerField("Largest number allowed (number)", widget=GovTextInput(), validators=[Optional()])
    dimensions = SelectMultipleField("What does it measure?", choices=DIMENSIONS, widget=GovCheckboxesInput(),
                                     description="Questions tagged Communication count towards the communication-quality indicator.")
    page = IntegerField("Page", default=1, widget=GovTextInput(),
                        description="Questions with the same page number are shown together",
                        validators=[InputRequired(message="Enter a page number"),
                                    NumberRange(min=1, max=50, message="Page must be between 1 and 50")])
    show_if = SelectField("Only show this question if…", widget=GovSelect(), validators=[Optional()],
                          description="Routing: show it only when an earlier answer has a given value")
    submit = SubmitField("Save question", widget=GovSubmitInput())

    def validate_options(self, field):
        kind = KINDS.get(self.kind.data)
        if kind and kind.has_options and len(self.option_list()) < 2:
            raise ValidationError("Enter at least 2 options, one on each line")
        if len(set(self.option_list())) != len(self.option_list()):
            raise ValidationError("Each option must be different")

    def validate_max_value(self, field):
        if field.data is not None and self.min_value.data is not None and field.data < self.min_value.data:
            raise ValidationError("The largest number must be more than the smallest")

    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def question_fields(self) -> dict:
        kind = KINDS[self.kind.data]
        show_if_question_id, show_if_value = None, None
        if self.show_if.data:
            question_id, _, value = self.show_if.data.partition(":")
            show_if_question_id, show_if_value = int(question_id), value
        return {
            "kind": kind.name, "text": self.text.data, "hint": self.hint.data or "",
            "required": self.required.data,
            "options": self.option_list() if kind.has_options else [],
            "allow_dont_know": self.allow_dont_know.data and kind.offers_specials,
            "allow_prefer_not": self.allow_prefer_not.data and kind.offers_specials,
            "max_length": self.max_length.data if kind.name == "free_text" else None,
            "min_value": self.min_value.data if kind.name == "number" else None,
            "max_value": self.max_value.data if kind.name == "number" else None,
            "dimensions": list(self.dimensions.data or []), "page": self.page.data,
            "show_if_question_id": show_if_question_id, "show_if_value": show_if_value,
        }


class BankForm(FlaskForm):
    questions = SelectMultipleField("Questions from the bank", coerce=int, widget=GovCheckboxesInput(),
                                    validators=[InputRequired(message="Select at least one question")])
    page = IntegerField("Add to page", default=1, widget=GovTextInput(),
                        validators=[InputRequired(message="Enter a page number"),
                                    NumberRange(min=1, max=50, message="Page must be between 1 and 50")])
    submit = SubmitField("Add questions", widget=GovSubmitInput())


class PartnerForm(FlaskForm):
    organisation = SelectField("Partner group", coerce=int, widget=GovSelect(),
                               validators=[InputRequired(message="Select a group")])
    submit = SubmitField("Invite to co-design", widget=GovSubmitInput())


class OpenForm(FlaskForm):
    override_reason = text_field("Reason for opening without every sign-off", 1000, area=True,
                                 hint="Recorded in the co-design history and shown to partners")
    submit = SubmitField("Open the survey", widget=GovSubmitInput())


class WaveForm(FlaskForm):
    wave_label = text_field("Name of the new wave", 100, "Enter a wave name", "For example, Spring 2027")
    opens_on = date_field("Opening date", "For example, 1 3 2027")
    closes_on = date_field("Closing date", "The survey closes at the start of this day")
    submit = SubmitField("Create the new wave", widget=GovSubmitInput())

    validate_closes_on = SurveyForm.validate_closes_on


class CommentForm(FlaskForm):
    body = text_field("Comment", 2000, "Enter your comment", area=True)
    submit = SubmitField("Add comment", widget=GovSubmitInput())


class SuggestionForm(FlaskForm):
    suggested_text = text_field("Suggested wording", 500, "Enter your suggested wording")
    reason = text_field("Why (optional)", 1000, area=True)
    submit = SubmitField("Suggest this wording", widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = text_field("Reason for declining", 1000, "Give a reason the group can see", area=True)
    submit = SubmitField("Decline suggestion", widget=GovSubmitInput())



class ChannelForm(FlaskForm):
    channel = RadioField("How was this reply given?", widget=GovRadioInput(),
                         choices=[("phone", "By phone"), ("paper", "On paper"), ("event", "At an event")],
                         validators=[InputRequired(message="Select how the reply was given")])
    submit = SubmitField("Start entering the reply", widget=GovSubmitInput())
