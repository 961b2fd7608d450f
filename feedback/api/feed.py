"""A wave's released counts in tidy long form: one row per count the results pages show
(every view, every question, every answer), for the JSON breakdowns and the CSV feed that
Power BI and Excel read. Everything comes from the wave's release
(`feedback.results.releases.wave_result`): nothing here counts responses, so hidden counts
stay hidden."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import Survey
from ..results.build import Dimension, Group, QuestionTable, Result
from ..results.exports import neutralise
from ..results.releases import latest_release
from ..surveys.kinds import percent

COLUMNS = ["survey_id", "survey", "wave_number", "wave", "release", "computed_at", "question_id",
           "question_position", "question", "question_kind", "breakdown", "breakdown_label", "group",
           "group_label", "group_responses", "answer", "answer_label", "count", "suppressed", "percent"]


def views(result: Result, breakdown: str | None = None) -> list[tuple[str, Dimension | None, Group | None]]:
    """(view key, dimension, group) for the whole wave (dimension None) and every published group;
    only one dimension's groups when `breakdown` is given."""
    found = [] if breakdown else [("all", None, None)]
    for dimension in result.dimensions:
        if breakdown in (None, dimension.key):
            found += [(f"{dimension.key}:{g.key}", dimension, g) for g in dimension.groups]
    return found


def answer_counts(result: Result, view_key: str, question: QuestionTable) -> list[dict]:
    view = result.views[view_key]
    counts = view.questions[question.id]
    return [{"value": row.key, "label": row.label, "special": row.special, "count": count,
             "percent": percent(count, view.n)} for row, count in zip(question.rows, counts)]


def release_label(survey: Survey, result: Result) -> str:
    """Which release of the results these are: the release number when releases exist, else
    the time the figures were built."""
    release = latest_release(survey)
    return str(release.number) if release is not None else result.computed_at


def rows(survey: Survey, result: Result) -> Iterator[dict]:
    if result.withheld:
        return
    release = release_label(survey, result)
    for view_key, dimension, group in views(result):
        n = result.views[view_key].n
        for question in result.questions:
            for answer in answer_counts(result, view_key, question):
                yield {
                    "survey_id": survey.id, "survey": survey.title, "wave_number": survey.wave_number,
                    "wave": survey.wave_label, "release": release, "computed_at": result.computed_at,
                    "question_id": question.id, "question_position": question.position,
                    "question": question.text, "question_kind": question.kind,
                    "breakdown": dimension.key if dimension else "all",
                    "breakdown_label": dimension.label if dimension else "Everyone who responded",
                    "group": group.key if group else "all",
                    "group_label": group.label if group else "Everyone who responded",
                    "group_responses": n, "answer": answer["value"], "answer_label": answer["label"],
                    "count": answer["count"], "suppressed": answer["count"] is None,
                    "percent": answer["percent"],
                }


def feed_csv(survey: Survey, result: Result) -> str:
    """The CSV feed: a header row, then `rows`; a hidden count is an empty cell with
    suppressed=true. Text cells that a spreadsheet would run as a formula are prefixed with '."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(survey, result):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
