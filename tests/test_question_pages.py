"""A question page drawn from its frame (responses/rendering.py: rendered once per process
from the page's key, per-request values put into slots) is the same HTML as the page
rendered in full, for every kind, in English, Welsh, a Welsh version and Easy Read, with
hostile answers; hostile answers stay escaped; and frames never hold an answer, a CSRF token
or a nonce."""

import re

import pytest

from feedback.models import EASY_READ
from feedback.responses import rendering

from .conftest import csrf_token
from .survey_factories import EVERY_KIND, make_open_survey

HOSTILE = '"><script>alert("x")</script>'
# Staff words go through the macros' escaping when a frame is made.
QUESTIONS = [
    *EVERY_KIND,
    dict(kind="single_choice", text='Which is "best" <b>here</b>?', options=["A & B", "<i>C</i>"], page=5,
         allow_other=True),
    dict(kind="free_text", text="Anything else?", page=6, required=True),
]


def write_version(client, survey, language, words):
    """Staff fill in every box of the version's form (words for each question and option)."""
    url = f"/manage/surveys/{survey.id}/versions/{language}"
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.text), "title": f"{words}: {survey.title}", "purpose": ""}
    for name in re.findall(r'name="(q\d+_(?:text|o\d+))"', page.text):
        data[name] = f"{words} {name} <&>"
    return client.post(url, data=data)


def answers_for(page_html: str, round_: int) -> dict:
    """A family's answers to every field on the page, different each round, hostile text included."""
    data = {}
    for name, kind, value in re.findall(r'name="(q\d+(?:-other)?)" type="(radio|checkbox)" value="([^"]*)"', page_html):
        choices = data.setdefault((name, kind), [])
        choices.append(value)
    answers = {}
    for (name, kind), values in data.items():
        answers[name] = values[round_ % len(values)] if kind == "radio" else values[: round_ % (len(values) + 1)]
    for name in re.findall(r'<textarea[^>]*name="(q\d+[^"]*)"', page_html):
        answers[name] = [HOSTILE, "Tom & Jerry's \"quote\"", "ünïcödé ✓"][round_ % 3]
    for name in re.findall(r'<input[^>]*name="(q\d+)" type="text"', page_html):
        answers[name] = str(round_ * 3)
    for name in re.findall(r'name="(q\d+-(?:day|month|year))"', page_html):
        answers[name] = {"day": "3", "month": "2", "year": "2026"}[name.rsplit("-", 1)[1]]
    return answers


def normalised(response) -> str:
    """The page with this request's nonce and CSRF token named, not spelled out (they differ
    per request); the nonce is the one the CSP header allows."""
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.text
    assert f'nonce="{nonce}"' in html
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+"', r'\1TOKEN"', html.replace(nonce, "NONCE"))


def both_ways(app, client, path):
    """The page from its frame, then rendered in full (no frames, no skeletons)."""
    app.config["QUESTION_PAGE_SHORTCUTS"] = True
    fast = client.get(path)
    app.config["QUESTION_PAGE_SHORTCUTS"] = False
    try:
        full = client.get(path)
    finally:
        app.config["QUESTION_PAGE_SHORTCUTS"] = True
    assert fast.status_code == full.status_code == 200, path
    return fast, full


@pytest.fixture
def survey(client, auth):
    from feedback.models import Role

    from .conftest import make_user

    rendering._frames.clear()
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    survey = make_open_survey(staff, questions=QUESTIONS)
    for language, words in (("cy", "Cymraeg"), (EASY_READ, "Easy Read")):
        written = write_version(client, survey, language, words)
        assert written.status_code == 302, written.text
    auth.sign_out()
    return survey


@pytest.mark.parametrize("version, interface", [("en", "en"), ("en", "cy"), ("cy", "cy"), (EASY_READ, "en")])
def test_a_page_from_its_frame_is_the_page_rendered_in_full(app, client, survey, version, interface):
    if interface != "en":
        client.get(f"/cookies?lang={interface}")
    start = client.get(f"/surveys/{survey.slug}")
    started = client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(start.text), "version": version})
    path = started.headers["Location"].split("?")[0]
    seen_tokens, pages = set(), 0
    for round_ in range(3):  # a family answers every page, then goes back and changes them
        path = f"/surveys/{survey.slug}/pages/1"
        while "/pages/" in path:
            for query in ("", "?change=1"):
                fast, full = both_ways(app, client, path + query)
                assert normalised(fast) == normalised(full), (version, interface, path + query, round_)
                pages += 1
            assert "<script>alert" not in fast.text
            token = csrf_token(fast.text)  # the token the frame was filled with is the session's own
            seen_tokens.add(token)
            sent = client.post(path, data={**answers_for(fast.text, round_), "csrf_token": token})
            if sent.status_code == 200:  # refused (a required answer left out): shown again, in full
                assert "govuk-error-summary" in sent.text
                break
            assert sent.status_code == 302, sent.text
            path = sent.headers["Location"].split("?")[0]
        again, _ = both_ways(app, client, f"/surveys/{survey.slug}/pages/1")  # the first page, with its answers
        assert 'checked' in again.text
    assert pages >= 12

    frames = [frame for frame in rendering._frames.values() if frame is not None]
    assert len(frames) >= 4
    kept = "".join("".join(frame) for frame in frames)
    for text in (HOSTILE, "&lt;script&gt;alert", "Tom &amp; Jerry", "ünïcödé", *seen_tokens):
        assert text not in kept
    assert 'value="strongly_agree" checked' not in kept and " checked" not in kept


def test_a_hostile_answer_is_shown_escaped_in_its_box(app, client, survey):
    start = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(start.text)})
    page = client.get(f"/surveys/{survey.slug}/pages/6")
    name = re.search(r'<textarea[^>]*name="(q\d+)"', page.text).group(1)
    assert client.post(f"/surveys/{survey.slug}/pages/6",
                       data={name: HOSTILE, "csrf_token": csrf_token(page.text)}).status_code == 302
    fast, full = both_ways(app, client, f"/surveys/{survey.slug}/pages/6")
    assert normalised(fast) == normalised(full)
    assert "<script>alert" not in fast.text
    assert re.search(r"<textarea[^>]*>&#34;&gt;&lt;script&gt;alert\(&#34;x&#34;\)&lt;/script&gt;</textarea>", fast.text)


def test_a_page_with_errors_or_for_staff_is_drawn_in_full_and_the_same(app, client, auth, survey):
    start = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(start.text)})
    page = client.get(f"/surveys/{survey.slug}/pages/1")
    shown = {}
    for shortcuts in (True, False):
        app.config["QUESTION_PAGE_SHORTCUTS"] = shortcuts
        refused = client.post(f"/surveys/{survey.slug}/pages/1", data={"csrf_token": csrf_token(page.text)})
        assert refused.status_code == 200 and "govuk-error-summary" in refused.text
        assert "<title>Error:" in refused.text
        shown[shortcuts] = normalised(refused)
    app.config["QUESTION_PAGE_SHORTCUTS"] = True
    assert shown[True] == shown[False]


def test_the_frame_cache_is_bounded():
    assert rendering._frames.maxsize == rendering.FRAMES <= 10_000
