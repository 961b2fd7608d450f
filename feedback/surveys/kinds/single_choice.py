"""Single choice: one option from the survey's own list, with "Other (please specify)" if set."""

from .base import ChoiceKind, Options, Other, OtherChoice, Specials
from ...text import N_


class SingleChoice(OtherChoice, ChoiceKind):
    name, label = "single_choice", N_("Single choice")
    worded_options = own_options = True
    easy_read_options = True

    class Settings(Options, Other, Specials):
        pass

    def options(self, question):
        return [(option, option) for option in question.options] + self.other_choice(question)
