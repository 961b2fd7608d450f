"""The pure build: a wave's counts in (`counted.WaveCounts`, read by `counts`), its results out (`Result`),
with disclosure control applied and the communication-quality indicator for every view.

No Flask, no database: tests build results from counts they write by hand
(tests/test_results_build.py). Hidden counts are None in the result, so nothing downstream
can leak them. A `Result` is stored with its release as JSON (`to_dict` / `from_dict`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from ..analysis.indicator import DEFAULT_SETTINGS, communication_quality
from ..surveys.kinds.keys import ANSWERED, BLANK, DONT_KNOW, NOT_CHOSEN, PREFER_NOT
from .counted import NOT_STATED, QuestionCounts, Row, WaveCounts
from .disclosure import (
    OTHER,
    THRESHOLD,
    TOTAL,
    CannotProtect,
    fully_hidden_lower,
    protect_line,
    protect_table,
    recode_groups,
    secure,
)
from .audit import Witnesses

# Bumped whenever the shape or the rules of the payload change, so old snapshots rebuild.
BUILD_VERSION = "results-6+" + DEFAULT_SETTINGS.method_version
LABELS = ("negative", "neutral", "positive")
LINE = "__line__"

DIMENSIONS = [
    ("locality", "Locality", "localities"),
    ("respondent_type", "Who answered", "respondent types"),
    ("channel", "How they answered", "ways of answering"),
    ("month", "Month submitted", "months"),
    ("language", "Version answered", "versions"),
]
DIMENSION_KEYS = [key for key, _, _ in DIMENSIONS]
CHANNEL_LABELS = {"online": "Online", "phone": "By phone", "paper": "On paper", "event": "At an event"}
RESPONDENT_LABELS = {"parent_carer": "Parent carers", "young_person": "Young people",
                     "professional": "Professionals"}
# The versions a response can be given in (surveys.translations), named as staff read them.
VERSION_NAMES = {"en": "English", "cy": "Welsh", "pl": "Polish", "pt": "Portuguese", "easy-read": "Easy Read"}


# The typed result


@dataclass(frozen=True)
class Group:
    """A published group of a dimension (a locality, say, or "Other localities (combined)")."""

    key: str
    label: str
    size: int | None
    members: tuple[str, ...] = ()  # the groups combined into "Other"

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "size": self.size, "members": list(self.members)}

    @classmethod
    def from_dict(cls, data: dict) -> "Group":
        return cls(data["key"], data["label"], data["size"], tuple(data.get("members") or ()))


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    plural: str
    groups: tuple[Group, ...] = ()

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "plural": self.plural,
                "groups": [g.to_dict() for g in self.groups]}

    @classmethod
    def from_dict(cls, data: dict) -> "Dimension":
        return cls(data["key"], data["label"], data.get("plural", ""),
                   tuple(Group.from_dict(g) for g in data["groups"]))


@dataclass(frozen=True)
class QuestionTable:
    """A question's table: its rows (the cells are each view's, in `View.questions`)."""

    id: int
    position: int
    text: str
    kind: str
    dimensions: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()

    def to_dict(self) -> dict:
        return {"id": self.id, "position": self.position, "text": self.text, "kind": self.kind,
                "dimensions": list(self.dimensions), "rows": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> "QuestionTable":
        return cls(data["id"], data["position"], data["text"], data["kind"], tuple(data.get("dimensions") or ()),
                   tuple(Row.from_dict(r) for r in data["rows"]))


@dataclass(frozen=True)
class ThemeHeading:
    id: int
    name: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class ThemeCells:
    """A theme's comments in one view, and how many of them are negative, neutral, positive."""

    comments: int | None
    negative: int | None
    neutral: int | None
    positive: int | None

    def sentiment(self, label: str) -> int | None:
        return getattr(self, label)

    def to_dict(self) -> dict:
        return {"comments": self.comments, **{label: self.sentiment(label) for label in LABELS}}

    @classmethod
    def from_dict(cls, data: dict) -> "ThemeCells":
        return cls(data["comments"], data["negative"], data["neutral"], data["positive"])


@dataclass(frozen=True)
class Indicator:
    """The communication-quality indicator of one view; `withheld` says why it is not shown."""

    value: float | None
    low: float | None
    high: float | None
    band: str | None
    withheld: str | None
    method_version: str
    uses_text: bool | None = None  # known only when shown

    @classmethod
    def withheld_for(cls, reason: str) -> "Indicator":
        return cls(None, None, None, None, reason, DEFAULT_SETTINGS.method_version)

    @classmethod
    def shown(cls, result) -> "Indicator":
        return cls(result.value, result.low, result.high, result.band, None, result.method_version,
                   result.p_text is not None)

    def to_dict(self) -> dict:
        found = {"value": self.value, "low": self.low, "high": self.high, "band": self.band,
                 "withheld": self.withheld, "method_version": self.method_version}
        if self.withheld is None:
            found["uses_text"] = bool(self.uses_text)
        return found

    @classmethod
    def from_dict(cls, data: dict) -> "Indicator":
        return cls(data["value"], data["low"], data["high"], data["band"], data.get("withheld"),
                   data.get("method_version", DEFAULT_SETTINGS.method_version), data.get("uses_text"))


@dataclass(frozen=True)
class View:
    """The whole wave ("all") or one published group ("locality:Norwich"): its cells."""

    key: str
    n: int | None
    profile: dict[str, tuple[int | None, ...]] = field(default_factory=dict)  # per other dimension, per group
    questions: dict[int, tuple[int | None, ...]] = field(default_factory=dict)  # per question, per row
    themes: dict[int, ThemeCells] = field(default_factory=dict)
    cqi: Indicator | None = None

    def to_dict(self) -> dict:
        found = {"key": self.key, "n": self.n, "profile": {k: list(v) for k, v in self.profile.items()},
                 "questions": {str(k): list(v) for k, v in self.questions.items()},
                 "themes": {str(k): v.to_dict() for k, v in self.themes.items()}}
        if self.cqi is not None:
            found["cqi"] = self.cqi.to_dict()
        return found

    @classmethod
    def from_dict(cls, data: dict) -> "View":
        cqi = data.get("cqi")
        return cls(data["key"], data["n"], {k: tuple(v) for k, v in data.get("profile", {}).items()},
                   {int(k): tuple(v) for k, v in data.get("questions", {}).items()},
                   {int(k): ThemeCells.from_dict(v) for k, v in data.get("themes", {}).items()},
                   Indicator.from_dict(cqi) if cqi is not None else None)


@dataclass(frozen=True)
class ReleaseInfo:
    number: int
    created_at: str


@dataclass(frozen=True)
class Result:
    """A wave's results: every view's cells, hidden ones None. `withheld`: fewer than
    THRESHOLD responses (nothing but that is shown) or nothing released yet."""

    version: str
    survey_id: int
    computed_at: str
    n: int | None
    withheld: bool
    threshold: int | None = None
    release: ReleaseInfo | None = None
    dimensions: tuple[Dimension, ...] = ()
    questions: tuple[QuestionTable, ...] = ()
    themes: tuple[ThemeHeading, ...] = ()
    views: dict[str, View] = field(default_factory=dict)

    def view(self, key: str) -> View:
        return self.views[key]

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def released(self, number: int, created_at: datetime) -> "Result":
        """This result as release `number`, made at `created_at`."""
        moment = created_at.isoformat()
        return replace(self, release=ReleaseInfo(number, moment), computed_at=moment)

    def to_dict(self) -> dict:
        found = {"version": self.version, "survey_id": self.survey_id, "computed_at": self.computed_at}
        if self.threshold is not None:
            found["threshold"] = self.threshold
        found.update(n=self.n, withheld=self.withheld,
                     release=None if self.release is None else {"number": self.release.number,
                                                                 "created_at": self.release.created_at},
                     dimensions=[d.to_dict() for d in self.dimensions],
                     questions=[q.to_dict() for q in self.questions],
                     themes=[t.to_dict() for t in self.themes],
                     views={k: v.to_dict() for k, v in self.views.items()})
        return found

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        """A stored release's payload (every version since results-1 reads)."""
        release = data.get("release")
        return cls(data.get("version", ""), data.get("survey_id"), data.get("computed_at", ""), data.get("n"),
                   bool(data.get("withheld")), data.get("threshold"),
                   ReleaseInfo(release["number"], release["created_at"]) if release else None,
                   tuple(Dimension.from_dict(d) for d in data.get("dimensions", [])),
                   tuple(QuestionTable.from_dict(q) for q in data.get("questions", [])),
                   tuple(ThemeHeading(t["id"], t["name"]) for t in data.get("themes", [])),
                   {k: View.from_dict(v) for k, v in data.get("views", {}).items()})


def nothing_released(survey_id: int) -> Result:
    """What pages show before a wave's first release."""
    return Result(BUILD_VERSION, survey_id, "", None, True)


@dataclass(frozen=True)
class Built:
    """A build: its result, the audit state the next release is protected with (true values
    included: kept with the release, never served) and the audit's figures for staff."""

    result: Result
    state: dict
    figures: dict


# Building


def group_label(dimension: str, key: str, plural: str) -> str:
    if key == OTHER:
        return f"Other {plural} (combined)"
    if key == NOT_STATED:
        return "Not stated"
    if dimension == "channel":
        return CHANNEL_LABELS.get(key, key.capitalize())
    if dimension == "respondent_type":
        return RESPONDENT_LABELS.get(key, key.replace("_", " ").capitalize())
    if dimension == "month":
        return datetime.strptime(key, "%Y-%m").strftime("%B %Y")
    if dimension == "language":
        return VERSION_NAMES.get(key, key)
    return key


def indicator_classes(rows, positive) -> dict[str, str]:
    """Each row of an indicator question: 'positive', 'other' (answered) or 'not_valid'."""
    classes = {}
    for row in rows:
        if row.special:
            classes[row.key] = "not_valid"
        elif row.key in positive:
            classes[row.key] = "positive"
        else:
            classes[row.key] = "other"
    return classes


def _with_blank(counts: dict, sizes: dict, answered_key: str | None, blank: str = BLANK) -> dict:
    """Add a row for people in each atom who did not answer (size minus those who did)."""
    result = dict(counts)
    answered = defaultdict(int)
    for (value, atom), c in counts.items():
        if answered_key is None or value == answered_key:
            answered[atom] += c
    for atom, size in sizes.items():
        result[(blank, atom)] = size - answered[atom]
    return result


JOINT = 2  # the state of a release holds the joint model of every release of the wave so far
WITNESSES_KEPT = 12  # solutions of a release's audit kept for the next (each put together from several)
WITNESSES_READ = 80  # the newest solutions they are put together from


def _tag(number: int, key: tuple) -> tuple:
    return ("release", number, *key)


class _Base:
    """An earlier release's entry (or a difference) -> the same entry of these figures."""

    def __init__(self, values: dict):
        self.values = values

    def __contains__(self, key) -> bool:
        return key[0] in ("release", "difference") and key[2:] in self.values

    def __getitem__(self, key):
        return key[2:]


def _compared_with(previous: dict | None, values: dict, number: int) -> dict | None:
    """Every earlier release's figures, as `disclosure.secure` takes them.

    A release's state holds the joint model of it and every release before it: each
    release's entries tagged ("release", number, ...), and for each batch of responses
    between two releases one difference per entry ("difference", number, ...), never
    released, so that every entry of a release is the same entry of the last release that
    had it plus the batch's difference. A difference is at least 0, or what it truly is when
    negative (responses deleted, or a combined group that lost a member): the reader is given
    at least what they could know. So the programme grows by one release and one batch each
    time, and a reader differencing any two releases (or all of them) is audited. A state
    of older rules holds only its own release (``number`` - 1)."""
    if not previous:
        return None
    joint = previous.get("format") == JOINT
    keys = [tuple(k) for k in previous["keys"]] if joint else [_tag(number - 1, tuple(k)) for k in previous["keys"]]
    old_values = dict(zip(keys, previous["values"]))
    relations = [(keys[t], tuple(keys[p] for p in parts)) for t, parts in previous["relations"]]
    if joint:
        lower = {keys[i]: v for i, v in previous["lower"]}
    else:
        lower = {keys[i]: 0 for i in previous["lower"]}
    hidden = {keys[i] for i in previous["hidden"]}
    unreleased = {keys[i] for i in previous.get("unreleased", ())}
    hidden_keys = [keys[i] for i in previous["hidden"]]
    witnesses = [dict(zip(hidden_keys, w)) for w in previous.get("witnesses", ())]
    latest = {}
    for key in keys:
        if key[0] == "release" and latest.get(key[2:], (None, -1))[1] < key[1]:
            latest[key[2:]] = key
    base = _Base(values)
    for key, n in values.items():
        old = latest.get(key)
        if old is None:
            continue
        difference = ("difference", number, *key)
        old_values[difference] = n - old_values[old]
        lower[difference] = min(0, old_values[difference])
        unreleased.add(difference)
        relations.append((key, (old, difference)))
    return {"relations": relations, "values": old_values, "hidden": hidden | unreleased, "lower": lower,
            "unreleased": unreleased, "base": base, "witnesses": witnesses}


def own_figures(state: dict) -> dict:
    """One release's own figures from its audit state (`_Family.state`, or a state of older
    rules): true values, hidden entries, the entries whose reader bound is 0, relations."""
    keys = [tuple(k) for k in state.get("keys", [])]
    joint = state.get("format") == JOINT
    if joint:
        number = state["number"]
        mine = {i: k[2:] for i, k in enumerate(keys) if k[0] == "release" and k[1] == number}
        lower = {i for i, v in state.get("lower", []) if v == 0}
    else:
        mine = dict(enumerate(keys))
        lower = set(state.get("lower", []))
    values = state.get("values", [])
    return {"values": {k: values[i] for i, k in mine.items()},
            "hidden": {mine[i] for i in state.get("hidden", []) if i in mine},
            "lower": {mine[i] for i in lower if i in mine},
            "relations": [(mine[t], tuple(mine[p] for p in parts)) for t, parts in state.get("relations", [])
                          if t in mine and all(p in mine for p in parts)]}


class _Family:
    """One line of whole-wave counts and its table for each dimension, protected together.

    Entries are keyed (LINE, row) for the whole-wave line (row TOTAL: its total) and
    (dimension, row, group) for a table (row TOTAL: the group's total). The heuristic
    suppression of `disclosure` proposes what to hide; `disclosure.secure` then hides more
    until the audit finds no sensitive count that a reader could narrow below its
    protection interval, using every relation between the entries."""

    def __init__(self, rows: list[str], cells: dict[str, dict], sizes_fixed: bool, line_fixed: bool = False,
                 previous: dict | None = None, threshold: int = THRESHOLD, number: int = 1, defer: bool = False):
        self.rows = rows
        first = next(iter(cells.values()))
        whole = {r: sum(n for (row, _), n in first.items() if row == r) for r in rows}
        total = sum(whole.values())
        total_hidden = not sizes_fixed and 0 < total < threshold
        line_hidden = {r for r, n in whole.items() if n > 0} if total_hidden else protect_line(whole, threshold=threshold)
        self.values = {(LINE, r): n for r, n in whole.items()}
        self.values[(LINE, TOTAL)] = total
        hidden = {(LINE, r) for r in line_hidden} | ({(LINE, TOTAL)} if total_hidden else set())
        fixed = set() if total_hidden else {(LINE, TOTAL)}
        if line_fixed:  # the rows are groups whose sizes are published
            fixed |= set(self.values)
        margins = set(self.values)
        self.relations = [((LINE, TOTAL), tuple((LINE, r) for r in rows))]
        self.groups = {}
        for dimension, table in cells.items():
            groups = sorted({g for _, g in table}, key=str)
            self.groups[dimension] = groups
            for (r, g), n in table.items():
                self.values[(dimension, r, g)] = n
            for g in groups:
                self.values[(dimension, TOTAL, g)] = sum(table[(r, g)] for r in rows)
                self.relations.append(((dimension, TOTAL, g), tuple((dimension, r, g) for r in rows)))
                margins.add((dimension, TOTAL, g))
                if sizes_fixed:
                    fixed.add((dimension, TOTAL, g))
            for r in rows:
                self.relations.append(((LINE, r), tuple((dimension, r, g) for g in groups)))
            self.relations.append(((LINE, TOTAL), tuple((dimension, TOTAL, g) for g in groups)))
            hidden_before = {(r, TOTAL) for r in line_hidden} | ({(TOTAL, TOTAL)} if total_hidden else set())
            table_fixed = {(r, TOTAL) for r in rows if r not in line_hidden}
            if not total_hidden:
                table_fixed.add((TOTAL, TOTAL))
            if sizes_fixed:
                table_fixed |= {(TOTAL, g) for _, g in table}
            try:
                proposed = protect_table(table, hidden=hidden_before, fixed=table_fixed, threshold=threshold)
            except CannotProtect:
                proposed = set(table) | {(TOTAL, g) for _, g in table}
            hidden |= {self._key(dimension, entry) for entry in proposed} - fixed
        # The tables readers see: the whole-wave line, and each dimension's counts (with each
        # group's total when it is not a published group size).
        self.tables = {LINE: [(LINE, r) for r in rows] + ([] if sizes_fixed else [(LINE, TOTAL)])}
        for dimension, groups in self.groups.items():
            self.tables[dimension] = [(dimension, r, g) for r in rows for g in groups] + (
                [] if sizes_fixed else [(dimension, TOTAL, g) for g in groups])
        self.fixed, self.margins = fixed, margins
        self.unresolved: list = []
        self.number = number
        self.earlier = _compared_with(previous, self.values, number) or {}
        self.witnesses = Witnesses(self.earlier.get("witnesses", ()))
        # Entries whose reader bound is 0 (tables hidden whole); set by `_secure_together`
        # when the tables readers see are wider than this family's (a multiple-choice question).
        self.zero_lower: set | None = None
        if defer:  # secured with other families (`_secure_together`)
            self.hidden = hidden
        else:
            self.hidden = secure(self.relations, self.values, hidden, fixed=fixed, margins=margins,
                                 tables=self.tables, threshold=threshold, previous=self.earlier,
                                 unresolved=self.unresolved, witnesses=self.witnesses)

    def zeros(self) -> set:
        """This release's entries a reader may take to be 0 (in a table hidden whole)."""
        if self.zero_lower is not None:
            return self.zero_lower
        return set(fully_hidden_lower(self.tables, self.hidden))

    def state(self) -> dict:
        """What the next release's audit needs to know: the joint model of these figures and
        every earlier release's (see `_compared_with`; true values included: kept with the
        release, never served), and a few solutions of this audit to start the next from."""
        earlier = self.earlier

        def name(key):
            return _tag(self.number, key) if key in self.values else key

        values = {**earlier.get("values", {}), **{name(k): n for k, n in self.values.items()}}
        keys = sorted(values, key=repr)
        index = {k: i for i, k in enumerate(keys)}
        hidden = {name(k) for k in self.hidden} | set(earlier.get("hidden", ()))
        lower = {**earlier.get("lower", {}),
                 **{name(k): 0 for k in self.zeros()}}
        relations = [(name(t), tuple(name(p) for p in parts))
                     for t, parts in [*self.relations, *earlier.get("relations", ())]]
        ordered = sorted(index[k] for k in hidden)
        witnesses = []
        for solution in self.witnesses.solutions[:-WITNESSES_READ - 1:-1]:  # the newest first; disjoint ones put together
            named = {name(k): v for k, v in solution.items()}
            home = next((w for w in witnesses if w.keys().isdisjoint(named)), None)
            if home is None and len(witnesses) < WITNESSES_KEPT:
                home = {}
                witnesses.append(home)
            if home is not None:
                home.update(named)
        return {"format": JOINT, "number": self.number,
                "keys": [list(k) for k in keys], "values": [values[k] for k in keys],
                "hidden": ordered, "lower": sorted([index[k], v] for k, v in lower.items()),
                "unreleased": sorted(index[k] for k in earlier.get("unreleased", ())),
                "relations": [[index[t], [index[p] for p in parts]] for t, parts in relations],
                "witnesses": [[round(w.get(keys[i], values[keys[i]]), 6) for i in ordered] for w in witnesses]}

    @staticmethod
    def _key(dimension: str, entry: tuple) -> tuple:
        row, group = entry
        if group == TOTAL:
            return (LINE, row)
        return (dimension, row, group)

    def shown(self, key) -> int | None:
        return None if key in self.hidden else self.values[key]

    def view(self, view_key: str | None) -> dict:
        if view_key is None:
            return {**{r: self.shown((LINE, r)) for r in self.rows}, TOTAL: self.shown((LINE, TOTAL))}
        dimension, group = view_key.split(":", 1)
        return {r: self.shown((dimension, r, group)) for r in [*self.rows, TOTAL]}


def _deep_tuple(value):
    return tuple(_deep_tuple(v) for v in value) if isinstance(value, list) else value


class _Together:
    """Families audited as one programme, with every earlier release of each: an entry is
    (member, entry). Used where a reader's relations or bounds tie families together: the
    options (or statements) of one question, whose tables readers see as one table (a
    count hidden there is at least 1 unless every count of the question's table is hidden),
    and the communication questions, tied by every release's indicator sums."""

    def __init__(self, members: dict, threshold: int, wide: bool = False):
        self.members, self.threshold = members, threshold
        self.relations, self.values, self.hidden, self.fixed, self.margins = [], {}, set(), set(), set()
        self.tables: dict = {}
        earlier = {"relations": [], "values": {}, "hidden": set(), "lower": {}, "unreleased": set(), "base": {}}
        carried = []
        for name, member in members.items():
            def named(key, name=name):
                return (name, key)

            self.relations += [(named(t), tuple(map(named, parts))) for t, parts in member.relations]
            self.values.update({named(k): v for k, v in member.values.items()})
            self.hidden |= set(map(named, member.hidden))
            self.fixed |= set(map(named, member.fixed))
            self.margins |= set(map(named, member.margins))
            for table, keys in member.tables.items():
                self.tables.setdefault(table if wide else (name, table), []).extend(map(named, keys))
            before = member.earlier
            if before:
                earlier["relations"] += [(named(t), tuple(map(named, parts))) for t, parts in before["relations"]]
                earlier["values"].update({named(k): v for k, v in before["values"].items()})
                earlier["hidden"] |= set(map(named, before["hidden"]))
                earlier["lower"].update({named(k): v for k, v in before["lower"].items()})
                earlier["unreleased"] |= set(map(named, before["unreleased"]))
                base = before["base"]
                earlier["base"].update({named(k): named(base[k]) for k in before["values"] if k in base})
            carried += [{named(k): v for k, v in w.items()} for w in member.witnesses.solutions[:member.witnesses.carried]]
        self.earlier = earlier
        self.witnesses = Witnesses(carried)

    def secure(self, relations: list = (), values: dict | None = None) -> None:
        """Hide more until the audit of them all (with ``relations`` among earlier entries,
        ``values`` their values) finds nothing; each member's hidden entries, reader bounds of
        0, findings left and kept solutions are then the programme's."""
        previous = dict(self.earlier, relations=self.earlier["relations"] + list(relations),
                        values={**self.earlier["values"], **(values or {})})
        unresolved: list = []
        self.hidden = secure(self.relations, self.values, self.hidden, fixed=self.fixed, margins=self.margins,
                             tables=self.tables, threshold=self.threshold, previous=previous,
                             unresolved=unresolved, witnesses=self.witnesses)
        zeros = set(fully_hidden_lower(self.tables, self.hidden))
        for name, member in self.members.items():
            member.hidden = {k for n, k in self.hidden if n == name}
            member.zero_lower = {k for n, k in zeros if n == name}
            member.unresolved = [f for f in unresolved if f.key[0] == name]
            for solution in self.witnesses.solutions[self.witnesses.carried:]:
                mine = {k: v for (n, k), v in solution.items() if n == name}
                if mine:
                    member.witnesses.add(mine)

    def lower(self) -> dict:
        return {**self.earlier["lower"], **{k: 0 for k in fully_hidden_lower(self.tables, self.hidden)}}


def _cells(counts: dict, rows: list[str], groups_of: list[dict]) -> dict[str, dict]:
    """Split counts per (row, atom) into one table per dimension, every row x group present."""
    cells = {}
    for index, dimension in enumerate(DIMENSION_KEYS):
        mapping = groups_of[index]
        table = {(r, g): 0 for r in rows for g in set(mapping.values())}
        for (row, atom), n in counts.items():
            table[(row, mapping[atom[index]])] += n
        cells[dimension] = table
    return cells


def build(counts: WaveCounts, survey_id: int, *, threshold: int = THRESHOLD, breakdown_min: int = THRESHOLD,
          previous_state: dict | None = None, previous_number: int | None = None, padding: dict | None = None,
          computed_at: str = "") -> Built:
    """A wave's results for every view (the whole wave and one per published group), with
    disclosure control applied: hidden counts are None.

    ``threshold`` is the smallest count shown (THRESHOLD plus the responses a reader may
    know, see releases.padding_signs); ``breakdown_min`` the smallest group a view is given
    for. The figures are protected together with every earlier release's (``previous_state``,
    the last release's `Built.state`, which holds them all), so comparing any of them narrows
    no hidden count of any."""
    before = previous_state or {}
    number = (previous_number or 0) + 1
    by_name: dict[str, _Family] = {}
    families_built: list[_Family] = []
    together_built: list[_Together] = []

    def family(name: str, *args, **kwargs) -> _Family:
        built = _Family(*args, previous=before.get(name), threshold=threshold, number=number, **kwargs)
        by_name[name] = built
        families_built.append(built)
        return built

    def together(members: dict, **kwargs) -> _Together:
        joint = _Together(members, threshold, **kwargs)
        together_built.append(joint)
        return joint

    sizes = counts.sizes
    n = sum(sizes.values())
    payload = {"version": BUILD_VERSION, "survey_id": survey_id, "computed_at": computed_at,
               "threshold": threshold, "n": n if n >= THRESHOLD else None, "withheld": n < THRESHOLD,
               "dimensions": [], "questions": [], "themes": [], "views": {}}
    if n < THRESHOLD:
        return Built(Result.from_dict(payload), {}, {})

    groups_of, views = [], {"all": None}
    for index, (dimension, label, plural) in enumerate(DIMENSIONS):
        raw = defaultdict(int)
        for atom, count in sizes.items():
            raw[atom[index]] += count
        mapping = recode_groups(raw, threshold=breakdown_min)
        groups_of.append(mapping)
        published = defaultdict(int)
        for group, count in raw.items():
            published[mapping[group]] += count
        order = sorted(published, key=lambda g: (g in (OTHER, NOT_STATED), g == OTHER, g))
        groups = []
        for g in order:
            members = sorted(group_label(dimension, m, plural) for m, target in mapping.items() if target == g and m != g)
            groups.append({"key": g, "label": group_label(dimension, g, plural), "size": published[g],
                           "members": members if g == OTHER else []})
            views[f"{dimension}:{g}"] = None
        payload["dimensions"].append({"key": dimension, "label": label, "plural": plural, "groups": groups})

    def group_key(index: int, atom: tuple) -> str:
        return groups_of[index][atom[index]]

    # Who answered: the whole wave by each dimension, and each dimension against each other.
    # The table of locality by channel is the same counts as channel by locality: protected once.
    profiles = {}
    for a, dim_a in enumerate(DIMENSION_KEYS):
        for b, dim_b in enumerate(DIMENSION_KEYS):
            if b <= a:
                continue
            table = {(gb["key"], ga["key"]): 0 for ga in payload["dimensions"][a]["groups"]
                     for gb in payload["dimensions"][b]["groups"]}
            for atom, count in sizes.items():
                table[(group_key(b, atom), group_key(a, atom))] += count
            profile = family(f"profile:{dim_a}:{dim_b}", sorted({gb for gb, _ in table}, key=str), {dim_a: table},
                             sizes_fixed=True, line_fixed=True)
            profiles[(dim_a, dim_b)] = {(gb, ga): profile.shown((dim_a, gb, ga)) for gb, ga in table}
            profiles[(dim_b, dim_a)] = {(ga, gb): shown for (gb, ga), shown in profiles[(dim_a, dim_b)].items()}

    # Questions: one family of tables per question (per option for multiple choice).
    families: dict[int, dict[str, _Family]] = {}
    for question in counts.questions:
        answers = {(value, atom): c for (qid, value, atom), c in counts.answers.items() if qid == question.id}
        payload["questions"].append(QuestionTable(question.id, question.position, question.text, question.kind,
                                                  question.dimensions, question.rows).to_dict())
        keys = [r.key for r in question.rows]
        if question.parts == "grouped":  # one table per part (a grid's statement, a ranked option)
            parts = {}
            for group in dict.fromkeys(r.group for r in question.rows):
                mine = [r.key for r in question.rows if r.group == group]
                chosen = {(value, atom): c for (value, atom), c in answers.items() if value in mine}
                both = _with_blank(chosen, sizes, None, blank=mine[-1])
                parts[group] = family(f"question:{question.id}:{group}", mine, _cells(both, mine, groups_of),
                                      sizes_fixed=True, defer=True)
            together(parts, wide=True).secure()
            families[question.id] = parts
        elif question.parts == "each_row":
            parts = {}
            answered = {(ANSWERED, atom): c for (qid, atom), c in counts.answered_multi.items() if qid == question.id}
            parts[BLANK] = family(f"question:{question.id}:{BLANK}", [ANSWERED, BLANK],
                                  _cells(_with_blank(answered, sizes, ANSWERED), [ANSWERED, BLANK], groups_of),
                                  sizes_fixed=True, defer=True)
            for option in keys[:-1]:
                chosen = {(value, atom): c for (value, atom), c in answers.items() if value == option}
                both = _with_blank(chosen, sizes, option, blank=NOT_CHOSEN)
                parts[option] = family(f"question:{question.id}:{option}", [option, NOT_CHOSEN],
                                       _cells(both, [option, NOT_CHOSEN], groups_of), sizes_fixed=True, defer=True)
            together(parts, wide=True).secure()
            families[question.id] = parts
        else:
            with_blank = _with_blank(answers, sizes, None)
            families[question.id] = {"": family(f"question:{question.id}", keys, _cells(with_blank, keys, groups_of),
                                                sizes_fixed=True, defer=question.indicator)}

    # The communication questions, with the indicator sums of every earlier release.
    communication = {q.id: families[q.id][""] for q in counts.questions if q.indicator}
    earlier_sums = _earlier_sums(before.get(INDICATOR_STATE))
    joint = together(communication) if communication else None
    if joint is not None:
        earlier_sums = [(name, parts) for name, parts in earlier_sums if all(p in joint.earlier["values"] for p in parts)]
        joint.secure(earlier_sums, {name: sum(joint.earlier["values"][p] for p in parts)
                                    for name, parts in earlier_sums})

    # Free text: comments per theme, split by sentiment.
    theme_families = {}
    names = counts.theme_names
    theme_ids = sorted({theme_id for theme_id, _, _ in counts.themes})
    for theme_id in sorted(theme_ids, key=lambda t: names.get(t, "")):
        merged = defaultdict(int)
        for (tid, text_label, atom), c in counts.themes.items():
            if tid == theme_id:
                merged[(text_label if text_label in LABELS else "neutral", atom)] += c
        theme_families[theme_id] = family(f"theme:{names.get(theme_id, theme_id)}", list(LABELS),
                                          _cells(merged, list(LABELS), groups_of), sizes_fixed=False)
        payload["themes"].append({"id": theme_id, "name": names.get(theme_id, "")})

    by_id = {q.id: q for q in counts.questions}
    for view_key in views:
        scope = None if view_key == "all" else view_key
        dimension = None if scope is None else scope.split(":", 1)[0]
        group = None if scope is None else scope.split(":", 1)[1]
        view = {"key": view_key, "n": n if scope is None else None, "profile": {}, "questions": {}, "themes": {}}
        if scope is not None:
            index = DIMENSION_KEYS.index(dimension)
            view["n"] = next(g["size"] for g in payload["dimensions"][index]["groups"] if g["key"] == group)
        for index, other in enumerate(DIMENSION_KEYS):
            if other == dimension:
                continue
            groups = payload["dimensions"][index]["groups"]
            if scope is None:
                view["profile"][other] = [g["size"] for g in groups]
            else:
                table = profiles[(dimension, other)]
                view["profile"][other] = [table[(g["key"], group)] for g in groups]
        for question_id, parts in families.items():
            rows = by_id[question_id].rows
            if "" in parts:
                column = parts[""].view(scope)
                cells = [column[r.key] for r in rows]
            elif by_id[question_id].parts == "grouped":
                cells = [parts[r.group].view(scope)[r.key] for r in rows]
            else:
                cells = [parts[r.key].view(scope)[r.key] for r in rows]
            view["questions"][str(question_id)] = cells
        for theme in payload["themes"]:
            column = theme_families[theme["id"]].view(scope)
            view["themes"][str(theme["id"])] = {"comments": column[TOTAL], **{lbl: column[lbl] for lbl in LABELS}}
        views[view_key] = view

    sums = _IndicatorSums(counts, joint, earlier_sums, number, threshold)
    _add_indicator(counts, views, groups_of, sums)
    payload["views"] = views
    states = {name: built.state() for name, built in by_name.items()}
    states[INDICATOR_STATE] = sums.state({None if k == "all" else k for k, v in views.items()
                                          if v["cqi"]["value"] is not None})
    everything = [f for parts in families.values() for f in parts.values()] + list(theme_families.values())
    figures = {"padding": padding or {}, "threshold": threshold,
               "hidden": sum(len(f.hidden) for f in everything),
               "sensitive_hidden": sum(sum(1 for k in f.hidden if 0 < f.values[k] < threshold) for f in everything),
               "fully_hidden_tables": sum(sum(1 for keys in f.tables.values() if keys and all(k in f.hidden for k in keys))
                                          for f in everything),
               "compared_with_release": previous_number,
               # The audit's linear programmes: run, and made unnecessary by earlier solutions.
               "lps_solved": sum(f.witnesses.solved for f in families_built)
               + sum(j.witnesses.solved for j in together_built) + sums.witnesses.solved,
               "lps_skipped": sum(f.witnesses.skipped for f in families_built)
               + sum(j.witnesses.skipped for j in together_built) + sums.witnesses.skipped,
               # Findings no further hiding could remove (see docs/results.md, "Limits"): staff see these.
               "unresolved": sum(len(f.unresolved) for f in everything)}
    return Built(Result.from_dict(payload), states, figures)


def _add_indicator(counts: WaveCounts, views: dict, groups_of: list[dict], sums: "_IndicatorSums") -> None:
    """The communication-quality indicator for every view.

    A view's indicator is withheld when fewer than 10 people answered a communication
    question. Someone who worked back from the value and interval to the number of positive
    answers and of all answers would learn three sums over the view's communication
    questions: positive answers, other answers, and don't know / prefer not / blank. So the
    indicator is also withheld when exactly one count in any of those sums is hidden (the sum
    would give it away). If one group of a dimension is withheld, the next smallest is too.
    """
    indicator_ids = set(counts.indicator_ids)
    positive = {q.id: q.positive for q in counts.questions}
    per_view = defaultdict(lambda: {"positive": 0, "total": 0, "respondents": 0, "text": [0.0, 0]})

    def scopes(atom):
        yield "all"
        for index, dimension in enumerate(DIMENSION_KEYS):
            yield f"{dimension}:{groups_of[index][atom[index]]}"

    for (qid, value, atom), c in counts.answers.items():
        if qid not in indicator_ids or value in (DONT_KNOW, PREFER_NOT):
            continue
        for scope in scopes(atom):
            per_view[scope]["total"] += c
            if value in positive[qid]:
                per_view[scope]["positive"] += c
    for atom, c in counts.indicator_respondents.items():
        for scope in scopes(atom):
            per_view[scope]["respondents"] += c
    for atom, (total, c) in counts.communication_text.items():
        for scope in scopes(atom):
            per_view[scope]["text"][0] += total
            per_view[scope]["text"][1] += c

    # The whole wave first, then the largest groups: they keep their indicator when one must go.
    results = {}
    for view_key in views:
        inputs = per_view[view_key]
        text_total, text_n = inputs["text"]
        # The indicator uses only the mean polarity and the number of comments.
        polarities = [text_total / text_n] * text_n if text_n else []
        results[view_key] = communication_quality(inputs["positive"], inputs["total"], polarities,
                                                   inputs["respondents"])
    order = sorted(views, key=lambda k: (k != "all", -(views[k]["n"] or 0), k))
    wanted = [None if k == "all" else k for k in order if not results[k].suppressed]
    # Every indicator at once first: if the audit finds nothing with all their sums, it finds
    # nothing with any of them (fewer relations only widen the programme), so one audit does.
    every = sums.add_all(wanted)
    for view_key in order:
        view, result = views[view_key], results[view_key]
        scope = None if view_key == "all" else view_key
        if result.suppressed:
            view["cqi"] = Indicator.withheld_for("fewer_than_10").to_dict()
        elif not every and not sums.add(scope):
            view["cqi"] = Indicator.withheld_for("hidden_counts").to_dict()
        else:
            view["cqi"] = Indicator.shown(result).to_dict()

    for dimension in DIMENSION_KEYS:
        keys = [k for k in views if k.startswith(dimension + ":")]
        withheld = [k for k in keys if views[k]["cqi"]["value"] is None]
        shown = [k for k in keys if views[k]["cqi"]["value"] is not None]
        if len(withheld) == 1 and shown:
            smallest = min(shown, key=lambda k: (views[k]["n"], k))
            views[smallest]["cqi"] = Indicator.withheld_for("protects_another_group").to_dict()


INDICATOR_STATE = "indicator"


def _earlier_sums(state: dict | None) -> list:
    """The indicator sums of every earlier release (`_IndicatorSums.state`)."""
    if not state:
        return []
    return [(_deep_tuple(name), tuple(_deep_tuple(p) for p in parts)) for name, parts in state.get("sums", ())]


class _IndicatorSums:
    """What shown indicators tell a reader, at worst: for each view, the sums of positive and
    of other answers over its communication questions (worked back from the value and its
    interval), in this release and every earlier one. A view's indicator is shown only if
    the audit of the communication questions over every release (`_Together`: each
    release's tables and each batch's differences), with the sums of every indicator shown
    before and so far in this release, still finds every sensitive count protected."""

    def __init__(self, counts: WaveCounts, joint: "_Together | None", earlier: list, number: int,
                 threshold: int = THRESHOLD):
        self.threshold, self.number, self.earlier = threshold, number, list(earlier)
        self.questions: list[QuestionCounts] = [q for q in counts.questions if q.indicator]
        self.added: dict = {}  # scope -> the sums of its indicator in this release
        if joint is None:
            self.relations, self.values, self.hidden, self.lower, self.unreleased = [], {}, set(), {}, set()
            self.witnesses = Witnesses()
            return
        self.relations = joint.relations + joint.earlier["relations"] + self.earlier
        self.values = {**joint.earlier["values"], **joint.values}
        self.values.update({name: sum(self.values[p] for p in parts) for name, parts in self.earlier})
        self.hidden = set(joint.hidden) | joint.earlier["hidden"]
        self.lower = joint.lower()
        self.unreleased = joint.earlier["unreleased"]
        self.witnesses = joint.witnesses

    def add(self, scope: str | None) -> bool:
        return self.add_all([scope])

    def add_all(self, scopes: list) -> bool:
        """Add the sums of every view in ``scopes`` if the audit with all of them finds
        nothing (True); else add none (False)."""
        from .audit import audit

        relations, values, mine = [], {}, {}
        for scope in scopes:
            found, more = self._sums(scope)
            relations += found
            values.update(more)
            mine[scope] = found
        if not any(p in self.hidden for _, parts in relations for p in parts):
            return True  # sums of shown counts tell nothing new
        candidate = self.relations + relations
        everything = {**self.values, **values}
        targets = [k for k in self.hidden if k not in self.unreleased and 0 < everything[k] < self.threshold]
        if audit(candidate, everything, self.hidden, lower=self.lower, threshold=self.threshold, targets=targets,
                 witnesses=self.witnesses, exact=False):
            return False
        self.relations = candidate
        self.values.update(values)
        for scope, found in mine.items():
            if any(p in self.hidden for _, parts in found for p in parts):
                self.added[scope] = found
        return True

    def _sums(self, scope: str | None) -> tuple[list, dict]:
        relations, values = [], {}
        for kind in ("positive", "other"):
            parts = []
            for question in self.questions:
                for row, row_kind in indicator_classes(question.rows, question.positive).items():
                    if row_kind == kind:
                        key = (LINE, row) if scope is None else (scope.split(":", 1)[0], row, scope.split(":", 1)[1])
                        parts.append((question.id, key))
            name = ("indicator", self.number, scope, kind)
            relations.append((name, tuple(parts)))
            values[name] = sum(self.values[p] for p in parts)
        return relations, values

    def state(self, shown: set) -> dict:
        """The sums of every release so far, for the next release's audit (entries of this
        release named as the next names them)."""
        def tagged(part):
            member, key = part
            return [member, list(key) if key[0] in ("release", "difference") else list(_tag(self.number, key))]

        sums = [[list(name), [[member, list(key)] for member, key in parts]] for name, parts in self.earlier]
        for scope, relations in self.added.items():
            if scope in shown:
                sums += [[list(name), [tagged(p) for p in parts]] for name, parts in relations]
        return {"format": JOINT, "sums": sums}
