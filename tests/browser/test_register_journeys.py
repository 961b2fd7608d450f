"""The "You said, we did" register and task-based home pages in a real browser, with axe-core
on every page: staff take an action from planned to done and the young person whose idea it
answers sees it on their idea; a staff home page lists each kind of task."""

import uuid
from datetime import date

from playwright.sync_api import expect

from feedback.actions.services import save_action
from feedback.ideas import services as idea_services
from feedback.models import Role

from ..conftest import make_user
from ..test_tasks import a_task_of_every_kind
from .conftest import follow
from .test_evidence_journeys import check, sign_in


def test_an_action_goes_from_planned_to_done_and_appears_on_the_young_persons_idea(page, live_app, live_url, axe):
    tag = uuid.uuid4().hex[:6]
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        author = make_user(Role.YOUTH_MEMBER, display_name="Robin")
        idea = idea_services.submit_idea(author, f"Quiet rooms {tag}", "Somewhere calm at lunch.", "Something else")
        idea_services.publish_idea(idea, staff)
        staff_email, author_email, idea_id = staff.email, author.email, idea.id
    sign_in(page, live_url, staff_email)
    page.goto(live_url + "/you-said-we-did/new")
    check(page, axe)
    page.get_by_label("What families said").fill("Lunch is too loud")
    page.get_by_label("What the council did or will do").fill(f"Quiet rooms at lunch in every school {tag}")
    page.get_by_label("Who is responsible").fill("Inclusion team")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Planned").check()
    page.get_by_label(f"Quiet rooms {tag}").check()
    follow(page.get_by_role("button", name="Save action"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("Inclusion team")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Planned")
    check(page, axe)
    # Done without a date it happened is refused, by the field.
    follow(page.get_by_role("button", name="Post a progress update"))
    check(page, axe)
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("What happened").fill("Quiet rooms opened in all 40 schools")
    follow(page.get_by_role("button", name="Post update"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date it happened")
    check(page, axe)
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    follow(page.get_by_role("button", name="Post update"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress update posted")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Done")
    expect(page.locator("main")).to_contain_text("Quiet rooms opened in all 40 schools")
    expect(page.locator("main")).to_contain_text("3 March 2026")
    check(page, axe)
    page.context.clear_cookies()
    sign_in(page, live_url, author_email)
    page.goto(f"{live_url}/ideas/{idea_id}")
    action = page.locator("#action")
    expect(action).to_contain_text("This idea led to an action")
    expect(action).to_contain_text(f"Quiet rooms at lunch in every school {tag}")
    expect(action).to_contain_text("Done")
    check(page, axe)
    follow(action.get_by_role("link"))
    expect(page.locator("main")).to_contain_text("Quiet rooms opened in all 40 schools")
    check(page, axe)
    # The year's Local Offer publication has it among the done actions, for everyone.
    page.context.clear_cookies()
    page.goto(f"{live_url}/you-said-we-did/")
    follow(page.get_by_role("link", name=f"You said, we did in {date.today().year}"))
    expect(page.locator("#status-done + .app-register")).to_contain_text(f"Quiet rooms at lunch in every school {tag}")
    check(page, axe)


def test_a_staff_home_page_lists_each_kind_of_task(page, live_app, live_url, axe):
    with live_app.app_context():
        survey, *_ = a_task_of_every_kind(f"Home page forum {uuid.uuid4().hex[:6]}")
        lead = make_user(Role.STAFF, safeguarding_lead=True)
        title, email = survey.title, lead.email
    sign_in(page, live_url, email)
    page.goto(live_url + "/")
    for key, text in (("sign_off", title), ("contact", "Transport survey"), ("flags", "Flag"),
                      ("moderate", "Later buses"), ("overdue", "Plain English letters")):
        expect(page.locator(f"#task-{key}")).to_contain_text(text)
    check(page, axe)
