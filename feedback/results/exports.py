"""Downloads: the aggregated tables of a page as CSV or XLSX, and (staff only) anonymised
responses with redacted free text, streamed so a large wave never sits in memory."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import and_, select

from ..analysis.redaction import redact
from ..extensions import db
from ..models import Answer, RedactionName, Response, ResponseStatus, Survey, TextAnalysis
from ..surveys.kinds import kind_of
from .build import CHANNEL_LABELS, RESPONDENT_LABELS
from .tables import ResultTable, cell_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000


def neutralise(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula; make it plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    return neutralise(cell_text(value)) if value is None or isinstance(value, str) else value


def tables_csv(tables: list[ResultTable]) -> str:
    """One table as a plain CSV; several as titled blocks separated by a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


SHEET_NAME_LIMIT = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_names(tables: list[ResultTable], about: str = "About") -> list[str]:
    """A sheet name for each table that says what it holds: its title, shortened at a word
    to Excel's 31 characters, without the characters Excel refuses, unique in the file (and
    not the name of the first sheet, `about`)."""
    used = {about.lower()}
    names = []
    for table in tables:
        title = " ".join(SHEET_NAME_FORBIDDEN.sub(" ", table.title).split()).strip("'") or table.key
        name = _shortened(title, SHEET_NAME_LIMIT)
        number = 2
        while name.lower() in used:
            suffix = f" ({number})"
            name = _shortened(title, SHEET_NAME_LIMIT - len(suffix)) + suffix
            number += 1
        used.add(name.lower())
        names.append(name)
    return names


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" .,;") + "…"


def tables_xlsx(tables: list[ResultTable], about: list[str]) -> bytes:
    """One sheet per table, named for what it holds, after a sheet saying what the file is
    and how counts are hidden."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("About")
    for line in about:
        sheet.append([neutralise(line)])
    for table, name in zip(tables, sheet_names(tables, sheet.title)):
        sheet = book.create_sheet(name)
        sheet.append([neutralise(table.title)])
        sheet.append([neutralise(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The long CSV is read by analysis tools: its header, and the tables' titles and headings in it,
# stay in English whatever the page's language (views._download builds its tables in English).
LONG_HEADER = ["Table", "Table title", "View", "Row", "Column", "Value", "Shown or hidden", "Release",
               "Release date (ISO 8601)", "Release date"]


def tables_long_csv(tables: list[ResultTable], view: str, release: dict | None) -> str:
    """Every table of a view as one tidy CSV: one line per cell, with the table it belongs
    to, its row and column, its value and whether it is shown or hidden (a hidden count has
    no value), and the release it is from, dated both for machines (ISO 8601) and people."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LONG_HEADER)
    number, iso, readable = _release_dates(release)
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:]):
                writer.writerow([neutralise(v) for v in (
                    table.key, table.title, view, row[0], column, "" if value is None else value,
                    "hidden" if value is None else "shown", number, iso, readable)])
    return out.getvalue()


def tables_zip(tables: list[ResultTable], about: list[str]) -> bytes:
    """One CSV per table in a zip, named for the table, with a README saying what it holds."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", "\n".join(about) + "\n")
        for index, table in enumerate(tables, start=1):
            archive.writestr(f"{index:02d}-{table.key}.csv", tables_csv([table]))
    return out.getvalue()


def readable_date(value: datetime | str | None) -> str:
    """A date as people write it: "1 March 2026"."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def _release_dates(release: dict | None) -> tuple:
    if not release:
        return "", "", ""
    created = datetime.fromisoformat(release["created_at"])
    return release["number"], created.date().isoformat(), readable_date(created)


def _staff_names() -> tuple[str, ...]:
    """The names staff listed for removal: an answer not analysed yet is redacted with them too."""
    return tuple(db.session.scalars(select(RedactionName.name)))


def anonymised_responses(survey_id: int) -> Iterator[str]:
    """CSV lines: one per submitted response, numbered in order, without references, codes
    or who entered it; free text as redacted by the analysis (or redacted here if not yet)."""
    survey = db.session.get(Survey, survey_id)
    questions = sorted(survey.questions, key=lambda q: q.position)
    header = ["Response", "Submitted on (ISO 8601 date)", "Channel", "Respondent type", "Locality", "Child's age band",
              "Agreed to be quoted"] + [header for q in questions for header in kind_of(q).export_headers(q)]
    yield _csv_line(header)
    last_id, number = 0, 0
    while True:
        responses = db.session.execute(
            select(Response.id, Response.submitted_at, Response.channel, Response.respondent_type,
                   Response.locality, Response.child_age_band, Response.consent_to_quote)
            .where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED,
                   Response.id > last_id)
            .order_by(Response.id).limit(BATCH)
        ).all()
        if not responses:
            return
        ids = [r.id for r in responses]
        answers = defaultdict(lambda: defaultdict(list))
        redacted = {}
        for answer_id, response_id, question_id, value, number_value, text in db.session.execute(
            select(Answer.id, Answer.response_id, Answer.question_id, Answer.value, Answer.number,
                   TextAnalysis.redacted_text)
            .outerjoin(TextAnalysis, and_(TextAnalysis.source_type == "answer", TextAnalysis.source_id == Answer.id))
            .where(Answer.response_id.in_(ids)).order_by(Answer.id)
        ):
            answers[response_id][question_id].append((value, number_value))
            if text is not None:
                redacted[(response_id, question_id)] = text
        names = _staff_names()

        def redact_late(text: str) -> str:
            return redact(text, names).text

        for response in responses:
            number += 1
            row = [number, response.submitted_at.date().isoformat() if response.submitted_at else "",
                   CHANNEL_LABELS.get(response.channel, response.channel),
                   RESPONDENT_LABELS.get(response.respondent_type, response.respondent_type or "Not stated"),
                   response.locality or "Not stated", response.child_age_band or "Not stated",
                   "Yes" if response.consent_to_quote else "No"]
            for question in questions:
                # Each kind writes its own columns; free text as the analysis redacted it.
                row += kind_of(question).export_cells(question, answers[response.id].get(question.id, []),
                                                      redacted.get((response.id, question.id)), redact_late)
            yield _csv_line(row)
        last_id = ids[-1]


def _csv_line(values: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([neutralise(v) for v in values])
    return out.getvalue()
