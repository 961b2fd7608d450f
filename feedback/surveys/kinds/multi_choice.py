"""Multiple choice: any number of options (one answer row per option chosen), with
"Other (please specify)" if set."""

from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectMultipleField

from .base import (
    OTHER,
    ChoiceKind,
    Options,
    Other,
    OtherChoice,
    OtherCheckboxesWidget,
    OtherMultipleField,
    largest,
    legend,
    offers_other,
    special_sentences,
)
from ...widgets import GovCheckboxesInput
from ...text import N_


class _Several(ChoiceKind):
    """Any number of the options; "Other" (OtherChoice) comes before this in MultiChoice."""

    offers_specials = False
    result_parts = "each_row"
    result_heading = N_("Chose this option")
    result_notes = [N_("People could choose more than one option, so the percentages add up to more than 100.")]

    def required_message(self, question):
        return _l("Select at least one answer to ‘%(question)s’", question=question.text)

    def options(self, question):
        return [(option, option) for option in question.options] + self.other_choice(question)

    def field_params(self, question, heading):
        return legend(question, heading)

    def field(self, question):
        field_class, widget = ((OtherMultipleField, OtherCheckboxesWidget) if offers_other(question)
                               else (SelectMultipleField, GovCheckboxesInput))
        return field_class(
            question.text,
            description=question.hint or _l("Select all that apply."),
            choices=self.answer_choices(question),
            widget=widget(),
            validators=self._validators(question),
        )

    def to_rows(self, question, data):
        chosen = set(data or [])
        # Keep the order of the options, whatever order the browser sent.
        return [(option, None) for option in [*question.options, OTHER] if option in chosen]

    def slot(self, question, value):
        return value  # one row per option chosen

    def to_data(self, question, rows):
        return [value for value, _ in rows]

    def summary(self, question, rows, n):
        answers = [r for r, spec in zip(rows, question["rows"]) if not spec["special"]]
        top = largest(answers, None)
        parts = [_("The option chosen most was ‘%(answer)s’, by %(count)s of %(n)s (%(percent)s%%).",
                   answer=top[0], count=top[1], n=n, percent=top[2])] if top else []
        return " ".join(parts + special_sentences(question, rows))



class MultiChoice(OtherChoice, _Several):
    name, label = "multi_choice", N_("Multiple choice")
    worded_options = own_options = True
    easy_read_options = True

    class Settings(Options, Other):
        pass
