"""Single choice: one option from the survey's own list, with "Other (please specify)" if set."""

from .base import ChoiceKind, Options, Other, OtherChoice, Specials


class SingleChoice(OtherChoice, ChoiceKind):
    name, label = "single_choice", "Single choice"
    worded_options = own_options = True
    easy_read_options = True

    class Settings(Options, Other, Specials):
        pass

    def options(self, question):
        return [(option, option) for option in question.options] + self.other_choice(question)
