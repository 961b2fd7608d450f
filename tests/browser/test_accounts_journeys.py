"""Sign-in and invitation journeys in a real browser, with axe-core on every page."""

import re

from feedback.models import Role

from .conftest import AccessibilityChecker, follow


def test_the_accessibility_check_catches_a_violation(page):
    """The checker itself works: an image without a text alternative must fail."""
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><h1>x</h1><img src="a.png"></main></body></html>')
    checker = AccessibilityChecker()
    try:
        checker.check(page)
    except AssertionError as error:
        assert "image-alt" in str(error)
    else:
        raise AssertionError("axe did not report the missing alt text")


def test_public_pages_have_no_accessibility_violations(page, live_url, axe):
    for path in ("/", "/privacy", "/accessibility", "/cookies", "/reset-password", "/no-such-page"):
        page.goto(live_url + path)
        assert page.locator("h1").count() == 1
        axe.check(page)


def test_staff_member_signs_in_after_a_mistake_and_signs_out(page, live_url, live_user, axe):
    email, password = live_user(Role.STAFF, display_name="Sam Staff")
    page.goto(live_url + "/")
    axe.check(page)
    follow(page.get_by_role("link", name="Sign in").first)
    axe.check(page)
    follow(page.get_by_role("button", name="Sign in"))
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter your email address" in summary.inner_text()
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error:")
    axe.check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))
    assert "signed in as Sam Staff" in page.content()
    axe.check(page)
    follow(page.get_by_role("link", name="Your account"))
    assert page.locator("h1").inner_text() == "Your account"
    axe.check(page)
    follow(page.get_by_role("button", name="Sign out"))
    assert "You have signed out" in page.content()
    axe.check(page)


def test_admin_invites_a_forum_member_who_sets_a_password(browser, page, live_url, live_user, axe):
    email, password = live_user(Role.ADMIN)
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))
    follow(page.get_by_role("link", name="People"))
    axe.check(page)
    follow(page.get_by_role("button", name="Invite someone"))
    axe.check(page)
    follow(page.get_by_role("button", name="Create invitation"))
    assert page.locator(".govuk-error-summary").is_visible()
    axe.check(page)
    page.get_by_label("Email address").fill("new.forum.member@example.org")
    page.get_by_label("Name").fill("Nia Forum")
    page.get_by_label("Forum member: parent carer forum or parent group").check()
    page.get_by_label("Organisation (optional)").select_option(index=0)
    follow(page.get_by_role("button", name="Create invitation"))
    assert "Invitation created for Nia Forum" in page.content()
    axe.check(page)
    link = page.get_by_label("Link").input_value()
    assert re.search(r"/set-password/[\w-]+$", link)
    page.goto(live_url + "/admin/organisations")
    axe.check(page)

    invitee_context = browser.new_context()
    invitee = invitee_context.new_page()
    invitee.goto(link)
    assert invitee.locator("h1").inner_text() == "Create your password"
    axe.check(invitee)
    invitee.get_by_label("Create a password").fill("short")
    invitee.get_by_label("Confirm your password").fill("short")
    follow(invitee.get_by_role("button", name="Save password"))
    assert "Password must be between 12 and 200 characters" in invitee.content()
    axe.check(invitee)
    invitee.get_by_label("Create a password").fill("purple otter lantern")
    invitee.get_by_label("Confirm your password").fill("purple otter lantern")
    follow(invitee.get_by_role("button", name="Save password"))
    assert "signed in as Nia Forum" in invitee.content()
    axe.check(invitee)
    invitee.goto(link)
    assert invitee.locator("h1").inner_text() == "This link does not work"
    axe.check(invitee)
    invitee_context.close()


def test_sign_in_and_out_work_without_javascript(no_js_page, live_url, live_user):
    page = no_js_page
    email, password = live_user(Role.FORUM_MEMBER, display_name="Fran Forum")
    page.goto(live_url + "/sign-in")
    follow(page.get_by_role("button", name="Sign in"))
    assert "Enter your email address" in page.content()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))
    assert "signed in as Fran Forum" in page.content()
    follow(page.get_by_role("button", name="Sign out"))
    assert "You have signed out" in page.content()
