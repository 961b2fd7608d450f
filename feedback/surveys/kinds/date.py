"""A date, as day, month and year boxes."""

from flask_babel import format_date, lazy_gettext as _l, gettext as _
from datetime import date

from .base import GovDateField, NoSettings, QuestionKind, legend
from ...widgets import GovDateInput


class Date(QuestionKind):
    name, label = "date", "Date"
    Settings = NoSettings

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
            validators=self._validators(question),
        )

    def to_rows(self, question, data):
        return [(data.isoformat(), None)] if data else []

    def to_data(self, question, rows):
        return date.fromisoformat(rows[0][0]) if rows else None

    def display(self, question, rows):
        return format_date(date.fromisoformat(rows[0][0]), "d MMMM y") if rows else _("Not answered")
