"""Forms for evidence: off-platform co-production, a survey's stage of participation, a
cohort from the council's statistics, and the period of an evidence pack."""

from flask_babel import lazy_gettext as _l
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

STAGE_CHOICES = [(s.value, _l(s.label)) for s in Stage]
LUNDY_CHOICES = [(v.value, _l("%(element)s: %(hint)s", element=_l(v.label), hint=_l(v.hint))) for v in Lundy]
STAGE_HINT = _l("Information: families were told. Consultation: asked for views on a draft. Participation: "
                "helped shape it, the council decided. Co-production: designed and decided together.")


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class ActivityForm(FlaskForm):
    title = text_field(_l("What happened"), 200, required=_l("Enter what happened"),
                       hint=_l("For example, Short breaks workshop with Family Voice Norfolk"),
                       too_long_error=_l("What happened must be %(max)d characters or fewer"))
    happened_on = GovDateField(_l("When it happened"), description=_l("For example, 27 3 2026"), widget=GovDateInput(),
                               format="%d %m %Y", validators=[InputRequired(message=_l("Enter the date it happened"))])
    groups = SelectMultipleField(_l("Groups that took part"), coerce=int, widget=GovCheckboxesInput(),
                                 validators=[DataRequired(message=_l("Choose at least one group that took part"))])
    stage = RadioField(_l("Stage of participation"), choices=STAGE_CHOICES, description=STAGE_HINT,
                       widget=GovRadioInput(), validators=[DataRequired(message=_l("Choose the stage of participation"))])
    lundy = SelectMultipleField(_l("Lundy model elements met (for work with young people)"), choices=LUNDY_CHOICES,
                                widget=GovCheckboxesInput(), validators=[Optional()])
    outcome = text_field(_l("What changed because of it"), 4000, area=True,
                         required=_l("Enter what changed because of it, or what was decided"),
                         hint=_l("What was decided or changed, and who was told. Do not name individuals."),
                         too_long_error=_l("What changed must be %(max)d characters or fewer"))
    survey = SelectField(_l("Survey it shaped"), coerce=optional_id, widget=GovSelect(), validators=[Optional()])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ParticipationForm(FlaskForm):
    stage = RadioField(_l("Stage of participation"), choices=STAGE_CHOICES, description=STAGE_HINT,
                       widget=GovRadioInput(), validators=[DataRequired(message=_l("Choose the stage of participation"))])
    lundy = SelectMultipleField(_l("Lundy model elements met (for work with young people)"), choices=LUNDY_CHOICES,
                                widget=GovCheckboxesInput(), validators=[Optional()])
    note = text_field(_l("Note"), 2000, area=True, hint=_l("Why this stage, for the evidence pack. Do not name individuals."),
                      too_long_error=_l("The note must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


def figure_field_name(dimension: str, index: int) -> str:
    return f"{dimension}_{index}"


class _CohortForm(FlaskForm):
    name = text_field(_l("Who the figures are about"), 200, required=_l("Enter who the figures are about"),
                      hint=_l("For example, Children and young people with an EHC plan or on SEN support"),
                      too_long_error=_l("Who the figures are about must be %(max)d characters or fewer"))
    source = text_field(_l("Where the figures come from"), 1000, area=True,
                        hint=_l("For example, the school census and the SEN2 return, January 2026"),
                        too_long_error=_l("Where the figures come from must be %(max)d characters or fewer"))
    as_of = GovDateField(_l("Date of the figures"), description=_l("For example, 16 1 2026"), widget=GovDateInput(),
                         format="%d %m %Y", validators=[InputRequired(message=_l("Enter the date of the figures"))])
    submit = SubmitField(_l("Save cohort"), widget=GovSubmitInput())

    def figures(self) -> dict[str, dict[str, int | None]]:
        found = {}
        for dimension, (_, _, groups) in DIMENSIONS.items():
            found[dimension] = {key: self[figure_field_name(dimension, i)].data for i, (key, _) in enumerate(groups)}
        return found


def _figure(label: str) -> IntegerField:
    return IntegerField(label, widget=GovTextInput(), validators=[
        Optional(), NumberRange(min=0, max=10_000_000, message=_l("%(group)s: enter a whole number, 0 or more", group=label))])


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

    start = GovDateField(_l("From"), description=_l("For example, 1 4 2025"), widget=GovDateInput(), format="%d %m %Y",
                         validators=[InputRequired(message=_l("Enter the start of the period"))])
    end = GovDateField(_l("To"), description=_l("For example, 31 3 2026"), widget=GovDateInput(), format="%d %m %Y",
                       validators=[InputRequired(message=_l("Enter the end of the period"))])
