"""Evidence of co-production: the log read from co-design records and who may see it,
off-platform co-production, cohorts and reach with disclosure control (tried by an attacker),
and the evidence pack as HTML, PDF and from the command line."""

import io
import itertools
import re
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings, strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from feedback.actions.services import save_action
from feedback.cli import DEMO_USERS
from feedback.evidence import log, pack, reach
from feedback.evidence.reach import protect_reach_line
from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import Activity, Cohort, Role, Survey
from feedback.surveys import services as surveys

from .conftest import csrf_token, make_organisation, make_user
from .survey_factories import make_co_designed_survey, make_open_survey
from .test_results import add_responses

NOW = date.today()


def co_designed_wave():
    """A co-designed survey: the forum comments, one suggestion accepted, one declined, the
    forum signs off; a youth group is also a partner and comments; staff open it."""
    survey, forum, lead, staff = make_co_designed_survey()
    youth = make_organisation("Youth Voice", "youth_forum")
    young = make_user(Role.YOUTH_MEMBER, organisation=youth, membership="lead", display_name="Jo Young")
    survey.status = "draft"
    surveys.invite_partner(survey, staff, youth)
    survey.status = "co_design"
    db.session.commit()
    first, second = survey.questions[0], survey.questions[2]
    surveys.add_comment(survey, lead, "Parents will not know this word", first)
    surveys.add_comment(survey, young, "Ask young people too")
    accepted = surveys.suggest_wording(survey, lead, first, "How do you like to hear from us?", "plainer")
    declined = surveys.suggest_wording(survey, young, second, "Were you heard?", "")
    surveys.accept_suggestion(accepted, staff)
    surveys.decline_suggestion(declined, staff, "It must match the question bank")
    surveys.sign_off(survey, lead, forum)
    surveys.open_survey(survey, staff, override_reason="The youth forum did not meet in time")
    return survey, forum, youth, lead, young, staff


def texts(entries):
    return [f"{e.group} | {e.what} | {e.detail}" for e in entries]


# The log


def test_the_log_reads_every_co_design_record_and_credits_groups_not_people(app):
    survey, forum, youth, lead, young, staff = co_designed_wave()
    found = log.survey_log(survey)
    lines = texts(found.entries)
    assert "Family Voice Norfolk | Invited to co-design | " in lines
    assert "Family Voice Norfolk | Commented | on ‘How do you like to hear from us?’" in lines
    assert any(line.startswith("Family Voice Norfolk | Suggestion accepted") and "credited to Family Voice Norfolk" in line
               for line in lines)
    assert "Youth Voice | Suggestion declined | Reason given: It must match the question bank" in lines
    assert "Family Voice Norfolk | Signed off the survey | " in lines
    assert "Youth Voice | Opened without sign-off | Reason given: The youth forum did not meet in time" in lines
    assert found.comments == {"Family Voice Norfolk": 1, "Youth Voice": 1}
    assert (found.accepted, found.declined) == (1, 1)
    # Not everyone signed off, but partners commented and suggested: participation.
    assert found.stage.value == "participation" and not found.stage_set_by_staff
    everything = " ".join(lines)
    assert lead.display_name not in everything and young.display_name not in everything


def test_a_member_sees_only_their_own_groups_entries(app, client, auth):
    survey, forum, youth, lead, young, staff = co_designed_wave()
    auth.sign_in(young.email)
    page = client.get(f"/evidence/surveys/{survey.id}")
    assert page.status_code == 200
    assert "Ask young people too" in page.text and "Youth Voice" in page.text
    assert "Family Voice Norfolk" not in page.text and "Parents will not know this word" not in page.text
    assert "Set the stage of participation" not in page.text
    assert client.get(f"/evidence/surveys/{survey.id}/stage").status_code == 403
    outsider = make_user(Role.FORUM_MEMBER, organisation=make_organisation("Other parents", "parent_group"))
    auth.sign_out()
    auth.sign_in(outsider.email)
    assert client.get(f"/evidence/surveys/{survey.id}").status_code == 403
    assert survey.title not in client.get("/evidence/").text


def test_staff_set_the_stage_and_lundy_elements_of_a_survey(app, client, auth):
    survey, *_ = co_designed_wave()
    auth.sign_in_as(Role.STAFF)
    form = client.get(f"/evidence/surveys/{survey.id}/stage")
    response = client.post(f"/evidence/surveys/{survey.id}/stage", data={
        "csrf_token": csrf_token(form.text), "stage": "co_production", "lundy": ["space", "influence"],
        "note": "Young people chose the questions"}, follow_redirects=True)
    assert "Stage of participation: <strong>Co-production</strong>" in response.text
    assert "Lundy model: Space, Influence" in response.text and "Young people chose the questions" in response.text
    bad = client.post(f"/evidence/surveys/{survey.id}/stage", data={"csrf_token": csrf_token(form.text)})
    assert "Choose the stage of participation" in bad.text


def activity_data(token, groups, **overrides):
    data = {"csrf_token": token, "title": "Short breaks workshop", "happened_on": ["12", "6", "2025"],
            "groups": [str(g.id) for g in groups], "stage": "co_production", "lundy": ["space", "voice"],
            "outcome": "Eligibility criteria rewritten together", "survey": ""}
    data.update(overrides)
    return data


def test_staff_log_an_off_platform_workshop_and_its_groups_see_it(app, client, auth):
    forum = make_organisation("Family Voice Norfolk", "parent_carer_forum")
    other = make_organisation("Other parents", "parent_group")
    member = make_user(Role.FORUM_MEMBER, organisation=forum)
    outsider = make_user(Role.FORUM_MEMBER, organisation=other)
    auth.sign_in_as(Role.STAFF)
    token = csrf_token(client.get("/evidence/activities/new").text)
    future = (NOW + timedelta(days=3))
    errors = client.post("/evidence/activities/new", data=activity_data(
        token, [], outcome="  ", happened_on=[str(future.day), str(future.month), str(future.year)]))
    assert "Choose at least one group that took part" in errors.text
    assert "Enter what changed because of it" in errors.text
    assert db.session.scalar(select(Activity.id)) is None
    wrong_date = client.post("/evidence/activities/new", data=activity_data(
        token, [forum], happened_on=[str(future.day), str(future.month), str(future.year)]))
    assert "The date must be today or in the past" in wrong_date.text
    saved = client.post("/evidence/activities/new", data=activity_data(token, [forum]), follow_redirects=True)
    assert "Co-production recorded" in saved.text and "Short breaks workshop" in saved.text
    activity = db.session.scalar(select(Activity))
    assert activity.happened_on == date(2025, 6, 12) and [g.name for g in activity.groups] == ["Family Voice Norfolk"]
    assert activity.lundy == ["space", "voice"]
    auth.sign_out()
    auth.sign_in(member.email)
    assert "Short breaks workshop" in client.get("/evidence/").text
    auth.sign_out()
    auth.sign_in(outsider.email)
    assert "Short breaks workshop" not in client.get("/evidence/").text


# Cohorts and reach


LOCALITY = {"Breckland": 1000, "Broadland": 1000, "Norwich": 2000, "North Norfolk": 1000}
AGES = {"5-10": 2500, "11-15": 2500}


def people(localities: dict[str | None, int]) -> list[dict]:
    return [{"locality": place} for place, n in localities.items() for _ in range(n)]


def closed_wave(staff, localities, title="Short breaks survey"):
    survey = make_open_survey(staff, title=title)
    add_responses(survey, people(localities))
    surveys.close_survey(survey, staff)
    return survey


def test_cohort_figures_must_agree_and_be_whole_numbers(app, client, auth):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/evidence/cohorts/new")
    data = {"csrf_token": csrf_token(page.text), "name": "EHC plan and SEN support", "source": "SEN2",
            "as_of": ["15", "1", "2026"], "locality_0": "1000", "locality_1": "1000", "age_band_1": "500"}
    mismatch = client.post("/evidence/cohorts/new", data=data)
    assert "must add up to the same total" in mismatch.text
    negative = client.post("/evidence/cohorts/new", data={**data, "age_band_1": "-4"})
    assert "enter a whole number, 0 or more" in negative.text
    assert db.session.scalar(select(Cohort.id)) is None
    saved = client.post("/evidence/cohorts/new", data={**data, "age_band_1": "2000"}, follow_redirects=True)
    assert "Cohort saved" in saved.text and "2,000" in saved.text


def test_reach_hides_small_counts_and_a_second_and_flags_under_represented_groups(app):
    staff = make_user(Role.STAFF)
    cohort = reach.save_cohort(staff, name="EHC plans", source="", as_of=NOW, figures={"locality": LOCALITY})
    survey = closed_wave(staff, {"Breckland": 3, "Broadland": 11, "Norwich": 60, "North Norfolk": 40, None: 5})
    found = reach.wave_reach(survey, cohort)
    rows = {row.key: row for row in found.tables[0].rows}
    assert found.n == 119 and found.rate == 2.4
    assert rows["Breckland"].responses is None and rows["Breckland"].rate is None
    # One hidden count would follow from the total: the smallest shown one (5) goes too.
    hidden = {key for key, row in rows.items() if row.responses is None}
    assert hidden == {"Breckland", "not_stated"}
    assert rows["Broadland"].rate == 1.1 and rows["Broadland"].flag == "under"
    assert rows["Norwich"].flag is None and rows["North Norfolk"].flag is None
    # A locality outside the cohort with no responses is left out; one in it would show 0.
    assert "Great Yarmouth" not in rows


def test_when_every_hidden_count_would_be_one_another_is_hidden():
    assert protect_reach_line({"a": 1, "b": 1, "c": 20, "d": 30}) == {"a", "b", "c"}
    assert protect_reach_line({"a": 2, "b": 1, "c": 20}) == {"a", "b"}
    assert protect_reach_line({"a": 0, "b": 7, "c": 20}) == set()
    # Five people in five places: each is exactly 1 unless the zeros are hidden too.
    line = {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1, "f": 0}
    assert protect_reach_line(line) == set(line)


def feasible_values(line: dict, hidden: set, threshold: int = 5) -> dict:
    """What an attacker who knows the total and the shown counts can say of each hidden count:
    every value it could take (zeros are shown, so a hidden count is 1 or more, unless the
    whole line is hidden)."""
    total = sum(line.values())
    left = total - sum(n for k, n in line.items() if k not in hidden)
    keys = sorted(hidden)
    lowest = 0 if hidden == set(line) else 1
    possible = {k: set() for k in keys}
    for values in itertools.product(range(lowest, left + 1), repeat=len(keys)):
        if sum(values) == left:
            for k, v in zip(keys, values):
                possible[k].add(v)
    return possible


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5))
def test_an_attacker_with_the_total_cannot_work_out_any_hidden_count(counts):
    line = {f"g{i}": n for i, n in enumerate(counts)}
    assume(sum(counts) >= 5)  # a wave with fewer responses shows nothing
    hidden = protect_reach_line(line)
    assert all(line[k] not in range(1, 5) for k in line if k not in hidden), "a small count is shown"
    for key, values in feasible_values(line, hidden).items():
        assert len(values) >= 2, f"{key} is pinned to {values} in {line} with {hidden} hidden"


def test_reach_of_an_open_wave_is_for_staff_and_a_closed_one_for_its_partners(app, client, auth):
    survey, forum, youth, lead, young, staff = co_designed_wave()
    add_responses(survey, people({"Norwich": 20}))
    reach.save_cohort(staff, name="EHC plans", source="", as_of=NOW, figures={"locality": LOCALITY})
    auth.sign_in(lead.email)
    assert client.get(f"/evidence/reach/{survey.id}").status_code == 403
    surveys.close_survey(survey, staff)
    page = client.get(f"/evidence/reach/{survey.id}")
    assert page.status_code == 200 and "Norwich" in page.text
    auth.sign_out()
    auth.sign_in_as(Role.STAFF)
    assert client.get(f"/evidence/reach/{survey.id}").status_code == 200


def test_a_wave_with_fewer_than_5_responses_shows_no_reach(app):
    staff = make_user(Role.STAFF)
    cohort = reach.save_cohort(staff, name="EHC plans", source="", as_of=NOW, figures={"locality": LOCALITY})
    found = reach.wave_reach(closed_wave(staff, {"Norwich": 4}), cohort)
    assert found.n is None and found.tables == []


# The evidence pack


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pack_hides_what_reach_hides_and_the_pdf_is_tagged(app, client, auth):
    staff = make_user(Role.STAFF)
    reach.save_cohort(staff, name="EHC plans", source="", as_of=NOW,
                      figures={"locality": LOCALITY})
    closed_wave(staff, {"Breckland": 3, "Broadland": 11, "Norwich": 60, "North Norfolk": 40, None: 5})
    save_action(staff, None, you_said="Nobody rings back", we_did="A named caseworker", due_on=None,
                status="planned", survey_ids=[], theme_ids=[], idea_ids=[])
    author = make_user(Role.YOUTH_MEMBER, display_name="Robin Author")
    idea = idea_services.submit_idea(author, "Quiet rooms at lunch", "Somewhere calm to eat.", "Something else")
    idea_services.publish_idea(idea, staff)
    idea_services.respond_to_idea(idea, staff, "accepted", "We will open two rooms.")
    built = pack.build_pack(NOW - timedelta(days=30), NOW + timedelta(days=30))
    assert [(i.title, i.status, i.days_to_response) for i in built.ideas] == [("Quiet rooms at lunch", "Accepted", 0.0)]
    with app.test_request_context():
        document = pack.render_pack_pdf(built)
    text = pdf_text(document)
    assert re.search(r"Breckland 1,000 Hidden Hidden", text)
    assert re.search(r"Not stated Not in cohort Hidden", text)
    assert re.search(r"Broadland 1,000 11 1.1% Under-represented", text)
    assert "A named caseworker" in text
    assert re.search(r"Quiet rooms at lunch .* Accepted 0.0", text) and "Robin Author" not in text
    root = PdfReader(io.BytesIO(document)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB" and root["/MarkInfo"]["/Marked"]
    auth.sign_in(staff.email)
    start, end = NOW - timedelta(days=30), NOW + timedelta(days=30)
    query = {"start": [start.day, start.month, start.year], "end": [end.day, end.month, end.year]}
    page = client.get("/evidence/pack", query_string=query)
    assert page.status_code == 200 and "<caption" in page.text and "Hidden" in page.text
    download = client.get("/evidence/pack.pdf", query_string=query)
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")
    backwards = client.get("/evidence/pack", query_string={"start": query["end"], "end": query["start"]})
    assert "The end of the period must be on or after its start" in backwards.text


def test_the_cli_builds_the_pack_from_the_demo_data(app, runner, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    out = tmp_path / "pack.pdf"
    result = runner.invoke(args=["evidence-pack", "--from", "2025-01-01", "--to", "2026-12-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    flat = re.sub(r"\s+", " ", text)
    # The co-production log, on and off the platform.
    assert "Co-production log" in text and "Signed off the survey" in flat
    assert "Suggestion declined: Reason given: The question has to match earlier waves" in flat
    assert "credited to Family Voice Norfolk" in flat and "Short breaks workshop" in flat
    # Reach against the cohort, by locality and age band.
    assert "Reach against the SEND population" in text and re.search(r"Norwich 5,140 \d+ [\d.]+%", text)
    assert re.search(r"5 to 10 10,950 \d+", text)
    # The indicator per wave with its interval and n (wave 1's is withheld: with its sums a
    # reader could narrow a hidden count, docs/results.md).
    # Which waves' indicators are withheld is the disclosure audit's choice; each wave is listed
    # with its n, and a shown one with its interval.
    assert re.search(r"Autumn 2025 \(wave 2\) \d+(\.\d+)? \d+(\.\d+)? to \d+(\.\d+)? .*?n = 280", flat)
    for label, n in (("Spring 2025 (wave 1)", 240), ("Spring 2026 (wave 3)", 310)):
        assert re.search(rf"{re.escape(label)} (Withheld Withheld|\d+(\.\d+)? \d+(\.\d+)? to \d+(\.\d+)?) .*?n = {n}",
                         flat), label
    # The actions register.
    assert "You said, we did: actions register" in text and "Every family now has a named caseworker" in flat
    assert "SEND casework team" in flat and "Local Offer newsletter, October 2025" in flat
    assert "1 September 2025: Every family has a named caseworker" in flat
    # No one is named: not the demo people, nor any co-design comment's words.
    for _, name, *_ in DEMO_USERS:
        assert not re.search(rf"\b{re.escape(name)}\b", flat), name
    assert "Many parents will not know" not in flat
    waves = db.session.scalars(select(Survey).where(Survey.status == "closed")).all()
    assert len(waves) == 3


def test_the_cli_refuses_a_period_that_ends_before_it_starts(app, runner, tmp_path):
    result = runner.invoke(args=["evidence-pack", "--from", "2026-01-01", "--to", "2025-01-01",
                                 "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "on or after its start" in result.output
    result = runner.invoke(args=["evidence-pack", "--from", "1 1 2026", "--to", "2025-01-01",
                                 "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_making_the_pdf_fetches_no_url(app, monkeypatch):
    """Text in the pack is escaped, and even markup that slipped through could not make the
    server request a URL (a local server stands in for an internal address)."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setattr(pack, "render_pack_html", lambda built, standalone=False: (
        f'<html lang="en"><title>t</title><link rel="stylesheet" href="{url}/a.css">'
        f'<img alt="" src="{url}/b.png"><p>Pack</p></html>'))
    try:
        document = pack.render_pack_pdf(pack.build_pack(NOW, NOW))
    finally:
        server.shutdown()
    assert "Pack" in pdf_text(document) and hits == []
