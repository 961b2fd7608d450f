"""Agreement on a five-point scale: counts towards the indicator when tagged Communication."""

from flask_babel import lazy_gettext as _l
from .base import ChoiceKind, Specials
from ...text import N_

LIKERT = [
    ("strongly_agree", _l("Strongly agree"), 5.0),
    ("agree", _l("Agree"), 4.0),
    ("neither", _l("Neither agree nor disagree"), 3.0),
    ("disagree", _l("Disagree"), 2.0),
    ("strongly_disagree", _l("Strongly disagree"), 1.0),
]


class Likert(ChoiceKind):
    name, label = "likert5", N_("Agreement (five-point scale)")
    worded_options = True
    easy_read_options = True
    smiley_scale = True
    Settings = Specials
    numbers = {value: number for value, _, number in LIKERT}
    positive = frozenset({"strongly_agree", "agree"})
    positive_sentence = N_("%(count)s (%(percent)s%%) agreed or strongly agreed.")

    def options(self, question):
        return [(value, text) for value, text, _ in LIKERT]
