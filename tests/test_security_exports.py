"""Downloads cannot carry spreadsheet formulas, and every staff download is in the audit log."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, Role
from feedback.responses import services as responses
from feedback.results.exports import neutralise

from .survey_factories import make_open_survey

FORMULAS = ["=HYPERLINK(\"https://evil.example\",\"Click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", FORMULAS)
def test_cells_that_start_like_formulas_become_plain_text(value):
    assert not str(neutralise(value)).startswith(("=", "+", "-", "@"))
    assert value in neutralise(value)


def survey_with_formula_answers():
    survey = make_open_survey(questions=[
        dict(kind="single_choice", text="=1+1 Which do you prefer?", options=["=SUM(1,2)", "@Phone", "Letter"],
             page=1, required=True),
        dict(kind="free_text", text="Anything else?", page=1, max_length=300),
    ])
    choice, free = survey.questions
    for value in FORMULAS * 2:  # ten responses, so no count is hidden
        response = responses.start_response(survey)
        responses.save_page(response, [choice, free], {choice.id: "=SUM(1,2)", free.id: value})
        responses.submit_response(response.id)
    return survey


def all_cells(rows) -> list[str]:
    return [cell for row in rows for cell in row if isinstance(cell, str) and cell]


def test_staff_csv_downloads_neutralise_formulas_and_are_audited(client, auth):
    survey = survey_with_formula_answers()
    auth.sign_in_as(Role.STAFF)
    for url in (f"/results/{survey.id}/responses.csv", f"/results/{survey.id}/download.csv"):
        response = client.get(url)
        assert response.status_code == 200
        cells = all_cells(csv.reader(io.StringIO(response.text)))
        assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == survey.id)))
    assert {"results.responses_exported", "results.tables_exported"} <= actions


def test_xlsx_download_has_no_formulas(client, auth):
    survey = survey_with_formula_answers()
    auth.sign_in_as(Role.STAFF)
    response = client.get(f"/results/{survey.id}/download.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and not [c for c in cells if c.data_type == "f"]
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
