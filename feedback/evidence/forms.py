"""Forms for evidence: off-platform co-production, a survey's stage of participation, a
cohort from the council's statistics, and the period of an evidence pack."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ..forms import text_field
from ..models import Lundy, Stage
from ..surveys.kinds import GovDateField
from .reach import DIMENSIONS

STAGE_CHOICES = [(s.value, s.label) for s in Stage]
LUNDY_CHOICES = [(v.value, f"{v.label}: {v.hint}") for v in Lundy]
STAGE_HINT = ("Information: families were told. Consultation: asked for views on a draft. Participation: "
              "helped shape it, the council decided. Co-production: designed and decided together.")


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class ActivityForm(FlaskForm):
    title = text_field("What happened", 200, required="Enter what happened",
                       hint="For example, Short breaks workshop with Family Voice Norfolk")
    happened_on = GovDateField("When it happened", description="For example, 27 3 2026", widget=GovDateInput(),
                               format="%d %m %Y", validators=[InputRequired(message="Enter the date it happened")])
    groups = SelectMultipleField("Groups that took part", coerce=int, widget=GovCheckboxesInput(),
                                 validators=[DataRequired(message="Choose at least one group that took part")])
    stage = RadioField("Stage of participation", choices=STAGE_CHOICES, description=STAGE_HINT,
                       widget=GovRadioInput(), validators=[DataRequired(message="Choose the stage of participation")])
    lundy = SelectMultipleField("Lundy model elements met (for work with young people)", choices=LUNDY_CHOICES,
                                widget=GovCheckboxesInput(), validators=[Optional()])
    outcome = text_field("What changed because of it", 4000, area=True,
                         required="Enter what changed because of it, or what was decided",
                         hint="What was decided or changed, and who was told. Do not name individuals.")
    survey = SelectField("Survey it shaped", coerce=optional_id, widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ParticipationForm(FlaskForm):
    stage = RadioField("Stage of participation", choices=STAGE_CHOICES, description=STAGE_HINT,
                       widget=GovRadioInput(), validators=[DataRequired(message="Choose the stage of participation")])
    lundy = SelectMultipleField("Lundy model elements met (for work with young people)", choices=LUNDY_CHOICES,
                                widget=GovCheckboxesInput(), validators=[Optional()])
    note = text_field("Note", 2000, area=True, hint="Why this stage, for the evidence pack. Do not name individuals.")
    submit = SubmitField("Save", widget=GovSubmitInput())


def figure_field_name(dimension: str, index: int) -> str:
    return f"{dimension}_{index}"


class _CohortForm(FlaskForm):
    name = text_field("Who the figures are about", 200, required="Enter who the figures are about",
                      hint="For example, Children and young people with an EHC plan or on SEN support")
    source = text_field("Where the figures come from", 1000, area=True,
                        hint="For example, the school census and the SEN2 return, January 2026")
    as_of = GovDateField("Date of the figures", description="For example, 16 1 2026", widget=GovDateInput(),
                         format="%d %m %Y", validators=[InputRequired(message="Enter the date of the figures")])
    submit = SubmitField("Save cohort", widget=GovSubmitInput())

    def figures(self) -> dict[str, dict[str, int | None]]:
        found = {}
        for dimension, (_, _, groups) in DIMENSIONS.items():
            found[dimension] = {key: self[figure_field_name(dimension, i)].data for i, (key, _) in enumerate(groups)}
        return found


def _figure(label: str) -> IntegerField:
    return IntegerField(label, widget=GovTextInput(), validators=[
        Optional(), NumberRange(min=0, max=10_000_000, message=f"{label}: enter a whole number, 0 or more")])


def cohort_form(*args, **kwargs) -> _CohortForm:
    """The cohort form with one box per locality and per age band."""

    class CohortForm(_CohortForm):
        pass

    for dimension, (_, _, groups) in DIMENSIONS.items():
        for index, (_, label) in enumerate(groups):
            setattr(CohortForm, figure_field_name(dimension, index), _figure(label))
    return CohortForm(*args, **kwargs)


class PackForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: choosing a period changes nothing

    start = GovDateField("From", description="For example, 1 4 2025", widget=GovDateInput(), format="%d %m %Y",
                         validators=[InputRequired(message="Enter the start of the period")])
    end = GovDateField("To", description="For example, 31 3 2026", widget=GovDateInput(), format="%d %m %Y",
                       validators=[InputRequired(message="Enter the end of the period")])
