"""Findings 2 and 3: a resume link cannot switch a browser to someone else's answers
without the family choosing to, a browser's own draft is never replaced silently, and the
code shown after saving stays the same on reload."""

import logging
import re

import pytest
from sqlalchemy import select, text

from feedback.extensions import db

from .conftest import capture_mail, csrf_token
from .survey_factories import make_open_survey

# A save code as the page shows it, not four capitals and digits that happen to stand beside a hyphen
# inside a CSRF token or a nonce (URL-safe base64 has both).
CODE = re.compile(r"(?<![\w-])[A-Z0-9]{4}-[A-Z0-9]{4}(?![\w-])")


class Browser:
    def __init__(self, client, survey):
        self.client, self.survey = client, survey
        self.slug = survey.slug
        self.choice = next(q for q in survey.questions if q.kind == "single_choice")

    def start(self):
        page = self.client.get(f"/surveys/{self.slug}")
        return self.client.post(f"/surveys/{self.slug}", data={"csrf_token": csrf_token(page.text)})

    def answer_first_page(self, way, **extra):
        url = f"/surveys/{self.slug}/pages/1"
        page = self.client.get(url)
        return self.client.post(url, data={f"q{self.choice.id}": way, "csrf_token": csrf_token(page.text), **extra})

    def first_answer(self):
        page = self.client.get(f"/surveys/{self.slug}/pages/1")
        if page.status_code != 200:
            return None
        match = re.search(r'value="(\w+)" checked', page.text)
        return match.group(1) if match else ""

    def save(self, way):
        saving = self.answer_first_page(way, save="1")
        assert saving.status_code == 302 and saving.headers["Location"].endswith(f"/surveys/{self.slug}/saved")
        return CODE.search(self.client.get(saving.headers["Location"]).text).group(0)


@pytest.fixture
def survey(app):
    return make_open_survey()


@pytest.fixture
def attacker(app, survey):
    browser = Browser(app.test_client(), survey)
    browser.start()
    return browser


@pytest.fixture
def family(app, survey):
    return Browser(app.test_client(), survey)


def test_opening_a_resume_link_only_asks_and_changes_nothing(attacker, family):
    code = attacker.save("Letter")
    page = family.client.get(f"/resume/{code}")
    assert page.status_code == 200
    assert "Only continue if you saved these answers yourself" in page.text
    assert "Anyone who has this code can see the answers" in page.text
    assert family.first_answer() is None  # this browser is not answering anything yet
    forged = family.client.post(f"/resume/{code}")  # a cross-site form has no CSRF token
    assert forged.status_code == 400 and family.first_answer() is None
    chosen = family.client.post(f"/resume/{code}", data={"csrf_token": csrf_token(page.text)})
    assert chosen.status_code == 302 and family.first_answer() == "Letter"


@pytest.mark.parametrize("how", ["link", "typed"])
def test_a_browsers_own_unfinished_answers_are_never_replaced_silently(attacker, family, how):
    code = attacker.save("Letter")
    family.start()
    family.answer_first_page("Email")
    if how == "link":
        page = family.client.get(f"/resume/{code}")
    else:
        form = family.client.get("/resume")
        page = family.client.post("/resume", data={"code": code, "csrf_token": csrf_token(form.text)})
    assert page.status_code == 200
    assert "This browser already has unfinished answers to this survey" in page.text
    assert "Keep the answers in this browser" in page.text
    assert family.first_answer() == "Email"
    family.client.post(f"/resume/{code}", data={"csrf_token": csrf_token(page.text)})
    assert family.first_answer() == "Letter"


def test_reloading_the_saved_page_shows_the_same_code_and_it_keeps_working(app, family):
    family.start()
    code = family.save("Phone")
    for _ in range(3):  # phones reload tabs
        assert CODE.search(family.client.get(f"/surveys/{family.slug}/saved").text).group(0) == code
    save_page = family.client.get(f"/surveys/{family.slug}/save")
    again = family.client.post(f"/surveys/{family.slug}/save", data={"csrf_token": csrf_token(save_page.text)})
    assert again.status_code == 302
    assert CODE.search(family.client.get(again.headers["Location"]).text).group(0) == code
    other = Browser(app.test_client(), family.survey)
    form = other.client.get("/resume")
    resumed = other.client.post("/resume", data={"code": code, "csrf_token": csrf_token(form.text)})
    assert resumed.status_code == 302 and other.first_answer() == "Phone"


def test_email_me_this_code_sends_it_keeps_no_address_and_is_rate_limited(app, family, caplog):
    # An address of its own, so the per-address limit counts only this family's requests.
    family.client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    outbox = capture_mail(app)
    family.start()
    code = family.save("Phone")
    address = "parent.private@example.org"
    page = family.client.get(f"/surveys/{family.slug}/saved")
    assert "Email me this code" in page.text
    logger = logging.getLogger("feedback")  # the app's log, which does not reach the root logger
    disabled, logger.disabled = logger.disabled, False  # Alembic's fileConfig disables it in tests
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG, logger="feedback"):
            sent = family.client.post(f"/surveys/{family.slug}/saved/email",
                                      data={"email": address, "csrf_token": csrf_token(page.text)})
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    assert "POST /surveys/" in caplog.text  # the request was logged, without the address
    assert sent.status_code == 302
    assert outbox[0].to == address and code in outbox[0].body
    assert f"{app.config['BASE_URL']}/resume/{code}" in outbox[0].body
    assert "We have not kept the address" in family.client.get(sent.headers["Location"]).text
    assert address not in caplog.text
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(text("*")).select_from(table)).all()
        assert not any(address in str(row) for row in rows), table.name
    statuses = [family.client.post(f"/surveys/{family.slug}/saved/email",
                                   data={"email": address, "csrf_token": csrf_token(page.text)}).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429] and len(outbox) == 3


def test_without_a_mail_server_the_email_option_is_not_offered(family):
    family.start()
    family.save("Phone")
    assert "Email me this code" not in family.client.get(f"/surveys/{family.slug}/saved").text
