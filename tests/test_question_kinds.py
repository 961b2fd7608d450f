"""Question kinds are complete objects: each lives in its own module and owns everything
about its questions, so no other code names a kind, and a kind added in one place works from
the question builder to the results and the export. Also the kinds families and staff asked
for: a drop-down list, ranking, a grid, and "Other (please specify)" on choice questions."""

import itertools
import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Answer, Question, Response, ResponseStatus, Role, TextAnalysis
from feedback.models.surveys import TEXT_SLOT
from feedback.results import services as results
from feedback.results.tables import question_tables
from feedback.surveys import kinds
from feedback.surveys import services as surveys
from feedback.surveys.kinds.base import ChoiceKind, Specials

from .conftest import csrf_token, make_user
from .survey_factories import make_survey

ROOT = Path(__file__).resolve().parent.parent
# A kind's name as code would write it: a quoted string.
QUOTED = "(?<![\\w-])[\"']{}[\"']"


def _kind_files() -> dict[str, Path]:
    import inspect

    return {kind.name: Path(inspect.getfile(type(kind))).resolve() for kind in kinds.BUILT_IN}


def test_no_kind_name_appears_outside_its_own_module_and_the_registry():
    """A kind's name, quoted, is found only in its module. Names that are also plain words
    ("number", "date", "rating", "grid") are dictionary keys and JSON types elsewhere, so for
    them a line counts when it also speaks of a kind."""
    registry = (ROOT / "feedback/surveys/kinds/__init__.py").resolve()
    own = _kind_files()
    files = [p for p in (ROOT / "feedback").rglob("*.py")] + [p for p in (ROOT / "templates").rglob("*.html")]
    assert len(files) > 100
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name, home in own.items():
            if path.resolve() in (home, registry):
                continue
            pattern = re.compile(QUOTED.format(re.escape(name)))
            word = name.isalpha()
            for number, line in enumerate(text.splitlines(), start=1):
                if pattern.search(line) and (not word or "kind" in line.lower()):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Kind names outside their kind's module:\n" + "\n".join(found)


def test_the_grep_finds_a_kind_name_where_it_should_not_be(tmp_path):
    """The check above can fail: the lines it was written against are caught."""
    pattern = re.compile(QUOTED.format("free_text"))
    assert pattern.search('        .where(Question.kind == "free_text", Response.status == "submitted")')
    assert pattern.search("if question['kind'] in ('free_text', 'date'):")
    assert not pattern.search('"free_text_answers"')
    word = re.compile(QUOTED.format("number"))
    assert word.search('by_kind["number"]') and "kind" in 'by_kind["number"]'


def test_every_kind_has_its_own_module():
    files = _kind_files()
    assert len(set(files.values())) == len(files)
    for name, path in files.items():
        assert path.parent.name == "kinds" and path.name not in ("__init__.py", "base.py"), name


# A kind added in a single place


class TrafficLight(ChoiceKind):
    """Red, amber or green: written here only, as a new kind would be in its own module."""

    name, label = "traffic_light", "Traffic light"
    Settings = Specials
    positive = frozenset({"green"})
    positive_sentence = "%(count)s (%(percent)s%%) said green."

    def options(self, question):
        return [("red", "Red: it is not working"), ("amber", "Amber: it is mixed"), ("green", "Green: it works well")]


@pytest.fixture
def traffic_light(app):
    kinds.register(TrafficLight())
    yield
    kinds.unregister(TrafficLight.name)


_ADDRESSES = itertools.count()


def answer_survey(app, survey, pages: dict[int, dict], about=None) -> object:
    """One family through every page, about you, check answers and submit; returns the check page.
    Each family answers from its own browser and its own address, as families at home do (a
    release counts many responses from one address once: docs/results.md, "Padding")."""
    client = app.test_client()
    number = next(_ADDRESSES)
    client.environ_base["REMOTE_ADDR"] = f"10.0.{number // 250}.{number % 250 + 1}"
    start = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(start.text)})
    for number, data in pages.items():
        url = f"/surveys/{survey.slug}/pages/{number}"
        page = client.get(url)
        response = client.post(url, data={**data, "csrf_token": csrf_token(page.text)})
        assert response.status_code == 302, response.text
    page = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={
        "respondent_type": "parent_carer", "locality": "Norwich", "consent_to_quote": "y",
        "csrf_token": csrf_token(page.text)})
    check = client.get(f"/surveys/{survey.slug}/check")
    submitted = client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check.text)})
    assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/confirmation")
    return check


def test_a_kind_added_in_one_place_works_end_to_end(app, client, auth, traffic_light):
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    builder = client.get(url + "?kind=traffic_light")
    assert "Traffic light" in builder.text and 'name="settings_traffic_light-allow_dont_know"' in builder.text
    assert "settings_number-min_value" not in builder.text  # only this kind's own settings
    saved = client.post(url, data={"kind": "traffic_light", "text": "How is communication going?", "page": "1",
                                   "required": "y", "settings_traffic_light-allow_dont_know": "y",
                                   "dimensions": ["communication"], "csrf_token": csrf_token(builder.text)})
    assert saved.status_code == 302, saved.text
    question = db.session.scalar(select(Question))
    assert question.kind == "traffic_light" and question.allow_dont_know
    surveys.open_survey(survey, staff, override_reason="Testing the new kind")
    auth.sign_out()

    check = None
    for n in range(20):  # counts of 6 or more (the threshold with one known response): none is hidden
        value = "green" if n < 8 else ("red" if n < 14 else "dont_know")
        check = answer_survey(app, survey, {1: {f"q{question.id}": value}})
    assert "Don&#39;t know" in check.text  # the last family's answer, as the kind shows it back

    result = results.wave_result(survey)
    table = question_tables(result, "all")[0]
    assert [row[:2] for row in table.rows] == [["Red: it is not working", 6], ["Amber: it is mixed", 0],
                                               ["Green: it works well", 8], ["Don't know", 6], ["No answer", 0]]
    assert table.summary.startswith("The most common answer was ‘Green: it works well’: 8 of 20 (40%).")
    assert "8 (40%) said green." in table.summary
    assert result.views["all"].cqi.value is not None  # positive answers count towards the indicator

    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}")
    assert "The most common answer was ‘Green: it works well’" in page.text
    export = list(csv.reader(io.StringIO(client.get(f"/results/{survey.id}/responses.csv").get_data(as_text=True))))
    assert export[0][-1] == "1. How is communication going?"
    assert sorted(row[-1] for row in export[1:]).count("Green: it works well") == 8


# The question builder shows and checks each kind's own settings only


def test_the_builder_checks_only_the_chosen_kinds_settings(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    token = csrf_token(client.get(url).text)
    # Number limits that make no sense are refused for a number question...
    refused = client.post(url, data={"kind": "number", "text": "How many?", "page": "1", "csrf_token": token,
                                     "settings_number-min_value": "10", "settings_number-max_value": "2"})
    assert "The largest number must be more than the smallest" in refused.text
    assert 'href="#settings_number-max_value"' in refused.text  # the error summary links to the field
    # ...and ignored (not saved) for a free-text question, which has no number limits.
    saved = client.post(url, data={"kind": "free_text", "text": "Tell us more", "page": "1", "csrf_token": token,
                                   "settings_number-min_value": "10", "settings_number-max_value": "2",
                                   "settings_free_text-max_length": "300",
                                   "settings_single_choice-options": "Stray\nOptions"})
    assert saved.status_code == 302, saved.text
    question = db.session.scalar(select(Question))
    assert (question.max_length, question.min_value, question.max_value, question.options) == (300, None, None, [])
    # Maximum characters are a free-text setting: a number question does not keep them.
    client.post(url, data={"kind": "number", "text": "How many times?", "page": "1", "csrf_token": token,
                           "settings_free_text-max_length": "300", "settings_number-max_value": "20"})
    number = db.session.scalar(select(Question).where(Question.text == "How many times?"))
    assert (number.max_length, number.max_value) == (None, 20)


def test_editing_a_question_shows_its_own_settings(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[dict(kind="grid", text="How clear is each?", page=1,
                                                options=["Letters", "Emails"], settings={"scale": ["Clear", "Unclear"]})])
    question = survey.questions[0]
    page = client.get(f"/manage/surveys/{survey.id}/questions/{question.id}/edit").text
    assert re.search(r'name="settings_grid-options"[^>]*>Letters\nEmails</textarea>', page)
    assert re.search(r'name="settings_grid-scale"[^>]*>Clear\nUnclear</textarea>', page)
    assert "settings_number-min_value" not in page and "settings_single_choice-options" not in page
    # Changing the kind is a step of its own; the new kind's settings start empty.
    assert 'href="/manage/surveys/%d/questions/%d/edit?kind=grid&amp;choose=1"' % (survey.id, question.id) in page
    chooser = client.get(f"/manage/surveys/{survey.id}/questions/{question.id}/edit?kind=grid&choose=1").text
    assert 'value="grid" checked' in chooser and "settings_grid-options" not in chooser
    ranking = client.get(f"/manage/surveys/{survey.id}/questions/{question.id}/edit?kind=ranking").text
    assert re.search(r'name="settings_ranking-options"[^>]*></textarea>', ranking)
    assert "How clear is each?" in ranking


# The new kinds, answered by families

NEW_KINDS = [
    dict(kind="dropdown", text="Which area team supports you?", page=1, required=True,
         options=["North", "South", "East", "West"]),
    dict(kind="single_choice", text="How do you prefer to hear from us?", page=1, required=True,
         options=["Email", "Phone"], settings={"allow_other": True}),
    dict(kind="multi_choice", text="Which services have you used?", page=1,
         options=["CAMHS", "Short breaks"], settings={"allow_other": True}),
    dict(kind="grid", text="How clear is each of these?", page=2, required=True,
         options=["Letters", "Emails", "Phone calls"], settings={"scale": ["Very clear", "Quite clear", "Not clear"]}),
    dict(kind="ranking", text="Put these in order of importance", page=3, required=True,
         options=["A quick reply", "A named contact", "Clear letters"]),
]


@pytest.fixture
def new_kinds_survey(app):
    staff = make_user(Role.STAFF)
    survey = make_survey(staff, questions=NEW_KINDS)
    surveys.open_survey(survey, staff, override_reason="Testing the new kinds")
    app.config.update(RESULTS_RELEASE_MIN_SECONDS=0, RESULTS_RELEASE_MIN_RESPONSES=5, RESULTS_RELEASE_PUT_OFF_TIMES=0)
    return survey, {f"{q.kind}+other" if (q.settings or {}).get("allow_other") else q.kind: q for q in survey.questions}


def start(app, survey):
    client = app.test_client()
    number = next(_ADDRESSES)  # each family from its own address
    client.environ_base["REMOTE_ADDR"] = f"10.1.{number // 250}.{number % 250 + 1}"
    page = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)})
    return client


def post_page(client, survey, number, data):
    url = f"/surveys/{survey.slug}/pages/{number}"
    page = client.get(url)
    return client.post(url, data={**data, "csrf_token": csrf_token(page.text)})


def good_answers(q, n=0):
    grid, ranking = q["grid"], q["ranking"]
    return {
        1: {f"q{q['dropdown'].id}": ["North", "South"][n % 2], f"q{q['single_choice+other'].id}": "__other__",
            f"q{q['single_choice+other'].id}-other": "Through the school, my son Oliver's teacher",
            f"q{q['multi_choice+other'].id}": ["CAMHS", "__other__"],
            f"q{q['multi_choice+other'].id}-other": "Portage"},
        2: {f"q{grid.id}-0": "Very clear", f"q{grid.id}-1": "Not clear", f"q{grid.id}-2": "Quite clear"},
        3: {f"q{ranking.id}-0": "2", f"q{ranking.id}-1": "1", f"q{ranking.id}-2": "3"},
    }


def test_new_kinds_are_answered_checked_and_stored(app, new_kinds_survey):
    survey, q = new_kinds_survey
    client = start(app, survey)
    answers = good_answers(q)
    first = client.get(f"/surveys/{survey.slug}/pages/1").text
    assert '<select class="govuk-select" id="q%d" name="q%d"' % (q["dropdown"].id, q["dropdown"].id) in first
    assert 'name="q%d-other"' % q["single_choice+other"].id in first  # the box for "Other", without JavaScript
    for number, data in answers.items():
        assert post_page(client, survey, number, data).status_code == 302
    page = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={"csrf_token": csrf_token(page.text)})
    check = client.get(f"/surveys/{survey.slug}/check").text
    for shown in ("North", "Other: Through the school, my son Oliver&#39;s teacher", "CAMHS, Other: Portage",
                  "Letters: Very clear; Emails: Not clear; Phone calls: Quite clear",
                  "1. A named contact; 2. A quick reply; 3. Clear letters"):
        assert shown in check, shown
    # Going back to a page shows what was entered, the words for "Other" included.
    again = client.get(f"/surveys/{survey.slug}/pages/1").text
    assert 'value="Portage"' in again
    back = client.get(f"/surveys/{survey.slug}/pages/3").text
    assert re.search(r'<option value="1" selected>1</option>', back)
    client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check)})
    response = db.session.scalar(select(Response).where(Response.status == ResponseStatus.SUBMITTED))
    rows = {(a.question_id, a.slot): a.value for a in response.answers}
    assert rows[(q["grid"].id, "Emails")] == "Emails|Not clear"
    assert rows[(q["ranking"].id, "A named contact")] == "A named contact|1"
    assert rows[(q["multi_choice+other"].id, TEXT_SLOT)] == "Portage"
    # The words typed for "Other" are analysed and redacted like any free text.
    analysed = db.session.scalars(select(TextAnalysis.redacted_text)).all()
    assert any("Oliver" not in text and "school" in text for text in analysed), analysed


@pytest.mark.parametrize("page, change, message", [
    (1, {"other": ""}, "Enter what your other answer is"),
    (2, {"grid": None}, "Select an answer for ‘Emails’"),
    (3, {"ranking": "1"}, "‘Clear letters’ has the same number as ‘A named contact’"),
    (3, {"ranking": ""}, "Give ‘Clear letters’ a number"),
])
def test_new_kinds_give_clear_errors_by_the_field(app, new_kinds_survey, page, change, message):
    survey, q = new_kinds_survey
    client = start(app, survey)
    answers = good_answers(q)
    for number in range(1, page):
        post_page(client, survey, number, answers[number])
    data = dict(answers[page])
    if "other" in change:
        data[f"q{q['single_choice+other'].id}-other"] = change["other"]
    if "grid" in change:
        data.pop(f"q{q['grid'].id}-1")
    if "ranking" in change:
        data[f"q{q['ranking'].id}-2"] = change["ranking"]
    response = post_page(client, survey, page, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    # The message is in the error summary and by the part it is about.
    assert re.search(r'govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> ' + re.escape(message),
                     response.text), message


def test_new_kinds_results_summaries_and_export(app, client, auth, new_kinds_survey):
    survey, q = new_kinds_survey
    for n in range(12):  # counts of 6 or more: none is hidden
        client_n = start(app, survey)
        for number, data in good_answers(q, n).items():
            assert post_page(client_n, survey, number, data).status_code == 302
        page = client_n.get(f"/surveys/{survey.slug}/about-you")
        client_n.post(f"/surveys/{survey.slug}/about-you", data={"csrf_token": csrf_token(page.text)})
        check = client_n.get(f"/surveys/{survey.slug}/check")
        client_n.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check.text)})
    payload = results.wave_results(survey)
    assert payload["n"] == 12
    tables = {t.title.split(". ", 1)[1]: t for t in question_tables(results.wave_result(survey), "all")}
    grid = tables["How clear is each of these?"]
    assert ["Emails: Not clear", 12, 100] in grid.rows and ["Letters: No answer", 0, 0] in grid.rows
    assert "‘Letters’: the most common answer was ‘Very clear’, 12 of 12 (100%)." in grid.summary
    ranking = tables["Put these in order of importance"]
    assert ["A named contact: ranked 1", 12, 100] in ranking.rows
    assert ranking.summary == "‘A named contact’ was ranked first most often: by 12 of 12 (100%)."
    single = tables["How do you prefer to hear from us?"]
    assert ["Other", 12, 100] in single.rows
    # What people typed for "Other" is never a row of the results.
    assert not any("school" in str(row[0]) or "Portage" in str(row[0]) for t in tables.values() for row in t.rows)
    dropdown = tables["Which area team supports you?"]
    assert [r[:2] for r in dropdown.rows[:2]] == [["North", 6], ["South", 6]]

    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    export = list(csv.reader(io.StringIO(client.get(f"/results/{survey.id}/responses.csv").get_data(as_text=True))))
    header = export[0]
    assert "4. How clear is each of these?: Emails" in header
    assert "5. Put these in order of importance: A named contact" in header
    row = dict(zip(header, export[1]))
    assert row["4. How clear is each of these?: Emails"] == "Not clear"
    assert row["5. Put these in order of importance: A named contact"] == "ranked 1"
    other = row["2. How do you prefer to hear from us?"]
    assert other.startswith("Other (") and "Oliver" not in other


# Words typed for "Other" are free text for privacy too


def test_words_typed_for_other_are_redacted_at_retention_and_shown_in_a_subject_access_export(app, new_kinds_survey):
    from datetime import timedelta

    from feedback.models.base import utcnow
    from feedback.privacy import services as privacy
    from feedback.responses import services as responses

    survey, q = new_kinds_survey
    single = q["single_choice+other"]
    response = responses.start_response(survey)
    responses.save_page(response, [single], {single.id: ("__other__", "Ring me on 07700 900123")})
    responses.submit_response(response.id)
    reference = db.session.get(Response, response.id).reference
    shared = privacy._shared_answers(reference)
    assert shared == [{"question": single.text, "answer": "Other: Ring me on 07700 900123"}]

    survey.closes_at = utcnow() - timedelta(days=survey.retention_days + 1)
    db.session.commit()
    privacy.purge_expired()
    db.session.expire_all()
    stored = {a.slot: a.value for a in db.session.scalars(select(Answer).where(Answer.question_id == single.id))}
    assert stored[""] == "__other__"  # the choice stays, so results still add up
    assert "07700" not in stored[TEXT_SLOT] and "[phone]" in stored[TEXT_SLOT]


def test_the_co_design_preview_shows_the_new_kinds(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=NEW_KINDS)
    page = client.get(f"/co-design/{survey.id}")
    assert page.status_code == 200
    for shown in ("Phone calls", "A named contact", "If you chose ‘Other’, say what it is", "Choose an answer"):
        assert shown in page.text, shown


@pytest.mark.parametrize("spec", NEW_KINDS, ids=[s["kind"] + ("+other" if s.get("settings", {}).get("allow_other") else "")
                                                  for s in NEW_KINDS])
def test_staff_build_each_new_kind_through_the_builder(client, auth, spec):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    page = client.get(url + f"?kind={spec['kind']}")
    prefix = f"settings_{spec['kind']}-"
    data = {"kind": spec["kind"], "text": spec["text"], "page": "1", "csrf_token": csrf_token(page.text),
            prefix + "options": "\n".join(spec["options"])}
    for name, value in spec.get("settings", {}).items():
        data[prefix + name] = "\n".join(value) if isinstance(value, list) else "y"
    response = client.post(url, data=data)
    assert response.status_code == 302, response.text
    question = db.session.scalar(select(Question))
    assert (question.kind, question.options) == (spec["kind"], spec["options"])
    assert question.settings == spec.get("settings", {})
    assert question.text in client.get(f"/manage/surveys/{survey.id}").text
