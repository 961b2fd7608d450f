"""Results journeys in a real browser, with axe-core on every results page, with and
without JavaScript, and the print layout."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from feedback.actions.services import save_action
from feedback.extensions import db
from feedback.models import Role, Theme
from feedback.surveys import services as surveys

from ..conftest import PASSWORD, make_organisation, make_user
from ..survey_factories import make_survey
from ..test_results import add_analysis, add_responses, mixed_people
from .conftest import follow


@pytest.fixture
def wave(live_app):
    """An open wave co-designed with a forum, 80 responses, analysed comments and an action.
    (With 60, the wave's first release has a finding and is put off: nothing is shown yet.)"""
    with live_app.app_context():
        live_app.config["RESULTS_REFRESH_SECONDS"] = 0
        staff = make_user(Role.STAFF)
        forum = make_organisation(f"Results forum {uuid.uuid4().hex[:6]}", "parent_carer_forum")
        lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
        survey = make_survey(staff)
        surveys.invite_partner(survey, staff, forum)
        surveys.open_survey(survey, staff, override_reason="Browser test")
        add_responses(survey, mixed_people(31, 80))
        theme = db.session.scalar(select(Theme).where(Theme.name == "Communication"))
        if theme is None:
            theme = Theme(name="Communication")
            db.session.add(theme)
            db.session.commit()
        for label in ["positive"] * 6 + ["negative"] * 5:
            add_analysis(survey, theme, label, text=f"The caseworker {'rang back' if label == 'positive' else 'never replied'}.")
        save_action(staff, None, you_said="Nobody rings back", we_did="A named caseworker for every family",
                    due_on=None, status="in_progress", survey_ids=[survey.id], theme_ids=[theme.id], idea_ids=[])
        return {"id": survey.id, "lead": lead.email, "staff": staff.email}


def sign_in(page, live_url, email):
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))
    assert "signed in as" in page.content()


def check(page, axe):
    expect(page.locator("h1")).to_have_count(1)
    axe.check(page)


def test_forum_member_reads_every_results_page_and_filters_by_locality(page, live_url, wave, axe):
    sign_in(page, live_url, wave["lead"])
    follow(page.get_by_role("link", name="Results").first)
    check(page, axe)
    follow(page.get_by_role("link", name=re.compile("Communication with the SEND service")).first)
    assert "results" in page.locator("h1").inner_text()
    check(page, axe)
    page.get_by_label("Show results for").select_option("locality:Norwich")
    follow(page.get_by_role("button", name="Show results"))
    assert "view=locality" in page.url and "Locality: Norwich" in page.content()
    check(page, axe)
    follow(page.get_by_role("link", name="Comments and themes"))
    assert "A named caseworker for every family" in page.content()
    check(page, axe)
    follow(page.get_by_role("link", name="Show everyone again"))
    assert "rang back" in page.content()
    check(page, axe)
    follow(page.get_by_role("link", name="Communication indicator"))
    check(page, axe)
    follow(page.get_by_role("link", name="How the indicator is worked out").first)
    check(page, axe)


def test_results_work_without_javascript(no_js_page, page, live_url, wave, axe):
    """Filtering is a plain form and charts are SVG from the server. axe itself needs
    JavaScript, so the pages reached without it are then checked in a normal page."""
    sign_in(no_js_page, live_url, wave["lead"])
    no_js_page.goto(f"{live_url}/results/{wave['id']}")
    no_js_page.get_by_label("Show results for").select_option("respondent_type:parent_carer")
    follow(no_js_page.get_by_role("button", name="Show results"))
    assert "Who answered: Parent carers" in no_js_page.content()
    assert no_js_page.locator("svg.app-chart").count() > 5
    assert no_js_page.locator("h1").count() == 1
    visited = [no_js_page.url]
    follow(no_js_page.get_by_role("link", name="Communication indicator"))
    assert no_js_page.locator("svg.app-chart--trend").count() == 1
    visited.append(no_js_page.url)
    sign_in(page, live_url, wave["lead"])
    for url in visited:
        page.goto(url)
        check(page, axe)


def test_printing_results_leaves_out_navigation_and_filters(page, live_url, wave):
    sign_in(page, live_url, wave["lead"])
    page.goto(f"{live_url}/results/{wave['id']}")
    assert page.locator(".app-filter").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".app-filter").is_visible()
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert page.locator("table").first.is_visible()


def test_staff_publish_a_summary_record_an_action_and_create_a_token(browser, page, live_app, live_url, wave, axe,
                                                                     monkeypatch):
    # The wave is open: its summary can be public only with the setting (figures are releases).
    monkeypatch.setitem(live_app.config, "RESULTS_PUBLIC_OPEN_WAVES", 1)
    sign_in(page, live_url, wave["staff"])
    page.goto(f"{live_url}/results/{wave['id']}")
    follow(page.get_by_role("button", name="Make a summary public"))
    assert "The summary is now public" in page.content()
    check(page, axe)

    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{live_url}/results/public")
    check(anonymous, axe)
    follow(anonymous.get_by_role("link", name=re.compile("Communication with the SEND service")).first)
    assert "summary of results" in anonymous.locator("h1").inner_text()
    check(anonymous, axe)
    anonymous.goto(f"{live_url}/you-said-we-did/")
    check(anonymous, axe)
    follow(anonymous.get_by_role("link", name="A named caseworker for every family").first)
    check(anonymous, axe)
    anonymous.context.close()

    page.goto(f"{live_url}/you-said-we-did/new")
    check(page, axe)
    follow(page.get_by_role("button", name="Save action"))
    assert "There is a problem" in page.content()
    check(page, axe)
    page.get_by_label("What families said").fill("Letters are hard to understand")
    page.get_by_label("What the council did or will do").fill("We rewrote our letters with the forum")
    page.get_by_label("Done").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    follow(page.get_by_role("button", name="Save action"))
    assert "We rewrote our letters with the forum" in page.locator("h1").inner_text()
    check(page, axe)

    page.goto(f"{live_url}/manage/api-tokens/")
    check(page, axe)
    page.get_by_label("What the token is for").fill("Power BI")
    follow(page.get_by_role("button", name="Create token"))
    assert page.locator("#token").input_value().startswith("fbk_")
    check(page, axe)
    page.goto(f"{live_url}/manage/api-tokens/")
    follow(page.get_by_role("button", name=re.compile("Revoke")).first)
    assert "revoked" in page.content()
    check(page, axe)


def fits(page) -> None:
    """No sideways scroll of the page; chart text 12 px or more; no label cut short."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: the page is {width}px wide on a {viewport}px screen"
    small = page.evaluate("""[...document.querySelectorAll('svg.app-chart text')]
        .map(t => parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM() ? t.getScreenCTM().a : 1))
        .filter(size => size < 12).length""")
    assert small == 0, f"{page.url}: {small} chart labels smaller than 12px"
    cut = page.evaluate("""[...document.querySelectorAll('svg.app-chart text')]
        .filter(t => /…|\\.\\.\\.$/.test(t.textContent)).length""")
    assert cut == 0, f"{page.url}: {cut} chart labels cut short"


def test_results_fit_a_320px_phone_screen(browser, live_url, wave, axe):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    phone = context.new_page()
    try:
        sign_in(phone, live_url, wave["lead"])
        for path in (f"/results/{wave['id']}", f"/results/{wave['id']}/comments", f"/results/{wave['id']}/indicator",
                     "/results/indicator-method", "/results/"):
            phone.goto(live_url + path)
            fits(phone)
            check(phone, axe)
    finally:
        context.close()


def test_forum_member_compares_two_questions_and_one_across_waves_without_javascript(
        no_js_page, browser, live_url, wave, axe):
    """Both comparisons are plain forms: choose, submit, read the table (which scrolls in
    its own box on a phone). axe then checks each page reached, also at 320 px."""
    sign_in(no_js_page, live_url, wave["lead"])
    no_js_page.goto(f"{live_url}/results/{wave['id']}")
    follow(no_js_page.get_by_role("link", name="Compare two questions").first)
    no_js_page.get_by_label("Rows: first question").select_option(label="1. How do you prefer to hear from us?")
    no_js_page.get_by_label("Columns: second question").select_option(label="1. How do you prefer to hear from us?")
    follow(no_js_page.get_by_role("button", name="Show the table"))
    assert "There is a problem" in no_js_page.content()
    error_url = no_js_page.url
    no_js_page.get_by_label("Columns: second question").select_option(label="4. Did you get a reply?")
    follow(no_js_page.get_by_role("button", name="Show the table"))
    caption = "1. How do you prefer to hear from us? by 4. Did you get a reply?"
    assert no_js_page.locator("caption", has_text=caption).count() == 1
    visited = [error_url, no_js_page.url]
    follow(no_js_page.get_by_role("link", name="Across waves"))
    no_js_page.get_by_label("Question").select_option(label="4. Did you get a reply?")
    follow(no_js_page.get_by_role("button", name="Show the table"))
    assert no_js_page.locator("caption", has_text="4. Did you get a reply?: by wave").count() == 1
    visited.append(no_js_page.url)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    phone = context.new_page()
    try:
        sign_in(phone, live_url, wave["lead"])
        for url in visited:
            phone.goto(url)
            fits(phone)
            check(phone, axe)
    finally:
        context.close()
