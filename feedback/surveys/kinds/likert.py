"""Agreement on a five-point scale: counts towards the indicator when tagged Communication."""

from .base import ChoiceKind, Specials

LIKERT = [
    ("strongly_agree", "Strongly agree", 5.0),
    ("agree", "Agree", 4.0),
    ("neither", "Neither agree nor disagree", 3.0),
    ("disagree", "Disagree", 2.0),
    ("strongly_disagree", "Strongly disagree", 1.0),
]


class Likert(ChoiceKind):
    name, label = "likert5", "Agreement (five-point scale)"
    Settings = Specials
    numbers = {value: number for value, _, number in LIKERT}
    positive = frozenset({"strongly_agree", "agree"})
    positive_words = "agreed or strongly agreed"

    def options(self, question):
        return [(value, text) for value, text, _ in LIKERT]
