"""The Power BI / spreadsheet feed: a CSV of every released count in tidy long form, read
with pandas as an analyst would, matching the results pages cell for cell (hidden counts
included), with the token in a header or (for web connectors) in the address."""

import io
from html.parser import HTMLParser

import pandas as pd
import pytest

from feedback.api.feed import COLUMNS
from feedback.api.services import create_token, revoke_token

from .conftest import make_user
from .survey_factories import make_open_survey
from .test_results import add_responses, mixed_people, results_survey

DTYPES = {"survey_id": "int64", "survey": "string", "wave_number": "int64", "wave": "string", "release": "string",
          "computed_at": "string", "question_id": "int64", "question_position": "int64", "question": "string",
          "question_kind": "string", "breakdown": "string", "breakdown_label": "string", "group": "string",
          "group_label": "string", "group_responses": "Int64", "answer": "string", "answer_label": "string",
          "count": "Int64", "suppressed": "boolean", "percent": "Int64"}


@pytest.fixture(autouse=True)
def fresh_results(app):
    app.config["RESULTS_REFRESH_SECONDS"] = 0


def read_feed(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=DTYPES, keep_default_na=False, na_values={
        "count": [""], "percent": [""], "group_responses": [""]})


class ResultTables(HTMLParser):
    """The question tables of a results page: {position: [(answer label, count text, percent text)]}."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and (attrs.get("id") or "").startswith("question-"):
            self.current = int(attrs["id"].split("-")[1])
            self.tables[self.current] = []
        elif self.current is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("th", "td"):
            self.cell = ""

    def handle_endtag(self, tag):
        if self.cell is not None and tag in ("th", "td"):
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif self.row is not None and tag == "tr":
            if self.row and self.row[0] != "Answer":
                self.tables[self.current].append(tuple(self.row))
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(client, survey_id: int, view: str) -> dict:
    parser = ResultTables()
    parser.feed(client.get(f"/results/{survey_id}?view={view}").text)
    return parser.tables


def test_the_feed_opens_in_pandas_typed_and_matches_the_results_pages_cell_for_cell(client, auth):
    survey, staff = results_survey(seed=21, n=40)
    _, token = create_token(staff, "Power BI")
    response = client.get(f"/api/v1/surveys/{survey.id}/feed.csv", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    frame = read_feed(response.text)
    assert list(frame.columns) == COLUMNS
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES
    assert frame["suppressed"].any() and (~frame["suppressed"]).any(), "the wave should have hidden counts"
    assert (frame["suppressed"] == frame["count"].isna()).all()

    auth.sign_in(staff.email)
    compared = 0
    for (breakdown, group), rows in frame.groupby(["breakdown", "group"], sort=False):
        view = "all" if breakdown == "all" else f"{breakdown}:{group}"
        tables = page_tables(client, survey.id, view)
        for position, answers in rows.groupby("question_position", sort=False):
            shown = tables[position]
            assert len(shown) == len(answers), (view, position)
            for (label, count, share), (_, row) in zip(shown, answers.iterrows()):
                assert label == row["answer_label"]
                assert count == ("hidden" if row["suppressed"] else str(row["count"])), (view, position, label)
                assert share == ("hidden" if pd.isna(row["percent"]) else str(row["percent"])), (view, position, label)
                compared += 1
    assert compared == len(frame)


def test_the_feed_takes_the_token_in_the_address_for_web_connectors(client):
    survey, staff = results_survey(seed=3, n=12)
    record, token = create_token(staff, "Power BI web")
    assert client.get(f"/api/v1/surveys/{survey.id}/feed.csv?token={token}").status_code == 200
    # Only the feed takes a token in the address.
    assert client.get(f"/api/v1/surveys/{survey.id}/results?token={token}").status_code == 401
    revoke_token(record)
    assert client.get(f"/api/v1/surveys/{survey.id}/feed.csv?token={token}").status_code == 401


def test_a_withheld_wave_has_an_empty_feed(client):
    staff = make_user()
    survey = make_open_survey(staff)
    add_responses(survey, mixed_people(4, 3))
    _, token = create_token(staff, "BI")
    response = client.get(f"/api/v1/surveys/{survey.id}/feed.csv", headers={"Authorization": f"Bearer {token}"})
    frame = read_feed(response.text)
    assert list(frame.columns) == COLUMNS and frame.empty
