"""Finding 5: hostile numbers and NUL characters get GOV.UK errors, never a 500, and
typed text is kept without the NUL."""

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from feedback.extensions import db
from feedback.models import Answer, Role

from .access import ROLES
from .conftest import csrf_token
from .survey_factories import make_open_survey

HUGE = [2**63 - 1, 2**63, 10**23]
NUL = "a\x00b"
QUERY = {name: str(10**23) for name in ("page", "survey", "theme", "question", "reply_to", "survey_id", "theme_id")}


def urls(app, number, text):
    """Every route of the app with each number in it set to `number` and each other part to `text`."""
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint == "accounts.sign_out":
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = number
            elif isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            else:
                values[name] = text
        method = "GET" if "GET" in rule.methods else "POST"
        yield method, adapter.build(rule.endpoint, values, method=method)


@pytest.mark.parametrize("role", ROLES)
def test_no_route_gives_a_500_for_huge_ids_or_nul_characters(app, client, auth, role):
    if role != "anonymous":
        auth.sign_in_as(Role(role))
    token = csrf_token(client.get("/account" if role != "anonymous" else "/reset-password").text)
    failures = []
    cases = [(number, "x") for number in HUGE] + [(1, NUL)]
    for number, text in cases:
        for method, url in urls(app, number, text):
            if method == "GET":
                response = client.get(url, query_string={"q": NUL, **QUERY})
            else:
                response = client.post(url, data={"csrf_token": token, "q": NUL, "text": NUL})
            if response.status_code >= 500:
                failures.append(f"{method} {url}: {response.status_code}")
            elif url.startswith("/api/") and response.status_code >= 400:
                if not response.is_json:
                    failures.append(f"{method} {url}: API error is not JSON")
            elif response.status_code in (400, 404) and "govuk-template" not in response.text:
                failures.append(f"{method} {url}: {response.status_code} is not a GOV.UK page")
    assert not failures, "\n".join(failures)


def test_huge_ids_on_anonymous_pages_and_the_api_are_404s(client):
    assert client.get("/you-said-we-did/99999999999999999999999").status_code == 404
    api = client.get("/api/v1/surveys/99999999999999999999999/results")
    assert api.status_code == 404 and api.is_json


def test_nul_in_slugs_and_search_gives_404_or_results_not_500(client, auth):
    assert client.get("/surveys/a%00b").status_code == 404
    assert client.get("/s/a%00b").status_code == 404
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert client.get("/ideas?q=a%00b").status_code == 200


def start(client, survey):
    page = client.get(f"/surveys/{survey.slug}")
    return client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)})


def test_free_text_with_nul_is_saved_without_it(client):
    survey = make_open_survey()
    start(client, survey)
    question = next(q for q in survey.questions if q.kind == "free_text")
    page = client.get(f"/surveys/{survey.slug}/pages/{question.page}")
    client.post(f"/surveys/{survey.slug}/pages/{question.page}",
                data={"csrf_token": csrf_token(page.text), f"q{question.id}": "Nobody\x00 rang back"})
    saved = db.session.scalar(select(Answer.value).where(Answer.question_id == question.id))
    assert saved == "Nobody rang back"


def answer(client, survey, number, data):
    page = client.get(f"/surveys/{survey.slug}/pages/{number}")
    return client.post(f"/surveys/{survey.slug}/pages/{number}", data={"csrf_token": csrf_token(page.text), **data})


def saved_values(question):
    return db.session.scalars(select(Answer.value).where(Answer.question_id == question.id)).all()


@pytest.fixture
def number_and_date(client):
    survey = make_open_survey(questions=[dict(kind="number", text="How many letters?", page=1),
                                         dict(kind="date", text="When did you last hear?", page=2)])
    start(client, survey)
    number, when = sorted(survey.questions, key=lambda q: q.page)
    return survey, number, when


def test_a_decimal_comma_is_an_error_by_the_field_not_a_hundred_times_the_number(client, number_and_date):
    survey, number, _ = number_and_date
    # Whole numbers only (the default): a comma is a thousands separator or an error.
    refused = answer(client, survey, 1, {f"q{number.id}": "12,5"})
    assert refused.status_code == 200 and "must be a whole number, like 3 or 1,250" in refused.text
    assert "govuk-error-message" in refused.text and 'value="12,5"' in refused.text
    assert saved_values(number) == []
    assert answer(client, survey, 1, {f"q{number.id}": "1,250"}).status_code == 302
    assert saved_values(number) == ["1250"]


def test_where_decimals_are_allowed_a_decimal_comma_says_to_use_a_full_stop(client):
    survey = make_open_survey(questions=[dict(kind="number", text="How many hours a week?", page=1,
                                              settings={"whole_numbers": False})])
    start(client, survey)
    number = survey.questions[0]
    refused = answer(client, survey, 1, {f"q{number.id}": "12,5"})
    assert refused.status_code == 200 and "use a full stop for decimals" in refused.text
    assert 'value="12,5"' in refused.text and saved_values(number) == []
    assert answer(client, survey, 1, {f"q{number.id}": "12.5"}).status_code == 302
    assert saved_values(number) == ["12.5"]


def test_a_crafted_two_part_date_is_an_error_and_keeps_the_saved_date(client, number_and_date):
    survey, _, when = number_and_date
    assert answer(client, survey, 2, {f"q{when.id}": ["27", "3", "2024"]}).status_code == 302
    assert saved_values(when) == ["2024-03-27"]
    for crafted in (["", ""], ["27", "3"], ["27"], ["27", "3", "2024", "1"]):
        refused = answer(client, survey, 2, {f"q{when.id}": crafted})
        assert refused.status_code == 200, crafted
        assert "Enter the date as a day, month and year" in refused.text
        assert saved_values(when) == ["2024-03-27"], crafted
