"""Results that read well: band names that are levels, not trends; tidy downloads (one CSV
per table in a zip, one long CSV, sheets named for what they hold, dates people read);
cross-tabs of two questions and one question across waves, both with suppression."""

import csv
import io
import re
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from feedback.extensions import db
from feedback.models import Role
from feedback.results import services
from feedback.results.exports import sheet_names
from feedback.results.tables import ResultTable
from feedback.surveys import services as surveys

from .conftest import make_organisation, make_user
from .survey_factories import make_open_survey
from .test_results import add_responses, api_json, question, results_survey, two_waves_with_a_real_change


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Bands


def fair_wave(staff=None):
    """A wave whose indicator is 60: in the middle band."""
    survey = make_open_survey(staff or make_user(Role.STAFF))
    add_responses(survey, [{"answers": {3: "agree", 4: "yes"}}] * 24 + [{"answers": {3: "disagree", 4: "no"}}] * 16)
    return survey


def test_the_middle_band_is_called_fair_not_improving(client, auth):
    survey = fair_wave()
    auth.sign_in(make_user(Role.STAFF).email)
    for page in (f"/results/{survey.id}", f"/results/{survey.id}/indicator", "/results/indicator-method"):
        text = _text(client.get(page).text).lower()
        assert "improving" not in text, page
        assert "fair" in text, page


def stored_under_the_old_band_name(survey):
    """Rewrite the wave's latest release as a release made before the bands were renamed."""
    release = services.latest_release(survey)
    payload = dict(release.payload)
    payload["views"] = {**payload["views"], "all": {**payload["views"]["all"],
                                                    "cqi": {**payload["views"]["all"]["cqi"], "band": "improving"}}}
    release.payload = payload
    db.session.commit()


def test_a_release_made_under_the_old_band_name_is_shown_as_fair(client, auth):
    survey = fair_wave()
    auth.sign_in(make_user(Role.STAFF).email)
    client.get(f"/results/{survey.id}")
    stored_under_the_old_band_name(survey)
    for page in (f"/results/{survey.id}", f"/results/{survey.id}/indicator"):
        text = _text(client.get(page).text).lower()
        assert "improving" not in text and "fair" in text, page


def test_the_api_adds_band_name_and_keeps_band_for_existing_clients(client):
    from feedback.api.services import create_token

    staff = make_user(Role.STAFF)
    survey = fair_wave(staff)
    _, token = create_token(staff, "test")
    body = api_json(client, f"/api/v1/surveys/{survey.id}/results", token)
    assert body["indicator"]["band_name"] == "fair"
    assert body["indicator"]["band"] == "improving"  # v1's name, unchanged for existing clients
    series = api_json(client, f"/api/v1/series/{survey.series_key}/indicator", token)
    assert series["waves"][0]["band_name"] == "fair" and series["waves"][0]["band"] == "improving"
    document = client.get("/api/v1/openapi.json").get_json()
    indicator = document["components"]["schemas"]["Indicator"]["properties"]
    assert indicator["band_name"]["enum"][:3] == ["good", "fair", "needs action"]
    assert indicator["band"]["deprecated"] is True


# Tidy downloads


def test_the_long_csv_has_a_line_per_count_with_its_table_and_a_readable_release_date(client, auth):
    survey, staff = results_survey(seed=5, n=50)
    auth.sign_in(staff.email)
    blocks = client.get(f"/results/{survey.id}/download.csv").text
    response = client.get(f"/results/{survey.id}/download-long.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.DictReader(io.StringIO(response.text)))
    assert set(lines[0]) >= {"Table", "View", "Row", "Column", "Value", "Shown or hidden",
                             "Release date (ISO 8601)", "Release date"}
    hidden = [line for line in lines if line["Shown or hidden"] == "hidden"]
    assert hidden and all(line["Value"] == "" for line in hidden)
    assert all(line["Value"] != "" for line in lines if line["Shown or hidden"] == "shown"
               and line["Column"] not in ("Change in comments since last wave", "Change in negative share (points)"))
    # Dates people read ("1 December 2026"), and ISO in a column named as such.
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", lines[0]["Release date"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[0]["Release date (ISO 8601)"])
    # Every count the block CSV shows is a line here, the same.
    likert = [line for line in lines if line["Table"] == "question-3" and line["Column"] == "Responses"]
    block = blocks.split("3. I feel listened to")[1].split("\r\n\r\n")[0]
    rows = list(csv.reader(io.StringIO(block.strip())))[1:]
    assert [(line["Row"], line["Value"] or "hidden") for line in likert] == [(r[0], r[1]) for r in rows]


def test_the_zip_holds_one_csv_per_table_and_says_what_it_holds(client, auth):
    survey, staff = results_survey(seed=5, n=50)
    auth.sign_in(staff.email)
    response = client.get(f"/results/{survey.id}/download.zip?view=locality:Norwich")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names[0] == "README.txt" and "Locality: Norwich" in archive.read("README.txt").decode()
    assert re.search(r"made on \d{1,2} [A-Z][a-z]+ \d{4}", archive.read("README.txt").decode())
    keys = [re.sub(r"^\d+-|\.csv$", "", name) for name in names[1:]]
    assert "question-3" in keys and "themes" in keys
    for name, key in zip(names[1:], keys):
        alone = client.get(f"/results/{survey.id}/download.csv?view=locality:Norwich&table={key}").text
        assert archive.read(name).decode() == alone, name


def test_spreadsheet_sheets_are_named_for_what_they_hold(client, auth):
    survey, staff = results_survey(seed=5, n=50)
    auth.sign_in(staff.email)
    book = load_workbook(io.BytesIO(client.get(f"/results/{survey.id}/download.xlsx").data))
    names = book.sheetnames
    assert names[0] == "About"
    assert "Responses by locality" in names
    assert any(name.startswith("3. I feel listened to") for name in names)
    assert all(len(name) <= 31 for name in names) and len({n.lower() for n in names}) == len(names)
    for sheet in book.worksheets[1:]:
        title = sheet.cell(1, 1).value
        assert title.startswith(sheet.title.rstrip("…").split(" (")[0][:20]), (sheet.title, title)
    about = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert any(re.search(r"made on \d{1,2} [A-Z][a-z]+ \d{4}", line or "") for line in about)


def test_sheet_names_stay_within_excels_rules_for_long_and_repeated_titles():
    def table(title):
        return ResultTable(key="k", title=title, columns=[], rows=[], section="questions")

    names = sheet_names([table("4. How well did the SEND team keep you informed about the plan?"),
                         table("4. How well did the SEND team keep you informed about the plan?"),
                         table("What: [this] or * that / other?"), table("About")])
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 4
    assert names[0].endswith("…") and names[1].endswith("(2)")
    assert not any(c in n for n in names for c in "[]:*?/\\")
    assert names[3].lower() != "about"


# Cross-tabs of two questions


def crosstab_wave(staff=None):
    """A wave where a few people prefer letters and did not get a reply: small joint counts."""
    survey = make_open_survey(staff or make_user(Role.STAFF))
    add_responses(survey, [{"answers": {1: "Email", 4: "yes", 3: "agree"}}] * 14
                  + [{"answers": {1: "Phone", 4: "no", 3: "disagree"}}] * 11
                  + [{"answers": {1: "Phone", 4: "yes", 3: "agree"}}] * 7
                  + [{"answers": {1: "Email", 4: "no", 3: "agree"}}] * 6
                  + [{"answers": {1: "Letter", 4: "no", 3: "disagree"}}] * 2
                  + [{"answers": {1: "Letter", 4: "yes", 3: "agree"}}] * 6)
    return survey


def crosstab_page(client, survey, rows=1, columns=4):
    return client.get(f"/results/{survey.id}/cross-tab",
                      query_string={"rows": question(survey, rows).id, "columns": question(survey, columns).id})


def test_staff_compare_two_questions_with_small_counts_hidden_and_margins_as_published(client, auth):
    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    auth.sign_in(staff.email)
    page = crosstab_page(client, survey)
    assert page.status_code == 200
    from .disclosure_reader import html_tables

    tables = html_tables(page.text)
    title = "1. How do you prefer to hear from us? by 4. Did you get a reply?"
    rows = {r[0]: r[1:] for r in tables[title][1:]}
    header = tables[title][0]
    assert header[1:3] == ["Yes", "No"] and header[-1] == "All responses"
    assert rows["Email"][:2] == ["14", "6"]
    assert rows["Letter"][1] == "hidden"  # 2 people: hidden
    assert rows["Letter"][0] == "hidden"  # and another, so 8 - 6 does not give it away
    # The margins are the one-way tables the results page shows.
    from .test_results import page_tables

    dashboard = page_tables(client.get(f"/results/{survey.id}").text)
    one_way = {r[0]: r[1] for r in dashboard["question-1"][1:]}
    assert {label: cells[-1] for label, cells in rows.items() if label != "All responses"} == one_way
    replies = {r[0]: r[1] for r in dashboard["question-4"][1:]}
    assert dict(zip(header[1:-1], rows["All responses"][:-1])) == replies
    assert rows["All responses"][-1] == "46"
    # The same in its CSV and spreadsheet.
    query = {"rows": question(survey, 1).id, "columns": question(survey, 4).id}
    table_csv = list(csv.reader(io.StringIO(client.get(f"/results/{survey.id}/cross-tab.csv",
                                                       query_string=query).text)))
    assert table_csv == tables[title]
    book = load_workbook(io.BytesIO(client.get(f"/results/{survey.id}/cross-tab.xlsx", query_string=query).data))
    sheet = book.worksheets[1]
    assert [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(min_row=2, values_only=True)] == \
        tables[title]


def test_choosing_the_same_question_twice_or_none_says_what_to_fix(client, auth):
    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    auth.sign_in(staff.email)
    same = crosstab_page(client, survey, 1, 1)
    assert same.status_code == 400
    assert "Select a different question from the one for the rows" in same.text
    assert 'href="#columns"' in same.text and "govuk-error-message" in same.text
    assert "<title>Error:" in same.text
    missing = client.get(f"/results/{survey.id}/cross-tab", query_string={"rows": question(survey, 1).id})
    assert missing.status_code == 400 and 'href="#columns"' in missing.text
    free_text = crosstab_page(client, survey, 1, 8)
    assert free_text.status_code == 400 and "Select a question from the list" in free_text.text
    assert client.get(f"/results/{survey.id}/cross-tab.csv", query_string={"rows": question(survey, 1).id,
                                                                            "columns": "x"}).status_code == 404
    blank = client.get(f"/results/{survey.id}/cross-tab")
    assert blank.status_code == 200 and "govuk-error-message" not in blank.text


def test_a_forum_member_compares_questions_only_of_waves_they_may_see(client, auth):
    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    other = make_organisation("Another forum", "parent_carer_forum")
    member = make_user(Role.FORUM_MEMBER, organisation=other, membership="member")
    auth.sign_in(member.email)
    assert crosstab_page(client, survey).status_code == 403
    services.set_published(survey, True)
    assert crosstab_page(client, survey).status_code == 200


def test_a_cross_tab_waits_for_the_next_release_when_responses_changed(client, auth, app):
    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    auth.sign_in(staff.email)
    assert "hidden" in crosstab_page(client, survey).text
    release = services.latest_release(survey)
    # One response is erased after the release: the cross-tab's margins would no longer be
    # the release's, so differencing the two could give a count away.
    from feedback.models import Response

    gone = db.session.scalars(db.select(Response).where(Response.survey_id == survey.id)).first()
    db.session.delete(gone)
    db.session.commit()
    assert services.latest_release(survey).id == release.id
    page = crosstab_page(client, survey)
    assert "not shown yet" in page.text and "app-result-table" not in page.text


def test_cross_tab_cells_keep_every_hidden_count_protected_against_the_linear_programme(client, auth, monkeypatch):
    """The reader downloads the one-way tables of every view and every cross-tab; their
    linear programme narrows no hidden count below its protection interval."""
    from .disclosure_reader import attack_crosstabs

    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    auth.sign_in(staff.email)
    result = attack_crosstabs(client, survey, monkeypatch)
    assert result["crosstabs"] >= 3 and result["hidden_cells"] >= 2
    assert result["findings"] == []


@pytest.mark.parametrize("seed", [1, 4])
def test_randomised_waves_cross_tabs_narrow_no_hidden_count(client, auth, monkeypatch, seed):
    """Waves with many small counts: the heuristic alone leaves counts a reader narrows
    (the control below); with the audit over cross-tabs and tables together, none."""
    from .disclosure_reader import attack_crosstabs

    survey, staff = results_survey(seed=seed, n=60)
    auth.sign_in(staff.email)
    result = attack_crosstabs(client, survey, monkeypatch)
    assert result["crosstabs"] == 6 and result["sensitive"] > 100
    assert result["findings"] == []


def test_without_the_audit_the_reader_narrows_hidden_counts_through_cross_tabs(client, auth, monkeypatch):
    """The control: the attack finds what bridge-based suppression alone gives away."""
    from feedback.results import crosstab

    from .disclosure_reader import attack_crosstabs

    monkeypatch.setattr(crosstab, "secure", lambda relations, values, hidden, **kwargs: set(hidden))
    survey, staff = results_survey(seed=1, n=60)
    auth.sign_in(staff.email)
    assert attack_crosstabs(client, survey, monkeypatch)["findings"]


# One question across waves


def two_waves(staff):
    first = make_open_survey(staff)
    add_responses(first, [{"answers": {4: "yes"}}] * 20 + [{"answers": {4: "no"}}] * 3)
    surveys.close_survey(first, staff)
    now = datetime.now(timezone.utc)
    second = surveys.new_wave(first, staff, "Spring 2027", now - timedelta(days=1), now + timedelta(days=20))
    surveys.open_survey(second, staff, override_reason="Testing")
    add_responses(second, [{"answers": {4: "yes"}}] * 12 + [{"answers": {4: "no"}}] * 18)
    return first, second


def test_one_question_across_waves_shows_each_waves_published_counts(client, auth):
    staff = make_user(Role.STAFF)
    first, second = two_waves(staff)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{second.id}/across-waves", query_string={"question": question(second, 4).id})
    assert page.status_code == 200
    from .disclosure_reader import html_tables

    table = html_tables(page.text)["4. Did you get a reply?: by wave"]
    assert table[0] == ["Answer", "Autumn 2026", "Spring 2027"]
    rows = {r[0]: r[1:] for r in table[1:]}
    assert rows["Yes"] == ["hidden", "12"] or rows["Yes"][1] == "12"
    assert rows["No"][0] == "hidden"  # 3 people in the first wave: hidden there, hidden here
    assert rows["All responses"] == ["23", "30"]
    for wave, column in ((first, 0), (second, 1)):
        from .test_results import page_tables

        own = {r[0]: r[1] for r in page_tables(client.get(f"/results/{wave.id}").text)["question-4"][1:]}
        assert {label: cells[column] for label, cells in rows.items() if label != "All responses"} == own
    download = client.get(f"/results/{second.id}/across-waves.csv", query_string={"question": question(second, 4).id})
    assert list(csv.reader(io.StringIO(download.text))) == table


def test_across_waves_leaves_out_waves_the_reader_may_not_see(client, auth):
    staff = make_user(Role.STAFF)
    first, second = two_waves(staff)
    other = make_organisation("Another forum", "parent_carer_forum")
    member = make_user(Role.FORUM_MEMBER, organisation=other, membership="member")
    services.set_published(second, True)
    auth.sign_in(member.email)
    page = client.get(f"/results/{second.id}/across-waves", query_string={"question": question(second, 4).id})
    assert page.status_code == 200
    assert "Spring 2027" in page.text and "Autumn 2026" not in page.text
    assert client.get(f"/results/{first.id}/across-waves").status_code == 403


def test_across_waves_asks_again_for_a_question_that_is_not_from_the_list(client, auth):
    staff = make_user(Role.STAFF)
    _, second = two_waves(staff)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{second.id}/across-waves", query_string={"question": question(second, 8).id})
    assert page.status_code == 400 and "Select a question from the list" in page.text
    assert 'href="#question"' in page.text


@pytest.mark.parametrize("path", ["cross-tab", "across-waves"])
def test_comparison_pages_have_one_h1_and_a_title(client, auth, path):
    staff = make_user(Role.STAFF)
    survey = crosstab_wave(staff)
    auth.sign_in(staff.email)
    html = client.get(f"/results/{survey.id}/{path}").text
    assert html.count("<h1") == 1 and "<title>" in html


# Charts


def test_the_trend_chart_draws_each_waves_interval_from_low_to_high_with_visible_ends(client, auth):
    staff, first, second = two_waves_with_a_real_change()
    auth.sign_in(staff.email)
    page = client.get(f"/results/{second.id}/indicator").text
    chart = re.search(r'<svg class="app-chart app-chart--trend".*?</svg>', page, re.S).group(0)
    series = services.indicator_series([first, second])[0]
    assert len(series) == 2

    def y(value):  # the chart's scale: 0 to 100 over 230 units from y = 20
        return round(20 + 230 * (1 - value / 100), 1)

    lines = [tuple(float(v) for v in m) for m in re.findall(
        r'<line class="app-chart__interval" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)"/>', chart)]
    for point in series:
        assert point["low"] < point["value"] < point["high"]
        vertical = [line for line in lines if line[0] == line[1] and line[2:] == (y(point["low"]), y(point["high"]))]
        assert len(vertical) == 1, point
        x = vertical[0][0]
        ends = [line for line in lines if line[0] < x < line[1] and line[2] == line[3]]
        assert sorted(line[2] for line in ends) == sorted([y(point["low"]), y(point["high"])])
    assert "the vertical line through it is the 95% interval" in page


def test_a_long_theme_name_is_shown_whole_in_the_chart_and_the_table():
    from feedback.results.charts import bar_chart

    name = "Waiting for the education, health and care plan after the annual review meeting"
    chart = str(bar_chart([(name, 12, None)], "themes-summary", scale="count"))
    words = " ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", chart))
    assert words == name and "…" not in chart


def test_the_evidence_pack_names_the_middle_band_fair_even_from_an_old_release(client, auth):
    staff = make_user(Role.STAFF)
    survey = fair_wave(staff)
    surveys.close_survey(survey, staff)
    auth.sign_in(staff.email)
    client.get(f"/results/{survey.id}")
    stored_under_the_old_band_name(survey)
    today = datetime.now(timezone.utc).date()
    start, end = today - timedelta(days=30), today + timedelta(days=30)
    page = client.get("/evidence/pack", query_string={"start": [start.day, start.month, start.year],
                                                      "end": [end.day, end.month, end.year]})
    assert page.status_code == 200
    row = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">Autumn 2026</th>(.*?)</tr>", page.text, re.S)
    assert row and ">fair<" in row.group(1) and "improving" not in page.text
