"""A wave's released counts in tidy long form: one row per count the results pages show
(every view, every question, every answer), for the JSON breakdowns and the CSV feed that
Power BI and Excel read. Everything comes from `feedback.results.services.wave_results`:
nothing here counts responses, so hidden counts stay hidden."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import Survey
from ..results import services as results
from ..results.exports import neutralise

COLUMNS = ["survey_id", "survey", "wave_number", "wave", "release", "computed_at", "question_id",
           "question_position", "question", "question_kind", "breakdown", "breakdown_label", "group",
           "group_label", "group_responses", "answer", "answer_label", "count", "suppressed", "percent"]


def views(payload: dict, breakdown: str | None = None) -> list[tuple[str | None, dict | None, dict | None]]:
    """(view key, dimension, group) for the whole wave (dimension None) and every published group;
    only one dimension's groups when `breakdown` is given."""
    found = [] if breakdown else [("all", None, None)]
    for dimension in payload["dimensions"]:
        if breakdown in (None, dimension["key"]):
            found += [(f"{dimension['key']}:{g['key']}", dimension, g) for g in dimension["groups"]]
    return found


def answer_counts(payload: dict, view_key: str, question: dict) -> list[dict]:
    view = payload["views"][view_key]
    counts = view["questions"][str(question["id"])]
    return [{"value": row["key"], "label": row["label"], "special": row["special"], "count": count,
             "percent": results.percent(count, view["n"])} for row, count in zip(question["rows"], counts)]


def release_label(survey: Survey, payload: dict) -> str:
    """Which release of the results these are: the release number when releases exist, else
    the time the figures were built."""
    latest = getattr(results, "latest_release", None)
    release = latest(survey) if latest is not None else None
    return str(release.number) if release is not None else payload["computed_at"]


def rows(survey: Survey, payload: dict) -> Iterator[dict]:
    if payload["withheld"]:
        return
    release = release_label(survey, payload)
    for view_key, dimension, group in views(payload):
        n = payload["views"][view_key]["n"]
        for question in payload["questions"]:
            for answer in answer_counts(payload, view_key, question):
                yield {
                    "survey_id": survey.id, "survey": survey.title, "wave_number": survey.wave_number,
                    "wave": survey.wave_label, "release": release, "computed_at": payload["computed_at"],
                    "question_id": question["id"], "question_position": question["position"],
                    "question": question["text"], "question_kind": question["kind"],
                    "breakdown": dimension["key"] if dimension else "all",
                    "breakdown_label": dimension["label"] if dimension else "Everyone who responded",
                    "group": group["key"] if group else "all",
                    "group_label": group["label"] if group else "Everyone who responded",
                    "group_responses": n, "answer": answer["value"], "answer_label": answer["label"],
                    "count": answer["count"], "suppressed": answer["count"] is None,
                    "percent": answer["percent"],
                }


def feed_csv(survey: Survey, payload: dict) -> str:
    """The CSV feed: a header row, then `rows`; a hidden count is an empty cell with
    suppressed=true. Text cells that a spreadsheet would run as a formula are prefixed with '."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(survey, payload):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)
