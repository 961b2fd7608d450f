"""The plain typed counts that `counts` reads from the database and `build` takes: no SQL,
no Flask, so the build and its tests need neither."""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_STATED = "not_stated"
Atom = tuple[str, str, str, str, str]  # locality, respondent type, channel, month, version


@dataclass(frozen=True)
class Row:
    """One row of a question's results table, as the question's kind gives it."""

    key: str
    label: str
    special: bool = False  # don't know, prefer not, no answer
    group: str | None = None  # the part it belongs to (a grid's statement, a ranked option)

    def to_dict(self) -> dict:
        found = {"key": self.key, "label": self.label, "special": self.special}
        if self.group is not None:
            found["group"] = self.group
        return found

    @classmethod
    def from_dict(cls, data: dict) -> "Row":
        return cls(data["key"], data["label"], bool(data.get("special")), data.get("group"))


@dataclass(frozen=True)
class QuestionCounts:
    """A question as its results need it: its rows, how its table is protected ("single",
    "grouped": one table per part, "each_row": one per option) and its positive answers."""

    id: int
    position: int
    text: str
    kind: str
    dimensions: tuple[str, ...]
    rows: tuple[Row, ...]
    parts: str
    positive: frozenset[str] = frozenset()
    indicator: bool = False  # counts towards the communication-quality indicator


@dataclass(frozen=True)
class WaveCounts:
    """Every count of one wave, per atom."""

    questions: tuple[QuestionCounts, ...] = ()
    sizes: dict[Atom, int] = field(default_factory=dict)
    answers: dict[tuple[int, str, Atom], int] = field(default_factory=dict)  # (question, value, atom)
    answered_multi: dict[tuple[int, Atom], int] = field(default_factory=dict)  # people answering an each-row question
    indicator_respondents: dict[Atom, int] = field(default_factory=dict)
    themes: dict[tuple[int, str, Atom], int] = field(default_factory=dict)  # (theme, sentiment, atom)
    communication_text: dict[Atom, tuple[float, int]] = field(default_factory=dict)  # polarity sum, comments
    theme_names: dict[int, str] = field(default_factory=dict)

    @property
    def indicator_ids(self) -> list[int]:
        return [q.id for q in self.questions if q.indicator]
