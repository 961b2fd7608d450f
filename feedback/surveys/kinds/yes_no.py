"""Yes or no: counts towards the indicator when tagged Communication ("yes" is positive)."""

from flask_babel import lazy_gettext as _l
from .base import ChoiceKind, Specials
from ...text import N_


class YesNo(ChoiceKind):
    name, label = "yes_no", N_("Yes or no")
    worded_options = True
    easy_read_options = True
    Settings = Specials
    numbers = {"yes": 1.0, "no": 0.0}
    positive = frozenset({"yes"})
    positive_sentence = N_("%(count)s (%(percent)s%%) said yes.")

    def options(self, question):
        return [("yes", _l("Yes")), ("no", _l("No"))]
