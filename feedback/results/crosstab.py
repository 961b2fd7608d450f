"""Cross-tabs: the answers to one question of a wave against another's, and one question
across the waves of a series.

A cross-tab of two questions is built from the wave's latest release: its responses are those
the release counted (submitted by the moment it was made), and it is shown only when its
margins are exactly the release's whole-wave counts of the two questions; otherwise it waits
for the next release. Its cells are protected like every other table: counts from 1 to the
threshold less 1 are hidden, more are hidden until no hidden count is a bridge, and then the
disclosure audit (audit.py) runs over the cross-tab together with everything else a reader can
get that shares its numbers (both questions' tables for every group, the indicators shown)
and hides more until every sensitive count, of the cross-tab or of those tables, keeps its
protection interval. A cross-tab that cannot be protected is withheld whole.

A question across waves is a table of each wave's published counts, from each wave's own
release: nothing is shown that its wave's page does not show.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Answer, Release, Response, ResponseStatus, Survey
from ..surveys.kinds import BLANK, TEXT_SLOT, kind_named
from ..surveys.kinds.base import ChoiceKind, row_label
from .access import ResultsError, series_waves
from .build import indicator_classes, own_figures
from .counts import Row
from .disclosure import THRESHOLD, TOTAL, CannotProtect, protect_table, secure
from .releases import current_results, wave_results
from .tables import ResultTable
from ..text import N_

LINE = "__line__"
ALL_RESPONSES = N_("All responses")


class CrosstabError(ResultsError):
    """A cross-tab that cannot be made as asked; ``field`` names the choice to correct."""

    def __init__(self, message: str, field: str = "rows"):
        super().__init__(message)
        self.field = field


def crosstab_questions(payload: dict) -> list[dict]:
    """The questions of a release that can be cross-tabulated: closed questions with one
    answer each (single choice, agree/disagree scales, yes/no, ratings, drop-downs)."""
    if payload.get("withheld"):
        return []
    found = []
    for question in payload["questions"]:
        kind = kind_named(question["kind"])
        if isinstance(kind, ChoiceKind) and kind.result_parts == "single":
            found.append(question)
    return found


@dataclass
class Crosstab:
    rows_question: dict
    columns_question: dict
    table: ResultTable | None  # None: withheld (see ``withheld``)
    withheld: str | None = None  # "changed_since_release" | "cannot_protect"
    cells: dict | None = None  # (row key, column key) -> count or None (hidden)
    hidden: int = 0


def _question(payload: dict, question_id, field: str) -> dict:
    try:
        wanted = int(question_id)
    except (TypeError, ValueError):
        raise CrosstabError(_("Select a question"), field) from None
    for question in crosstab_questions(payload):
        if question["id"] == wanted:
            return question
    raise CrosstabError(_("Select a question from the list"), field)


def _state(release: Release, question_id: int) -> dict:
    """A question's figures as the release protected them: true values, hidden entries,
    reader bounds and relations (never served)."""
    return own_figures((release.audit_state or {}).get(f"question:{question_id}") or {})


def joint_counts(survey: Survey, release: Release, rows_question: dict, columns_question: dict) -> dict:
    """(row key, column key) -> responses, over the responses the release counted ("No
    answer" where a response has none)."""
    first, second = aliased(Answer), aliased(Answer)
    query = (select(first.value, second.value, func.count()).select_from(Response)
             .outerjoin(first, and_(first.response_id == Response.id, first.question_id == rows_question["id"],
                                    first.slot != TEXT_SLOT))
             .outerjoin(second, and_(second.response_id == Response.id, second.question_id == columns_question["id"],
                                     second.slot != TEXT_SLOT))
             .where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED,
                    Response.submitted_at <= release.created_at)
             .group_by(first.value, second.value))
    counts: dict = {}
    for a, b, n in db.session.execute(query):
        key = (a if a is not None else BLANK, b if b is not None else BLANK)
        counts[key] = counts.get(key, 0) + n
    return counts


def protect_crosstab(cells: dict, rows_question: dict, columns_question: dict, states: dict, release_payload: dict,
                     threshold: int = THRESHOLD) -> tuple[set, list]:
    """The hidden cells of a cross-tab, and the findings no hiding removed (then the caller
    withholds it). ``states`` are the release's figures of every question the audit needs."""
    a, b = rows_question["id"], columns_question["id"]
    values, relations, hidden, lower = {}, [], set(), {}
    for qid, state in states.items():
        values.update({(qid, *k): n for k, n in state["values"].items()})
        hidden |= {(qid, *k) for k in state["hidden"]}
        lower.update({(qid, *k): 0 for k in state["lower"]})
        relations += [((qid, *t), tuple((qid, *p) for p in parts)) for t, parts in state["relations"]]
    rows = [r["key"] for r in rows_question["rows"]]
    columns = [c["key"] for c in columns_question["rows"]]
    cell_keys = {(r, c): ("cross", a, b, r, c) for r in rows for c in columns}
    for (r, c), key in cell_keys.items():
        values[key] = cells.get((r, c), 0)
    for r in rows:
        relations.append(((a, LINE, r), tuple(cell_keys[(r, c)] for c in columns)))
    for c in columns:
        relations.append(((b, LINE, c), tuple(cell_keys[(r, c)] for r in rows)))
    relations += _indicator_sums(release_payload, states, values)
    fixed = set(values) - set(cell_keys.values())  # published already (or what a shown indicator gives)

    # First the heuristic suppression, with the margins as the release published them.
    margins_hidden = {(r, TOTAL) for r in rows if (a, LINE, r) in hidden} | {
        (TOTAL, c) for c in columns if (b, LINE, c) in hidden}
    margins_fixed = {(r, TOTAL) for r in rows if (r, TOTAL) not in margins_hidden} | {
        (TOTAL, c) for c in columns if (TOTAL, c) not in margins_hidden} | {(TOTAL, TOTAL)}
    try:
        proposed = protect_table({rc: values[k] for rc, k in cell_keys.items()}, hidden=margins_hidden,
                                 fixed=margins_fixed, threshold=threshold)
        hidden |= {cell_keys[e] for e in proposed if e in cell_keys}
    except CannotProtect:
        hidden |= set(cell_keys.values())
    # Then the audit over everything the reader has, hiding more where it finds a count narrowed.
    unresolved: list = []
    tables = {"cross": list(cell_keys.values())}
    hidden = secure(relations, values, hidden, fixed=fixed, threshold=threshold, tables=tables,
                    previous={"lower": lower}, unresolved=unresolved)
    return {rc for rc, k in cell_keys.items() if k in hidden}, unresolved


def _indicator_sums(payload: dict, states: dict, values: dict) -> list:
    """What each shown indicator tells a reader at worst: its sums of positive and of other
    answers over the communication questions (see build._IndicatorSums)."""
    relations = []
    questions = [q for q in payload["questions"] if q["id"] in states and "communication" in q["dimensions"]
                 and kind_named(q["kind"]).positive]
    if not questions:
        return relations
    for view_key, view in payload["views"].items():
        if (view.get("cqi") or {}).get("value") is None:
            continue
        for kind in ("positive", "other"):
            parts = []
            for question in questions:
                for row, row_kind in indicator_classes([Row.from_dict(r) for r in question["rows"]],
                                                         kind_named(question["kind"]).positive).items():
                    if row_kind != kind:
                        continue
                    if view_key == "all":
                        parts.append((question["id"], LINE, row))
                    else:
                        dimension, group = view_key.split(":", 1)
                        parts.append((question["id"], dimension, row, group))
            parts = [p for p in parts if p in values]
            if parts:
                name = ("indicator", view_key, kind)
                values[name] = sum(values[p] for p in parts)
                relations.append((name, tuple(parts)))
    return relations


def crosstab(survey: Survey, rows_id, columns_id) -> Crosstab:
    """The cross-tab of two questions of the wave's latest release, protected; a
    CrosstabError names the choice to correct."""
    figures = current_results(survey)
    payload, release = figures.payload, figures.release
    if release is None or payload.get("withheld"):
        raise CrosstabError(_("No results have been released for this wave yet"))
    rows_question = _question(payload, rows_id, "rows")
    columns_question = _question(payload, columns_id, "columns")
    if rows_question["id"] == columns_question["id"]:
        raise CrosstabError(_("Select a different question from the one for the rows"), "columns")
    cells = joint_counts(survey, release, rows_question, columns_question)
    wanted = {rows_question["id"], columns_question["id"]} | {
        q["id"] for q in payload["questions"] if "communication" in q["dimensions"] and kind_named(q["kind"]).positive
        and kind_named(q["kind"]).result_parts == "single"}
    states = {qid: _state(release, qid) for qid in wanted}
    result = Crosstab(rows_question, columns_question, None)
    if not _matches_release(cells, rows_question, columns_question, states, release):
        result.withheld = "changed_since_release"
        return result
    threshold = payload.get("threshold", THRESHOLD)
    hidden, findings = protect_crosstab(cells, rows_question, columns_question, states, payload, threshold)
    if findings:
        result.withheld = "cannot_protect"
        return result
    result.cells = {(r["key"], c["key"]): (None if (r["key"], c["key"]) in hidden else cells.get((r["key"], c["key"]), 0))
                    for r in rows_question["rows"] for c in columns_question["rows"]}
    result.hidden = len(hidden)
    result.table = crosstab_table(payload, rows_question, columns_question, result.cells)
    return result


def _matches_release(cells: dict, rows_question: dict, columns_question: dict, states: dict,
                     release: Release) -> bool:
    """The cross-tab's responses are the release's: its margins are the release's whole-wave
    counts of both questions (with every answer a row of them), and it has the release's n."""
    for question, side in ((rows_question, 0), (columns_question, 1)):
        keys = {r["key"] for r in question["rows"]}
        line = states[question["id"]]["values"]
        margin: dict = {}
        for pair, n in cells.items():
            if pair[side] not in keys:
                return False
            margin[pair[side]] = margin.get(pair[side], 0) + n
        if any(line.get((LINE, key)) != margin.get(key, 0) for key in keys):
            return False
    return sum(cells.values()) == release.n


def crosstab_table(payload: dict, rows_question: dict, columns_question: dict, cells: dict) -> ResultTable:
    view = payload["views"]["all"]
    row_totals = dict(zip([r["key"] for r in rows_question["rows"]], view["questions"][str(rows_question["id"])]))
    column_totals = dict(zip([c["key"] for c in columns_question["rows"]],
                             view["questions"][str(columns_question["id"])]))
    rows = []
    for row in rows_question["rows"]:
        rows.append([row_label(row["label"]), *[cells[(row["key"], c["key"])] for c in columns_question["rows"]],
                     row_totals[row["key"]]])
    rows.append([_(ALL_RESPONSES), *[column_totals[c["key"]] for c in columns_question["rows"]], view["n"]])
    rows_title = f"{rows_question['position']}. {rows_question['text']}"
    columns_title = f"{columns_question['position']}. {columns_question['text']}"
    title = _("%(rows)s by %(columns)s", rows=rows_title, columns=columns_title)
    return ResultTable(
        key=f"cross-tab-{rows_question['position']}-by-{columns_question['position']}", title=title,
        columns=[rows_title,
                 *[row_label(c["label"]) for c in columns_question["rows"]], _(ALL_RESPONSES)],
        rows=rows, section="crosstab",
        summary=_("Responses by their answer to question %(rows)s (rows) and to question %(columns)s (columns). "
                  "The last column and the last row are the counts each question's own table shows.",
                  rows=rows_question["position"], columns=columns_question["position"]),
    )


# One question across waves


def matching_question(wave: Survey, question) -> int | None:
    """The same question in another wave of the series: same wording and kind (a new wave
    copies its questions), else the same position and kind."""
    by_text = [q for q in wave.questions if q.text == question.text and q.kind == question.kind]
    if by_text:
        return by_text[0].id
    by_position = [q for q in wave.questions if q.position == question.position and q.kind == question.kind]
    return by_position[0].id if by_position else None


def across_waves(survey: Survey, question_id, user=None, public: bool = False) -> ResultTable:
    """One question's whole-wave counts in every wave of the series this reader may see,
    each from its wave's latest release (hidden counts stay hidden)."""
    try:
        question = next(q for q in survey.questions if q.id == int(question_id))
    except (TypeError, ValueError, StopIteration):
        raise CrosstabError(_("Select a question"), "question") from None
    if not isinstance(kind_named(question.kind), ChoiceKind) or kind_named(question.kind).result_parts != "single":
        raise CrosstabError(_("Select a question from the list"), "question")
    waves = series_waves(survey, user, public=public)
    columns, order, labels, counts, sizes = [], [], {}, {}, []
    for wave in waves:
        payload = wave_results(wave)
        qid = matching_question(wave, question)
        shown = next((q for q in payload["questions"] if q["id"] == qid), None) if not payload["withheld"] else None
        columns.append(wave.wave_label)
        sizes.append(payload["n"])
        if shown is None:
            continue
        for row, count in zip(shown["rows"], payload["views"]["all"]["questions"][str(qid)]):
            if row["key"] not in labels:
                order.append(row["key"])
            labels[row["key"]] = row_label(row["label"])
            counts[(row["key"], wave.id)] = count
    rows = []
    for key in order:
        rows.append([labels[key], *[counts.get((key, w.id), "") if (key, w.id) in counts else
                                    ("" if not _asked(counts, w) else 0) for w in waves]])
    rows.append([_(ALL_RESPONSES), *[n if n is not None else "" for n in sizes]])
    asked = f"{question.position}. {question.text}"
    return ResultTable(
        key=f"question-{question.position}-across-waves",
        title=_("%(question)s: by wave", question=asked),
        columns=[_("Answer"), *columns], rows=rows, section="across_waves",
        summary=_("Each wave's counts as its own results show them, from its latest release. A blank column is a "
                  "wave with no released results or without this question."),
        notes=[_("Each wave's responses are different people's, so counts across waves are not added up.")],
    )


def _asked(counts: dict, wave: Survey) -> bool:
    return any(w == wave.id for _, w in counts)
