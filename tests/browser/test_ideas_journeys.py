"""Youth Forum ideas in a real browser: submit, moderate, publish, support, comment, report,
respond and notification, with axe-core on every page; one journey without JavaScript."""

import re

from playwright.sync_api import expect

from feedback.models import Role

from .conftest import follow


def shows(page, text):
    """Wait for the page that a click led to, then check it says `text`."""
    expect(page.locator("body")).to_contain_text(text)


def sign_in(page, live_url, email, password):
    page.goto(live_url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page.get_by_role("button", name="Sign in"))


def send_idea(page, live_url, axe, title, body):
    page.goto(live_url + "/ideas")
    axe.check(page)
    follow(page.get_by_role("button", name="Put forward an idea"))
    axe.check(page)
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe.check(page)
    page.get_by_label("Give your idea a short title").fill(title)
    page.get_by_label("What is your idea, and why does it matter?").fill(body)
    page.get_by_label("Transport").check()
    follow(page.get_by_role("button", name="Continue"))
    expect(page.locator("h1")).to_have_text("Check your idea before you send it")
    axe.check(page)
    follow(page.get_by_role("button", name="Send my idea"))
    shows(page, "Your idea has been sent")
    axe.check(page)


def test_an_idea_from_sending_to_a_council_response(browser, page, live_url, live_user, axe):
    author_email, password = live_user(Role.YOUTH_MEMBER, display_name="Jay Smith")
    staff_email, _ = live_user(Role.STAFF, display_name="Sam Staff")
    supporter_email, _ = live_user(Role.YOUTH_MEMBER, display_name="Priya")

    # A young person sends an idea.
    sign_in(page, live_url, author_email, password)
    send_idea(page, live_url, axe, "Travel training before college",
              "Practice bus journeys with someone before September would make college less scary.")
    follow(page.get_by_role("link", name="My ideas"))
    shows(page, "Waiting to be checked")
    axe.check(page)

    # Staff check it and publish it.
    staff = browser.new_context().new_page()
    sign_in(staff, live_url, staff_email, password)
    staff.goto(live_url + "/ideas/moderation")
    axe.check(staff)
    follow(staff.get_by_role("button", name="Publish idea: Travel training before college"))
    shows(staff, "is published")
    axe.check(staff)

    # Another member supports, comments and reports.
    member = browser.new_context().new_page()
    sign_in(member, live_url, supporter_email, password)
    follow(member.get_by_role("link", name="Ideas", exact=True))
    follow(member.get_by_role("link", name="Travel training before college"))
    shows(member, "Put forward by Jay ")
    assert "Smith" not in member.content()
    axe.check(member)
    follow(member.get_by_role("button", name="Support this idea"))
    shows(member, "You support this idea")
    axe.check(member)
    member.get_by_label("Add a comment").fill("Yes, I was scared of the bus too.")
    follow(member.get_by_role("button", name="Add comment"))
    shows(member, "will show once someone has checked it")
    axe.check(member)
    follow(member.get_by_role("link", name=re.compile("Report this idea")))
    axe.check(member)
    follow(member.get_by_role("button", name="Send report"))
    expect(member.locator(".govuk-error-summary")).to_be_visible()
    axe.check(member)
    member.get_by_label("Something else").check()
    member.get_by_label("Tell us more (optional)").fill("Testing the report button")
    follow(member.get_by_role("button", name="Send report"))
    shows(member, "Thank you for telling us")

    # Staff publish the comment, keep the reported idea and respond.
    staff.goto(live_url + "/ideas/moderation")
    shows(staff, "Testing the report button")
    follow(staff.get_by_role("button", name=re.compile("Publish comment from Priya")))
    follow(staff.get_by_role("button", name=re.compile("Keep it")))
    shows(staff, "No open reports")
    axe.check(staff)
    staff.goto(live_url + "/ideas")
    follow(staff.get_by_role("link", name="Travel training before college"))
    follow(staff.get_by_role("button", name="Respond"))
    axe.check(staff)
    staff.get_by_label("Accepted").check()
    staff.get_by_label("Your update").fill("Travel training is now offered to everyone going to college.")
    follow(staff.get_by_role("button", name="Publish update"))
    shows(staff, "the author has been told")
    axe.check(staff)
    staff.goto(live_url + "/ideas")
    follow(staff.get_by_role("link", name="Summary of ideas"))
    shows(staff, "Time to be heard")
    axe.check(staff)

    # The author sees the notification badge and what the council said.
    page.goto(live_url + "/ideas")
    badge = page.locator(".app-header-badge")
    expect(badge).to_have_text("3")  # published, a comment, the response
    axe.check(page)
    follow(page.get_by_role("link", name=re.compile("Notifications")))
    shows(page, "The council has an update on your idea: accepted.")
    axe.check(page)
    expect(page.locator(".app-header-badge")).to_have_count(0)
    page.goto(live_url + "/ideas/mine")
    shows(page, "Travel training is now offered to everyone going to college.")
    axe.check(page)


def test_safeguarding_lead_reads_a_flagged_idea(browser, page, live_url, live_user, axe):
    author_email, password = live_user(Role.YOUTH_MEMBER, display_name="Ali")
    lead_email, _ = live_user(Role.STAFF, display_name="Lee Lead", safeguarding_lead=True)
    admin_email, _ = live_user(Role.ADMIN)
    sign_in(page, live_url, author_email, password)
    send_idea(page, live_url, axe, "Somewhere safe after school", "My dad hits me when I get home late.")

    lead = browser.new_context().new_page()
    sign_in(lead, live_url, lead_email, password)
    follow(lead.get_by_role("link", name="Safeguarding", exact=True))
    axe.check(lead)
    follow(lead.locator("a[href^='/safeguarding/']").first)
    shows(lead, "My dad hits me when I get home late.")
    axe.check(lead)
    lead.get_by_label("What did you do?").fill("Called the young person's key worker.")
    follow(lead.get_by_role("button", name="Mark as actioned"))
    shows(lead, "Flag marked as actioned")
    axe.check(lead)

    admin = browser.new_context().new_page()
    sign_in(admin, live_url, admin_email, password)
    admin.goto(live_url + "/admin/audit")
    shows(admin, "safeguarding.flag_viewed")
    axe.check(admin)


def test_supporting_and_commenting_work_without_javascript(no_js_page, browser, live_url, live_user):
    page = no_js_page
    author_email, password = live_user(Role.YOUTH_MEMBER, display_name="Tom")
    member_email, _ = live_user(Role.YOUTH_MEMBER, display_name="Ellie")
    staff_email, _ = live_user(Role.STAFF)
    sign_in(page, live_url, author_email, password)
    page.goto(live_url + "/ideas/new")
    page.get_by_label("Give your idea a short title").fill("Sensory-friendly library hours")
    page.get_by_label("What is your idea, and why does it matter?").fill("Lights down, no announcements.")
    page.get_by_label("Something else").check()
    follow(page.get_by_role("button", name="Continue"))
    follow(page.get_by_role("button", name="Send my idea"))
    shows(page, "Your idea has been sent")
    follow(page.get_by_role("button", name="Sign out"))

    sign_in(page, live_url, staff_email, password)
    page.goto(live_url + "/ideas/moderation")
    follow(page.get_by_role("button", name="Publish idea: Sensory-friendly library hours"))
    follow(page.get_by_role("button", name="Sign out"))

    sign_in(page, live_url, member_email, password)
    page.goto(live_url + "/ideas")
    follow(page.get_by_role("link", name="Sensory-friendly library hours"))
    follow(page.get_by_role("button", name="Support this idea"))
    shows(page, "1 supporter.")
    follow(page.get_by_role("button", name="Take back my support"))
    shows(page, "0 supporters.")
    page.get_by_label("Add a comment").fill("I would go every week.")
    follow(page.get_by_role("button", name="Add comment"))
    shows(page, "I would go every week.")
    shows(page, "waiting to be checked")
