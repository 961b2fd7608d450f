"""Date and number answers: a year alone, an impossible date, a date on the wrong side of today
for a question about the past (or the future), decimals where a whole number is asked, and
words where a number is asked are refused with errors that name the question, by the field
and in the error summary, keeping what was typed; the same checks hold for staff typing in
a paper reply and for any code that stores answers."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Answer, Role
from feedback.responses import services as responses
from feedback.surveys.kinds.date import today

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey

QUESTIONS = [
    dict(kind="date", text="When did you last contact us?", page=1, settings={"when": "past"}),
    dict(kind="date", text="When is the next review?", page=1, settings={"when": "future"}),
    dict(kind="number", text="How many children do you care for?", page=2, min_value=0, max_value=20),
    dict(kind="number", text="How many hours of support a week?", page=2, settings={"whole_numbers": False}),
]


@pytest.fixture
def survey(app):
    return make_open_survey(make_user(Role.STAFF), questions=QUESTIONS, title="Dates and numbers")


def ids(survey):
    return [q.id for q in survey.questions]


def start(client, survey):
    page = client.get(f"/surveys/{survey.slug}")
    return client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)}).headers["Location"]


def post(client, url, answers):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **answers})


def dates(survey, past, future):
    last, nxt = ids(survey)[:2]
    return {f"q{last}": list(past), f"q{nxt}": list(future)}


def summary_and_field(page, message):
    """The message is in the error summary and by its field."""
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>', page, re.S).group(0)
    assert message in summary, message
    assert re.search(r'govuk-error-message">\s*<span class="govuk-visually-hidden">[^<]*</span>\s*'
                     + re.escape(message), page), message


def test_a_year_alone_is_refused_naming_the_question_and_what_was_typed_stays(client, survey):
    url = start(client, survey)
    page = post(client, url, dates(survey, ("", "", "2024"), ("", "", "")))
    assert page.status_code == 200
    summary_and_field(page.text, "‘When did you last contact us?’ must include a day and month")
    assert 'value="2024"' in page.text, "the year typed is still there"


def test_an_impossible_date_is_refused_naming_the_question(client, survey):
    page = post(client, start(client, survey), dates(survey, ("31", "2", "2024"), ("", "", "")))
    summary_and_field(page.text, "‘When did you last contact us?’ must be a real date, like 27 3 2024")


def test_a_question_about_the_past_refuses_a_future_date_and_one_about_the_future_a_past_date(client, survey):
    tomorrow, yesterday = today() + timedelta(days=1), today() - timedelta(days=1)
    as_parts = (lambda d: (str(d.day), str(d.month), str(d.year)))
    url = start(client, survey)
    page = post(client, url, dates(survey, as_parts(tomorrow), as_parts(yesterday)))
    summary_and_field(page.text, "‘When did you last contact us?’ must be today or in the past")
    summary_and_field(page.text, "‘When is the next review?’ must be today or in the future")
    assert f'value="{tomorrow.day}"' in page.text
    # Today is fine for both.
    done = post(client, url, dates(survey, as_parts(today()), as_parts(today())))
    assert done.status_code == 302 and done.headers["Location"].endswith("/pages/2")


@pytest.mark.parametrize("children, hours, message", [
    ("2.5", "", "‘How many children do you care for?’ must be a whole number, like 3"),
    ("two", "", "‘How many children do you care for?’ must be a number, like 3"),
    ("21", "", "‘How many children do you care for?’ must be 20 or less"),
    ("-1", "", "‘How many children do you care for?’ must be 0 or more"),
    ("2", "lots", "‘How many hours of support a week?’ must be a number, like 3 or 12.5"),
])
def test_number_answers_are_checked_with_errors_that_name_the_question(client, survey, children, hours, message):
    url = start(client, survey)
    post(client, url, {})
    second = url.replace("/pages/1", "/pages/2")
    children_id, hours_id = ids(survey)[2:]
    page = post(client, second, {f"q{children_id}": children, f"q{hours_id}": hours})
    assert page.status_code == 200
    summary_and_field(page.text, message)
    assert f'value="{children}"' in page.text


def test_decimals_are_taken_where_the_question_allows_them(client, survey):
    url = start(client, survey)
    post(client, url, {})
    children_id, hours_id = ids(survey)[2:]
    done = post(client, url.replace("/pages/1", "/pages/2"), {f"q{children_id}": "3", f"q{hours_id}": "2.5"})
    assert done.status_code == 302
    assert sorted(db.session.scalars(select(Answer.value))) == ["2.5", "3"]


def test_staff_typing_in_a_paper_reply_get_the_same_checks(client, auth):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, questions=QUESTIONS, title="Paper dates")
    auth.sign_in(staff.email)
    page = client.get(f"/manage/surveys/{survey.id}/enter")
    first = client.post(f"/manage/surveys/{survey.id}/enter",
                        data={"csrf_token": csrf_token(page.text), "channel": "paper"}).headers["Location"]
    tomorrow = today() + timedelta(days=1)
    screen = post(client, first, dates(survey, ("", "3", "2024"), (str(tomorrow.day), str(tomorrow.month),
                                                                   str(tomorrow.year))))
    summary_and_field(screen.text, "‘When did you last contact us?’ must include a day")
    post(client, first, {})
    children_id, _ = ids(survey)[2:]
    screen = post(client, first.replace("/pages/1", "/pages/2"), {f"q{children_id}": "1.5"})
    summary_and_field(screen.text, "‘How many children do you care for?’ must be a whole number, like 3")


def test_code_that_stores_answers_is_refused_what_the_field_refuses(survey):
    response = responses.start_response(survey)
    children = survey.questions[2]
    with pytest.raises(responses.InvalidAnswer, match="must be a whole number"):
        responses.save_page(response, [children], {children.id: "2.5"})
    past = survey.questions[0]
    with pytest.raises(responses.InvalidAnswer, match="today or in the past"):
        responses.save_page(response, [past], {past.id: today() + timedelta(days=3)})
    assert db.session.scalars(select(Answer)).all() == []


def test_the_builder_offers_the_date_and_whole_number_settings_only_for_their_kinds(client, auth):
    from feedback.models import Question

    from .survey_factories import make_survey

    staff = auth.sign_in_as(Role.STAFF)
    survey = make_survey(staff, questions=[])
    url = f"/manage/surveys/{survey.id}/questions/new"
    date_page = client.get(url + "?kind=date").text
    assert "Date must be in the past (today or earlier)" in date_page and "Whole numbers only" not in date_page
    number_page = client.get(url + "?kind=number").text
    assert "Whole numbers only" in number_page and "Date must be in the past" not in number_page
    assert re.search(r'name="settings_number-whole_numbers"[^>]*checked', number_page), "on unless staff untick it"
    token = csrf_token(date_page)
    refused = client.post(url, data={"kind": "date", "text": "When?", "page": "1", "csrf_token": token,
                                     "settings_date-when": "sometime"})
    assert refused.status_code != 302 and 'href="#settings_date-when' in refused.text
    saved = client.post(url, data={"kind": "date", "text": "When did it start?", "page": "1", "csrf_token": token,
                                   "settings_date-when": "past", "settings_number-whole_numbers": "y"})
    assert saved.status_code == 302
    question = db.session.scalar(select(Question).where(Question.text == "When did it start?"))
    assert question.settings == {"when": "past"}, "a date question keeps no number setting"
    edit = client.get(f"/manage/surveys/{survey.id}/questions/{question.id}/edit").text
    assert re.search(r'value="past"[^>]*checked', edit)
