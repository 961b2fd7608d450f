"""Forms for building surveys and for co-design."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
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

MATCH_CHOICES = [("all", _l("All of the ticked questions must match (and)")),
                 ("any", _l("Any one of the ticked questions is enough (or)"))]

LONDON = ZoneInfo("Europe/London")
DIMENSIONS = [
    ("communication", _l("Communication")),
    ("timeliness", _l("Timeliness")),
    ("transition", _l("Transition to adulthood")),
    ("coproduction", _l("Co-production")),
    ("experience", _l("Overall experience")),
]
AUDIENCES = [
    (Audience.PARENT_CARERS.value, _l("Parent carers")),
    (Audience.YOUNG_PEOPLE.value, _l("Young people")),
    (Audience.BOTH.value, _l("Parent carers and young people")),
]


def dimension_names(keys) -> list[str]:
    """What each of a question's measures is called, in the reader's language."""
    labels = dict(DIMENSIONS)
    return [str(labels.get(key, key)) for key in keys]


def date_field(label, hint, required):
    return GovDateField(label, description=hint, widget=GovDateInput(), format="%d %m %Y",
                        validators=[InputRequired(message=required)])


def opening_date(hint):
    return date_field(_l("Opening date"), hint, _l("Enter the opening date"))


def closing_date():
    return date_field(_l("Closing date"), _l("The survey closes at the start of this day"), _l("Enter the closing date"))


def local_midnight(day) -> datetime:
    """Dates are entered as UK calendar days: a survey opens at the start of that day."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


class SurveyForm(FlaskForm):
    title = text_field(_l("Title"), 200, _l("Enter a title"), _l("What families will see, for example ‘Communication with the SEND service’"),
                       too_long_error=_l("Title must be %(max)d characters or fewer"))
    purpose = text_field(_l("What the survey is for"), 2000, _l("Say what the survey is for"),
                         _l("Shown on the start page. Use plain words; say what will happen with the answers."), area=True,
                         too_long_error=_l("What the survey is for must be %(max)d characters or fewer"))
    audience = RadioField(_l("Who is it for?"), choices=AUDIENCES, widget=GovRadioInput(),
                          validators=[InputRequired(message=_l("Select who the survey is for"))])
    service_area = text_field(_l("Service area"), 100, _l("Enter the service area"), _l("For example, EHCP assessments or Preparing for adulthood"),
                              too_long_error=_l("Service area must be %(max)d characters or fewer"))
    wave_label = text_field(_l("Wave"), 100, _l("Enter a wave name"), _l("For example, Autumn 2026. Later waves re-run the same questions."),
                            too_long_error=_l("Wave must be %(max)d characters or fewer"))
    opens_on = opening_date(_l("For example, 1 12 2026"))
    closes_on = closing_date()
    estimated_minutes = IntegerField(_l("How many minutes it takes"), widget=GovTextInput(),
                                     validators=[InputRequired(message=_l("Enter how many minutes it takes")),
                                                 NumberRange(min=1, max=120, message=_l("Minutes must be between 1 and 120"))])
    anonymous = BooleanField(_l("Anonymous: do not ask for names or contact details"), widget=GovCheckboxInput(), default=True)
    privacy_text = text_field(_l("Privacy information"), 4000, _l("Enter the privacy information"),
                              _l("What is collected, why, how long it is kept, and who sees it."), area=True,
                              too_long_error=_l("Privacy information must be %(max)d characters or fewer"))
    retention_days = IntegerField(_l("Keep answers for (days)"), default=730, widget=GovTextInput(),
                                  validators=[InputRequired(message=_l("Enter how long answers are kept")),
                                              NumberRange(min=30, max=3650, message=_l("Keep answers between 30 and 3650 days"))])
    submit = SubmitField(_l("Save survey"), widget=GovSubmitInput())

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data <= self.opens_on.data:
            raise ValidationError(_("The closing date must be after the opening date"))

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

    kind = RadioField(_l("What kind of question is it?"), widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Select the kind of question"))])
    text = text_field(_l("Question"), 500, _l("Enter the question"),
                      too_long_error=_l("Question must be %(max)d characters or fewer"))
    hint = text_field(_l("Hint (optional)"), 500, hint=_l("Extra help shown under the question"),
                      too_long_error=_l("Hint (optional) must be %(max)d characters or fewer"))
    required = BooleanField(_l("People must answer this question"), widget=GovCheckboxInput())
    dimensions = SelectMultipleField(_l("What does it measure?"), choices=DIMENSIONS, widget=GovCheckboxesInput(),
                                     description=_l("Questions tagged Communication count towards the communication-quality indicator."))
    page = IntegerField(_l("Page"), default=1, widget=GovTextInput(),
                        description=_l("Questions with the same page number are shown together"),
                        validators=[InputRequired(message=_l("Enter a page number")),
                                    NumberRange(min=1, max=50, message=_l("Page must be between 1 and 50"))])
    show_if = SelectMultipleField(_l("Only show this question if…"), widget=GovCheckboxesInput(), validators=[Optional()],
                                  description=_l("Routing: leave all unticked to always show it. Ticking more than "
                                                 "one answer to the same question means any of them."))
    show_if_match = RadioField(_l("When more than one question is ticked"), default="all", widget=GovRadioInput(),
                               choices=MATCH_CHOICES, validators=[Optional()])
    submit = SubmitField(_l("Save question"), widget=GovSubmitInput())

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
        setattr(Builder, settings_name(each), FormField(each.Settings, label=_l(each.label)))
    if question is not None and kind in (None, question.kind):
        kwargs[settings_name(kind_of(question))] = kind_of(question).settings_data(question)
    form = Builder(obj=question, **kwargs)
    form.kind.choices = [(k.name, _l(k.label)) for k in KINDS.values()]
    if kind is not None:
        form.kind.data = kind
    return form


class RouteForm(FlaskForm):
    """A route after one page: when these answers match, go to a later page or end the survey."""

    answers = SelectMultipleField(_l("If the family answered…"), widget=GovCheckboxesInput(),
                                  validators=[InputRequired(message=_l("Select at least one answer"))],
                                  description=_l("Ticking more than one answer to the same question means any of them."))
    match = RadioField(_l("When more than one question is ticked"), default="all", widget=GovRadioInput(),
                       choices=MATCH_CHOICES, validators=[InputRequired(message=_l("Select all or any"))])
    goto = SelectField(_l("Then"), widget=GovSelect(), validators=[InputRequired(message=_l("Select where to go"))])
    submit = SubmitField(_l("Add route"), widget=GovSubmitInput())

    def rule(self):
        return rule_from_choices(self.match.data, self.answers.data)

    def goto_page(self) -> int | None:
        return None if self.goto.data == "end" else int(self.goto.data)


class BankForm(FlaskForm):
    questions = SelectMultipleField(_l("Questions from the bank"), coerce=int, widget=GovCheckboxesInput(),
                                    validators=[InputRequired(message=_l("Select at least one question"))])
    page = IntegerField(_l("Add to page"), default=1, widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter a page number")),
                                    NumberRange(min=1, max=50, message=_l("Page must be between 1 and 50"))])
    submit = SubmitField(_l("Add questions"), widget=GovSubmitInput())


class PartnerForm(FlaskForm):
    organisation = SelectField(_l("Partner group"), coerce=int, widget=GovSelect(),
                               validators=[InputRequired(message=_l("Select a group"))])
    submit = SubmitField(_l("Invite to co-design"), widget=GovSubmitInput())


class OpenForm(FlaskForm):
    override_reason = text_field(_l("Reason for opening without every sign-off"), 1000, area=True,
                                 hint=_l("Recorded in the co-design history and shown to partners"),
                                 too_long_error=_l("Reason for opening without every sign-off must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Open the survey"), widget=GovSubmitInput())


class WaveForm(FlaskForm):
    wave_label = text_field(_l("Name of the new wave"), 100, _l("Enter a wave name"), _l("For example, Spring 2027"),
                            too_long_error=_l("Name of the new wave must be %(max)d characters or fewer"))
    opens_on = opening_date(_l("For example, 1 3 2027"))
    closes_on = closing_date()
    submit = SubmitField(_l("Create the new wave"), widget=GovSubmitInput())

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
    suggested_text = text_field(_l("Suggested wording for the option"), 200, _l("Enter the option’s wording"),
                                too_long_error=_l("Suggested wording for the option must be %(max)d characters or fewer"))
    reason = text_field(_l("Why (optional)"), 1000, area=True,
                        too_long_error=_l("Why (optional) must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Suggest this option"), widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = text_field(_l("Reason for declining"), 1000, _l("Give a reason the group can see"), area=True,
                        too_long_error=_l("Reason for declining must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Decline suggestion"), widget=GovSubmitInput())



class ChannelForm(FlaskForm):
    channel = RadioField(_l("How was this reply given?"), widget=GovRadioInput(),
                         choices=[("phone", _l("By phone")), ("paper", _l("On paper")), ("event", _l("At an event"))],
                         validators=[InputRequired(message=_l("Select how the reply was given"))])
    submit = SubmitField(_l("Start entering the reply"), widget=GovSubmitInput())
