"""A new family on a phone, without JavaScript: from the home page to an open survey in two
clicks, the list of surveys, and a closed wave's short link that leads on to the newer wave
and its public results. axe-core (with the `region` rule) checks every page, and no page
asks for an asset that is not there."""

from datetime import timedelta

import pytest

from feedback.models import Role
from feedback.models.base import utcnow
from feedback.results import services as results_services
from feedback.surveys import services

from ..conftest import make_organisation, make_user
from ..survey_factories import make_open_survey
from .conftest import AXE_RULES, AXE_TAGS, follow

PHONE = {"width": 390, "height": 844}
QUESTIONS = [dict(kind="yes_no", text="Did the short break help?", page=1, required=True),
             dict(kind="free_text", text="What else should we know?", page=1)]


def phone(browser, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.missing = []
    page.on("response", lambda response: page.missing.append(response.url) if response.status >= 400 else None)
    return context, page


@pytest.fixture(params=[False, True], ids=["no-javascript", "javascript"])
def journey(request, browser, axe):
    """(page, check): a 390 px page without JavaScript, then the same journey with it.
    axe needs JavaScript, so it checks the pages of the second run; both runs must work."""
    context, page = phone(browser, request.param)
    yield page, (axe.check if request.param else lambda page: None)
    context.close()


@pytest.fixture(scope="module")
def short_breaks(live_app):
    """Wave 1 closed with public results, wave 2 open, signed off by the forum."""
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        forum = make_organisation("Short Breaks Parents Group", "parent_group")
        lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
        first = make_open_survey(staff, title="Short breaks in your area", questions=QUESTIONS,
                                 wave_label="Spring 2026", audience="parent_carers", estimated_minutes=4)
        services.close_survey(first, staff)
        results_services.set_public(first, staff, True)
        now = utcnow()
        second = services.new_wave(first, staff, "Autumn 2026", now - timedelta(hours=1), now + timedelta(days=20))
        services.invite_partner(second, staff, forum)
        services.send_for_co_design(second, staff)
        services.sign_off(second, lead, forum)
        services.open_survey(second, staff)
        return {"first_code": first.short_code, "first_id": first.id, "second_slug": second.slug,
                "closes": second.closes_at.strftime("%-d %B %Y")}


def test_a_family_on_a_phone_finds_an_open_survey_in_two_clicks(journey, live_url, short_breaks):
    page, check = journey
    page.goto(live_url + "/")
    check(page)
    have_your_say = page.locator("main")
    assert have_your_say.get_by_role("heading", name="Have your say").is_visible()
    listing = have_your_say.get_by_role("link", name="Short breaks in your area – Autumn 2026")
    follow(listing)  # one click
    assert page.url.endswith(f"/surveys/{short_breaks['second_slug']}")
    assert "Designed with Short Breaks Parents Group" in page.content()
    assert "It is for parent carers." in page.content()
    check(page)
    follow(page.get_by_role("button", name="Start now"))  # two clicks: answering
    assert page.get_by_text("Did the short break help?", exact=True).is_visible()
    assert page.get_by_text("What else should we know? (optional)").is_visible()
    check(page)
    # No horizontal scrolling at 390 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.missing == []


def test_the_surveys_page_shows_who_how_long_closing_and_partners(journey, live_url, short_breaks):
    page, check = journey
    page.goto(live_url + "/")
    menu = page.locator("header").get_by_role("button", name="Menu")
    if menu.is_visible():  # with JavaScript, the service navigation folds into a menu at 390 px
        menu.click()
    follow(page.locator("header").get_by_role("link", name="Have your say", exact=True))
    assert page.url.endswith("/surveys")
    check(page)
    main = page.locator("main").inner_text()
    open_part = main[main.index("Open now"):main.index("Closed surveys")]
    assert "Short breaks in your area" in open_part
    for words in ("Parent carers", "About 4 minutes", short_breaks["closes"], "Short Breaks Parents Group"):
        assert words in open_part, words
    closed = page.locator("main")
    follow(closed.get_by_role("link", name="read the results of Short breaks in your area, Spring 2026"))
    assert page.url.endswith(f"/results/public/{short_breaks['first_id']}")
    assert page.missing == []


def test_a_closed_waves_short_link_leads_to_the_newer_wave_and_its_results(journey, live_url, short_breaks):
    page, check = journey
    response = page.goto(live_url + f"/s/{short_breaks['first_code']}")
    assert response.status == 410
    assert page.get_by_role("heading", name="This survey is closed").is_visible()
    check(page)
    follow(page.get_by_role("link", name="answer ‘Short breaks in your area’, Autumn 2026"))
    assert page.url.endswith(f"/surveys/{short_breaks['second_slug']}")
    page.go_back()
    follow(page.get_by_role("link", name="Read what families told us in Spring 2026"))
    assert page.url.endswith(f"/results/public/{short_breaks['first_id']}")
    check(page)


def test_axe_runs_the_region_rule_and_it_passes_on_the_home_page(browser, live_url):
    from axe_playwright_python.sync_playwright import Axe

    context, phone_page = phone(browser, javascript=True)
    phone_page.goto(live_url + "/")
    results = Axe().run(phone_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": AXE_RULES})
    assert "region" in {rule["id"] for rule in results.response["passes"]}
    # The rule does catch content outside a landmark.
    phone_page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p>Outside every landmark</p>')")
    results = Axe().run(phone_page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": AXE_RULES})
    assert "region" in {rule["id"] for rule in results.response["violations"]}
    context.close()


def test_the_pages_a_family_reaches_fit_a_320_px_screen(browser, live_url, short_breaks):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/surveys", f"/s/{short_breaks['first_code']}", f"/surveys/{short_breaks['second_slug']}"):
        page.goto(live_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()
