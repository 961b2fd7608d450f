"""Evidence journeys in a real browser, with axe-core on every page: staff log a workshop
that happened off the platform (and a forum member of that group sees it), and staff enter
a cohort and see a wave's reach against it (read without JavaScript as well)."""

import uuid

from playwright.sync_api import expect

from feedback.models import Role
from feedback.surveys import services as surveys

from ..conftest import PASSWORD, make_organisation, make_user
from ..survey_factories import make_open_survey
from ..test_results import add_responses
from .conftest import follow


def sign_in(page, live_url, email):
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    follow(page.get_by_role("button", name="Sign in"))
    expect(page.locator("body")).to_contain_text("signed in as")


def check(page, axe):
    expect(page.locator("h1")).to_have_count(1)
    axe.check(page)


def test_staff_log_an_off_platform_workshop_that_the_group_then_sees(page, live_app, live_url, axe):
    with live_app.app_context():
        group = make_organisation(f"Workshop forum {uuid.uuid4().hex[:6]}", "parent_carer_forum")
        staff = make_user(Role.STAFF)
        member = make_user(Role.FORUM_MEMBER, organisation=group)
        group_name, staff_email, member_email = group.name, staff.email, member.email
    sign_in(page, live_url, staff_email)
    follow(page.get_by_role("link", name="Evidence").first)
    check(page, axe)
    follow(page.get_by_role("button", name="Record co-production that happened off the platform"))
    check(page, axe)
    follow(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one group that took part")
    check(page, axe)
    page.get_by_label("What happened", exact=True).fill("Short breaks workshop")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2025")
    page.get_by_label(group_name).check()
    page.get_by_label("Co-production").check()
    page.get_by_label("Space:").check()
    page.get_by_label("Influence:").check()
    page.get_by_label("What changed because of it").fill("Eligibility criteria rewritten together and adopted.")
    follow(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Co-production recorded")
    row = page.locator("tr", has_text="Short breaks workshop")
    expect(row).to_contain_text("12 June 2025")
    expect(row).to_contain_text("Space, Influence")
    check(page, axe)
    page.context.clear_cookies()
    sign_in(page, live_url, member_email)
    page.goto(live_url + "/evidence/")
    expect(page.locator("tr", has_text="Short breaks workshop")).to_contain_text(group_name)
    check(page, axe)


def test_staff_enter_a_cohort_and_see_reach_with_and_without_javascript(page, no_js_page, live_app, live_url, axe):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        survey = make_open_survey(staff, title=f"Reach survey {uuid.uuid4().hex[:6]}")
        add_responses(survey, [{"locality": "Norwich"}] * 30 + [{"locality": "Breckland"}] * 3
                      + [{"locality": "Broadland"}] * 6)
        surveys.close_survey(survey, staff)
        staff_email, title = staff.email, survey.title
    sign_in(page, live_url, staff_email)
    page.goto(live_url + "/evidence/reach")
    check(page, axe)
    follow(page.get_by_role("button", name="Enter a cohort"))
    check(page, axe)
    page.get_by_label("Who the figures are about").fill("Children with an EHC plan or on SEN support")
    page.get_by_label("Day").fill("15")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Norwich").fill("1000")
    page.get_by_label("Breckland").fill("1000")
    page.get_by_label("Broadland").fill("1000")
    page.get_by_label("5 to 10").fill("1000")
    follow(page.get_by_role("button", name="Save cohort"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("must add up to the same total")
    check(page, axe)
    page.get_by_label("5 to 10").fill("3000")
    follow(page.get_by_role("button", name="Save cohort"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Cohort saved")
    check(page, axe)
    follow(page.get_by_role("link", name=title))
    check(page, axe)
    reach_url = page.url
    expect(page.locator("tr", has_text="Norwich")).to_contain_text("30")
    breckland = page.locator("tr", has_text="Breckland")
    expect(breckland).to_contain_text("Hidden")
    expect(breckland).not_to_contain_text(" 3 ")
    expect(page.locator("tr", has_text="Broadland")).to_contain_text("Hidden")
    # The evidence pack for the last year has this wave's reach in it.
    page.goto(live_url + "/evidence/pack")
    expect(page.locator("caption", has_text=f"Responses by locality against the cohort: {title}")).to_have_count(1)
    check(page, axe)
    # The same page without JavaScript (axe needs JavaScript, so it checked the page above).
    sign_in(no_js_page, live_url, staff_email)
    no_js_page.goto(reach_url)
    expect(no_js_page.locator("tr", has_text="Breckland")).to_contain_text("Hidden")
    expect(no_js_page.locator("tr", has_text="Norwich")).to_contain_text("30")
