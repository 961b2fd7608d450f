"""The registry of question kinds: every kind the platform offers, each defined in its own
module of this package (see base.py for what a kind owns).

Adding a kind is one module with one class, and one line in `BUILT_IN` (or `register(kind)`).
No other code names a kind: it asks the question's kind (`kind_of`) instead
(tests/test_question_kinds.py checks this).
"""

from .base import (
    ANSWERED,
    BLANK,
    DONT_KNOW,
    HIDDEN,
    NOT_CHOSEN,
    OTHER,
    PREFER_NOT,
    TEXT_SLOT,
    FrozenSettings,
    GovDateField,
    QuestionKind,
    largest,
    parse_number,
    percent,
    shown,
)
from .date import Date
from .dropdown import Dropdown
from .free_text import FreeText
from .grid import Grid
from .likert import LIKERT, Likert
from .multi_choice import MultiChoice
from .number import Number
from .ranking import Ranking
from .rating import Rating
from .single_choice import SingleChoice
from .yes_no import YesNo

BUILT_IN = (SingleChoice(), MultiChoice(), Dropdown(), Likert(), YesNo(), Rating(), Grid(), Ranking(),
            FreeText(), Number(), Date())
KINDS: dict[str, QuestionKind] = {}
UNKNOWN = QuestionKind()  # a kind no longer offered: its answers are shown and counted as answered


def register(kind: QuestionKind) -> QuestionKind:
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    KINDS.pop(name, None)


for _kind in BUILT_IN:
    register(_kind)


def kind_of(question) -> QuestionKind:
    return KINDS[question.kind]


def kind_named(name: str) -> QuestionKind:
    return KINDS.get(name, UNKNOWN)


def settings_name(kind: QuestionKind) -> str:
    """The question builder's field holding this kind's settings form."""
    return f"settings_{kind.name}"


def indicator_kinds() -> list[str]:
    """Kinds with positive answers: tagged Communication, they count towards the indicator."""
    return [kind.name for kind in KINDS.values() if kind.positive]


__all__ = [
    "ANSWERED", "BLANK", "DONT_KNOW", "HIDDEN", "KINDS", "LIKERT", "NOT_CHOSEN", "OTHER", "PREFER_NOT", "TEXT_SLOT",
    "FrozenSettings", "GovDateField", "QuestionKind", "indicator_kinds", "kind_named",
    "kind_of", "largest", "parse_number", "percent", "register", "settings_name", "shown", "unregister",
]
