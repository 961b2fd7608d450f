"""Details of answering found when families tried it: "Save and come back later" on every page
including "About you", coming back to the page they left, an old code after sending says so,
and check-your-answers repeats the options' own words."""

import re

import pytest

from feedback.models import Role

from .conftest import csrf_token, make_user
from .survey_factories import EVERY_KIND, make_open_survey


@pytest.fixture
def survey(app):
    return make_open_survey(make_user(Role.STAFF), questions=EVERY_KIND)


def start(client, survey):
    page = client.get(f"/surveys/{survey.slug}")
    return client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)}).headers["Location"]


def post_page(client, url, answers=None, save=False):
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.text), **(answers or {})}
    if save:
        data["save"] = "1"
    return client.post(url, data=data)


def code_from(client, response) -> str:
    assert response.headers["Location"].endswith("/saved")
    return re.search(r"(?<![\w-])[A-Z0-9]{4}-[A-Z0-9]{4}(?![\w-])", client.get(response.headers["Location"]).text).group(0)


def resume(client, code):
    page = client.get("/resume")
    return client.post("/resume", data={"csrf_token": csrf_token(page.text), "code": code})


def question_ids(client, url) -> list[str]:
    return sorted(set(re.findall(r'name="q(\d+)"', client.get(url).text)), key=int)


def test_coming_back_with_a_code_returns_to_the_page_the_family_left(app, client, survey):
    first = start(client, survey)
    q1, _ = question_ids(client, first)
    post_page(client, first, {f"q{q1}": "Email"})
    second = f"/surveys/{survey.slug}/pages/2"
    q3, q4 = question_ids(client, second)
    code = code_from(client, post_page(client, second, {f"q{q3}": "agree", f"q{q4}": "no"}, save=True))
    later = app.test_client()
    assert resume(later, code).headers["Location"].endswith("/pages/2")


def test_save_and_come_back_later_on_about_you(app, client, survey):
    start(client, survey)
    about = client.get(f"/surveys/{survey.slug}/about-you")
    assert "Save and come back later" in about.text
    saved = client.post(f"/surveys/{survey.slug}/about-you",
                        data={"csrf_token": csrf_token(about.text), "respondent_type": "parent_carer", "save": "1"})
    code = code_from(client, saved)
    later = app.test_client()
    landed = resume(later, code).headers["Location"]
    assert landed.endswith("/about-you")
    assert 'value="parent_carer" checked' in later.get(landed).text, "what was chosen is kept"


def test_an_old_code_after_sending_says_the_answers_were_already_sent(app, client, survey):
    small = make_open_survey(make_user(Role.STAFF), questions=[dict(kind="yes_no", text="Did you get a reply?", page=1)],
                             title="One question")
    first = start(client, small)
    (q1,) = question_ids(client, first)
    code = code_from(client, post_page(client, first, {f"q{q1}": "yes"}, save=True))
    about = client.get(f"/surveys/{small.slug}/about-you")
    client.post(f"/surveys/{small.slug}/about-you", data={"csrf_token": csrf_token(about.text)})
    check = client.get(f"/surveys/{small.slug}/check")
    client.post(f"/surveys/{small.slug}/submit", data={"csrf_token": csrf_token(check.text)})
    answer = resume(app.test_client(), code)
    assert answer.status_code == 200 and "already been sent" in answer.text
    assert "govuk-error-summary" in answer.text and 'href="#code"' in answer.text
    assert app.test_client().get(f"/resume/{code}").status_code == 404
    assert "already been sent" in app.test_client().get(f"/resume/{code}").text


def test_check_your_answers_repeats_the_options_as_written(client, survey):
    first = start(client, survey)
    q1, q2 = question_ids(client, first)
    post_page(client, first, {f"q{q1}": "prefer_not", f"q{q2}": ["Short breaks", "CAMHS"]})
    second = f"/surveys/{survey.slug}/pages/2"
    q3, q4 = question_ids(client, second)
    post_page(client, second, {f"q{q3}": "dont_know", f"q{q4}": "yes"})
    check = client.get(f"/surveys/{survey.slug}/check").text
    for label in ("Prefer not to say", "CAMHS", "Short breaks", "Don't know", "Yes"):
        assert re.search(rf"<dd[^>]*>\s*[^<]*{re.escape(label).replace(chr(39), '(&#39;|&#x27;|' + chr(39) + ')')}", check), label
    assert "prefer_not" not in check and "dont_know" not in check
