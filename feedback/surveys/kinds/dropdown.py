"""A drop-down list (a select): one option from a long list, such as a school or a service."""

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from ...text import N_
from .base import ChoiceKind, Options, Specials, label


class Dropdown(ChoiceKind):
    name, label = "dropdown", N_("Drop-down list")
    worded_options = own_options = True

    class Settings(Options, Specials):
        pass

    def options(self, question):
        return [(option, option) for option in question.options]

    def field_params(self, question, heading):
        return {"label": label(question, heading)}

    def field(self, question):
        return SelectField(
            question.text,
            description=question.hint,
            choices=[("", _("Choose an answer"))] + self.answer_choices(question),
            widget=GovSelect(),
            validators=self._validators(question),
            validate_choice=True,
        )
