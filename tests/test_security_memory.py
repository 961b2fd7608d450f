"""Finding 4: large bodies are refused before they are read, and no cache keeps what a
family sent, so hostile posts cannot grow a worker's memory."""

import pytest

from feedback.responses import rendering

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


def test_a_refused_answer_is_shown_back_once_but_never_cached(client, free_text_page):
    url, field, token = free_text_page
    before = rendering._fields.chars() + rendering._pages.chars()
    for n in range(20):
        marker = f"hostile-{n}-" + "Y" * 100_000
        response = client.post(url, data={"csrf_token": token, field: marker})
        assert response.status_code == 200 and "500 characters or fewer" in response.text
        assert marker in response.text  # the family sees what they typed, to shorten it
    cached = rendering._fields.values() + rendering._pages.values()
    assert not any("hostile-" in html for html in cached)
    assert rendering._fields.chars() + rendering._pages.chars() - before < 100_000


def test_caches_are_bounded_by_size_not_by_count():
    cache = rendering.SizedCache(max_chars=10_000)
    for n in range(100):
        cache.put(("key", n), "Z" * 1_000)
    assert cache.chars() <= 10_000
    cache.put("huge", "Z" * 20_000)  # bigger than the whole cache: not kept
    assert cache.get("huge") is None and cache.get(("key", 99)) == "Z" * 1_000
