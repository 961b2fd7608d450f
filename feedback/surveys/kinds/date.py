"""A date, as day, month and year boxes; a question may ask for a date in the past or in the
future (its `when` setting), judged by today's date in the UK."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date, lazy_gettext as _l, gettext as _
from wtforms import RadioField
from wtforms.validators import InputRequired

from .base import DateOptional, GovDateField, NoSettings, QuestionKind, legend, setting
from ...widgets import GovDateInput, GovRadioInput
from ...text import N_

LONDON = ZoneInfo("Europe/London")
ANY, PAST, FUTURE = "any", "past", "future"


def today() -> date:
    return datetime.now(LONDON).date()


class Date(QuestionKind):
    name, label = "date", N_("Date")

    class Settings(NoSettings):
        when = RadioField(_l("Which dates can people give?"), widget=GovRadioInput(), default=ANY, validate_choice=True,
                          choices=[(ANY, _l("Any date")), (PAST, _l("Date must be in the past (today or earlier)")),
                                   (FUTURE, _l("Date must be in the future (today or later)"))])

    def settings_data(self, question):
        return {"when": setting(question, "when") or ANY}

    def required_message(self, question):
        return _l("Enter a date for ‘%(question)s’", question=question.text)

    def field_params(self, question, heading):
        return legend(question, heading)

    def field(self, question):
        return GovDateField(
            question.text,
            description=question.hint or _l("For example, 27 3 2024"),
            widget=GovDateInput(),
            format="%d %m %Y",
            validators=([InputRequired(message=self.required_message(question))] if question.required
                        else [DateOptional()]) + [self.field_check(question)],
            named=question.text,
        )

    def problem(self, question, data):
        if data is None:
            return None
        if not isinstance(data, date):
            return _("‘%(question)s’ must be a real date, like 27 3 2024", question=question.text)
        when = setting(question, "when") or ANY
        if when == PAST and data > today():
            return _("‘%(question)s’ must be today or in the past", question=question.text)
        if when == FUTURE and data < today():
            return _("‘%(question)s’ must be today or in the future", question=question.text)
        return None

    def to_rows(self, question, data):
        return [(data.isoformat(), None)] if data else []

    def to_data(self, question, rows):
        return date.fromisoformat(rows[0][0]) if rows else None

    def display(self, question, rows):
        return format_date(date.fromisoformat(rows[0][0]), "d MMMM y") if rows else _("Not answered")
