"""Help at the point of disclosure, in a real browser with axe-core: a family whose answer
may disclose harm sees the help panel on the confirmation page (with and without
JavaScript, and on a 320 px screen); a family with an ordinary answer does not."""

import pytest

from feedback.models import Role
from feedback.surveys import services

from ..conftest import make_user
from ..survey_factories import make_survey
from .conftest import follow

QUESTION = "Is there anything else you want to tell us?"


@pytest.fixture
def one_question_survey(live_app):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        survey = make_survey(staff, title=f"Anything else {staff.id}",
                             questions=[dict(kind="free_text", text=QUESTION, page=1, max_length=2000)])
        services.open_survey(survey, staff, override_reason="Browser test")
        return survey.slug


def answer(page, live_url, slug, text):
    page.goto(f"{live_url}/surveys/{slug}")
    follow(page.get_by_role("button", name="Start now"))
    page.get_by_label(QUESTION).fill(text)
    follow(page.get_by_role("button", name="Continue"))
    page.get_by_label("A parent or carer").check()
    follow(page.get_by_role("button", name="Continue"))
    follow(page.get_by_role("button", name="Submit your answers"))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_flagged_answer_shows_the_help_panel_on_the_confirmation_page(browser, live_url, one_question_survey, axe, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 320, "height": 800})
    page = context.new_page()
    answer(page, live_url, one_question_survey,
           "my son has written letters to all of us and keeps saying we'd be better off without him")
    assert "Your answers have been sent" in page.content()
    help_panel = page.locator("#disclosure-help")
    assert help_panel.is_visible()
    text = help_panel.inner_text()
    assert "999" in text and "0800 1111" in text and "Children's Advice and Duty Service" in text
    assert page.get_by_role("link", name="Ask someone to contact you").is_visible()
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if javascript:
        axe.check(page)
    follow(page.get_by_role("link", name="Ask someone to contact you"))
    assert page.url.endswith(f"/surveys/{one_question_survey}/contact")
    context.close()


def test_an_ordinary_answer_shows_no_help_panel(browser, live_url, one_question_survey, axe):
    context = browser.new_context()
    page = context.new_page()
    answer(page, live_url, one_question_survey, "The caseworker never rings back")
    assert "Your answers have been sent" in page.content()
    assert page.locator("#disclosure-help").count() == 0
    axe.check(page)
    context.close()
