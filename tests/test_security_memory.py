"""Finding 4: large bodies are refused before they are read, and no cache keeps what a
family sent (question pages are drawn for each request), so hostile posts cannot grow a
worker's memory."""

import pytest

from .conftest import csrf_token
from .survey_factories import make_open_survey


@pytest.fixture
def free_text_page(client):
    survey = make_open_survey(questions=[dict(kind="free_text", text="What would help?", page=1, max_length=500)])
    page = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)})
    url = f"/surveys/{survey.slug}/pages/1"
    return url, f"q{survey.questions[0].id}", csrf_token(client.get(url).text)


def test_a_body_over_the_limit_gets_a_govuk_413_page_and_is_not_echoed(app, client, free_text_page):
    url, field, token = free_text_page
    assert app.config["MAX_CONTENT_LENGTH"] <= 512 * 1024
    response = client.post(url, data={"csrf_token": token, field: "X" * (10 * 1024 * 1024)})
    assert response.status_code == 413
    assert "govuk-template" in response.text and "What you sent is too large" in response.text
    assert "XXXXXXXXXX" not in response.text


def test_a_refused_answer_is_shown_back_once_and_to_no_one_else(app, client, free_text_page):
    url, field, token = free_text_page
    for n in range(5):
        marker = f"hostile-{n}-" + "Y" * 100_000
        response = client.post(url, data={"csrf_token": token, field: marker})
        assert response.status_code == 200 and "500 characters or fewer" in response.text
        assert marker in response.text  # the family sees what they typed, to shorten it
    other = app.test_client()
    slug = url.split("/")[2]
    page = other.get(f"/surveys/{slug}")
    other.post(f"/surveys/{slug}", data={"csrf_token": csrf_token(page.text)})
    assert "hostile-" not in other.get(url).text


def test_no_family_is_shown_another_familys_answer(app, client, free_text_page):
    """Pages are drawn for each request: nothing keyed by answers is kept between families."""
    url, field, token = free_text_page
    assert client.post(url, data={"csrf_token": token, field: "Our own words"}).status_code == 302
    assert "Our own words" in client.get(url).text
    other = app.test_client()
    slug = url.split("/")[2]
    page = other.get(f"/surveys/{slug}")
    other.post(f"/surveys/{slug}", data={"csrf_token": csrf_token(page.text)})
    assert "Our own words" not in other.get(url).text
