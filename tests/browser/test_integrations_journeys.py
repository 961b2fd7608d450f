"""Integrations in a real browser, with axe-core: staff register a webhook endpoint (with and
without JavaScript, and at 320 px) and make an API token with an expiry."""

from playwright.sync_api import expect

from feedback.models import Role

from .conftest import follow
from .test_results_journeys import sign_in


def register(page, live_url, axe=None):
    """Register an endpoint, checking each page with axe (axe needs JavaScript: None skips it)."""
    check = axe.check if axe else (lambda page: None)
    page.goto(live_url + "/manage/webhooks/")
    check(page)
    follow(page.get_by_role("button", name="Register endpoint"))  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page)
    page.get_by_label("Address that receives events").fill("https://hooks.example.org/in")
    page.get_by_label("What it is for").fill("Case management system")
    page.get_by_label("A survey wave closed").check()
    page.get_by_label("A release of results was published").check()
    follow(page.get_by_role("button", name="Register endpoint"))
    expect(page.locator("h1")).to_have_text("Endpoint registered")
    assert page.locator("#secret").input_value().startswith("whsec_")
    check(page)
    follow(page.get_by_role("link", name="See its deliveries"))
    expect(page.locator("h1")).to_have_text("Case management system")
    expect(page.get_by_text("No events sent yet.")).to_be_visible()
    check(page)
    follow(page.get_by_role("button", name="Disable this endpoint"))
    expect(page.get_by_role("button", name="Enable this endpoint")).to_be_visible()
    check(page)


def test_staff_register_a_webhook_endpoint(page, live_url, live_user, axe):
    email, _ = live_user(Role.STAFF)
    sign_in(page, live_url, email)
    register(page, live_url, axe)


def test_registering_works_without_javascript(no_js_page, live_url, live_user):
    email, _ = live_user(Role.STAFF)
    sign_in(no_js_page, live_url, email)
    register(no_js_page, live_url)


def test_registering_works_at_320px(page, live_url, live_user, axe):
    email, _ = live_user(Role.STAFF)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_url, email)
    register(page, live_url, axe)
    for url in (page.url, live_url + "/manage/webhooks/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} scrolls sideways at 320 px ({width} px)"


def test_staff_make_a_token_that_expires(page, live_url, live_user, axe):
    email, _ = live_user(Role.STAFF)
    sign_in(page, live_url, email)
    page.goto(live_url + "/manage/api-tokens/")
    axe.check(page)
    page.get_by_label("What the token is for").fill("Power BI board pack")
    page.get_by_label("After 30 days").check()
    follow(page.get_by_role("button", name="Create token"))
    expect(page.get_by_text("Expires")).to_be_visible()
    axe.check(page)
