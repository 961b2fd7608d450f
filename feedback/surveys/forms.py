"""Forms for building surveys and for co-design."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FormField,
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
from .kinds import KINDS, GovDateField, kind_of, settings_name
from .routing import rule_from_choices

MATCH_CHOICES = [("all", "All of the ticked questions must match (and)"),
                 ("any", "Any one of the ticked questions is enough (or)")]

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
    """The question builder. The kind is chosen first; then its own settings, a form of the
    kind's (see feedback/surveys/kinds), are shown and checked, and no other kind's."""

    kind = RadioField("What kind of question is it?", widget=GovRadioInput(),
                      validators=[InputRequired(message="Select the kind of question")])
    text = text_field("Question", 500, "Enter the question")
    hint = text_field("Hint (optional)", 500, hint="Extra help shown under the question")
    required = BooleanField("People must answer this question", widget=GovCheckboxInput())
    dimensions = SelectMultipleField("What does it measure?", choices=DIMENSIONS, widget=GovCheckboxesInput(),
                                     description="Questions tagged Communication count towards the communication-quality indicator.")
    page = IntegerField("Page", default=1, widget=GovTextInput(),
                        description="Questions with the same page number are shown together",
                        validators=[InputRequired(message="Enter a page number"),
                                    NumberRange(min=1, max=50, message="Page must be between 1 and 50")])
    show_if = SelectMultipleField("Only show this question if…", widget=GovCheckboxesInput(), validators=[Optional()],
                                  description="Routing: leave all unticked to always show it. Ticking more than "
                                              "one answer to the same question means any of them.")
    show_if_match = RadioField("When more than one question is ticked", default="all", widget=GovRadioInput(),
                               choices=MATCH_CHOICES, validators=[Optional()])
    submit = SubmitField("Save question", widget=GovSubmitInput())

    def chosen_kind(self):
        return KINDS.get(self.kind.data)

    def settings_form(self):
        kind = self.chosen_kind()
        return self[settings_name(kind)].form if kind else None

    def validate(self, extra_validators=None):
        """Every field but the settings of kinds not chosen."""
        chosen = self.chosen_kind()
        skipped = {settings_name(kind) for kind in KINDS.values() if kind is not chosen}
        extra = dict(extra_validators or {})
        for name in self._fields:
            inline = getattr(self.__class__, f"validate_{name}", None)
            if inline is not None:
                extra.setdefault(name, []).append(inline)
        self.form_errors, valid = [], True
        for name, field in self._fields.items():
            if name not in skipped and not field.validate(self, extra.get(name, ())):
                valid = False
        return valid

    def settings_html(self) -> Markup:
        """The chosen kind's own settings, drawn with GOV.UK macros."""
        settings = self.settings_form()
        if settings is None:
            return Markup("")
        return Markup("").join(field(params=settings.PARAMS.get(name, {})) for name, field in settings._fields.items())

    def question_fields(self) -> dict:
        kind = self.chosen_kind()
        rule = rule_from_choices(self.show_if_match.data or "all", self.show_if.data or [])
        fields = kind.stored_settings(self.settings_form())
        if not kind.offers_specials:
            fields["allow_dont_know"] = fields["allow_prefer_not"] = False
        return {
            "kind": kind.name, "text": self.text.data, "hint": self.hint.data or "",
            "required": self.required.data, **fields,
            "dimensions": list(self.dimensions.data or []), "page": self.page.data,
            "show_when": rule.stored() if rule else None,
        }


def question_form(question=None, kind: str | None = None, **kwargs) -> QuestionForm:
    """A question builder form for the kinds registered now; `question` fills it for editing,
    with `kind` (if given) in place of its own."""

    class Builder(QuestionForm):
        pass

    for each in KINDS.values():
        setattr(Builder, settings_name(each), FormField(each.Settings, label=each.label))
    if question is not None and kind in (None, question.kind):
        kwargs[settings_name(kind_of(question))] = kind_of(question).settings_data(question)
    form = Builder(obj=question, **kwargs)
    form.kind.choices = [(k.name, k.label) for k in KINDS.values()]
    if kind is not None:
        form.kind.data = kind
    return form


class RouteForm(FlaskForm):
    """A route after one page: when these answers match, go to a later page or end the survey."""

    answers = SelectMultipleField("If the family answered…", widget=GovCheckboxesInput(),
                                  validators=[InputRequired(message="Select at least one answer")],
                                  description="Ticking more than one answer to the same question means any of them.")
    match = RadioField("When more than one question is ticked", default="all", widget=GovRadioInput(),
                       choices=MATCH_CHOICES, validators=[InputRequired(message="Select all or any")])
    goto = SelectField("Then", widget=GovSelect(), validators=[InputRequired(message="Select where to go")])
    submit = SubmitField("Add route", widget=GovSubmitInput())

    def rule(self):
        return rule_from_choices(self.match.data, self.answers.data)

    def goto_page(self) -> int | None:
        return None if self.goto.data == "end" else int(self.goto.data)


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
    body = text_field(_l("Comment"), 2000, _l("Enter your comment"), area=True,
                      too_long_error=_l("Your comment must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Add comment"), widget=GovSubmitInput())


class SuggestionForm(FlaskForm):
    suggested_text = text_field(_l("Suggested wording"), 500, _l("Enter your suggested wording"),
                                too_long_error=_l("Suggested wording must be %(max)d characters or fewer"))
    reason = text_field(_l("Why (optional)"), 1000, area=True,
                        too_long_error=_l("The reason must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Suggest this wording"), widget=GovSubmitInput())


NEW_OPTION = "__new__"


class OptionSuggestionForm(FlaskForm):
    """A partner proposes new wording for one option of a question, or a new option.
    The view sets ``option.choices`` from the question's options."""

    option = RadioField(_l("Which option?"), widget=GovRadioInput(),
                        validators=[InputRequired(message=_l("Select the option to change, or a new option"))])
    suggested_text = text_field(_l("Suggested wording for the option"), 200, _l("Enter the option’s wording"))
    reason = text_field(_l("Why (optional)"), 1000, area=True)
    submit = SubmitField(_l("Suggest this option"), widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = text_field("Reason for declining", 1000, "Give a reason the group can see", area=True)
    submit = SubmitField("Decline suggestion", widget=GovSubmitInput())



class ChannelForm(FlaskForm):
    channel = RadioField("How was this reply given?", widget=GovRadioInput(),
                         choices=[("phone", "By phone"), ("paper", "On paper"), ("event", "At an event")],
                         validators=[InputRequired(message="Select how the reply was given")])
    submit = SubmitField("Start entering the reply", widget=GovSubmitInput())
