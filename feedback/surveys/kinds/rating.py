"""A rating from 0 to 10, as a row of radios."""

from flask_babel import gettext as _
from .base import ChoiceKind, Specials, legend
from ...text import N_


class Rating(ChoiceKind):
    name, label = "rating", N_("Rating from 0 to 10")
    Settings = Specials

    def options(self, question):
        return [(str(n), str(n)) for n in range(11)]

    def field_params(self, question, heading):
        params = legend(question, heading)
        params["classes"] = "govuk-radios--inline"
        params["hint"] = {"text": question.hint or _("0 is the worst, 10 is the best")}
        return params

    def to_rows(self, question, data):
        if not data:
            return []
        return [(data, float(data) if data.isdigit() else None)]
