"""A family tracks what happened after it answered, and staff read their notifications and
the answers a family shared, in a real browser with axe-core on every page."""

import uuid

from playwright.sync_api import expect

from feedback.extensions import db
from feedback.models import Response, Role
from feedback.responses import services as responses
from feedback.responses.contact import request_contact

from ..conftest import make_user
from ..survey_factories import make_open_survey
from .conftest import follow
from .test_evidence_journeys import check, sign_in


def test_a_family_tracks_its_reference_and_staff_open_what_it_shared(page, live_app, live_url, axe):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        survey = make_open_survey(staff, title=f"Transport survey {uuid.uuid4().hex[:6]}")
        question = next(q for q in survey.questions if q.kind == "free_text")
        response = responses.start_response(survey)
        responses.save_page(response, [question], {question.id: "The taxi is late every day"})
        reference = responses.submit_response(response.id)
        contact = request_contact(survey, db.session.get(Response, response.id), "Sam Parent", "sam@example.org",
                                  None, "Taxi", share_answers=True)
        staff_email, title, contact_id = staff.email, survey.title, contact.id
    page.goto(live_url + "/")
    follow(page.get_by_role("link", name="see what happened after you answered"))
    check(page, axe)
    follow(page.get_by_role("button", name="Find what happened"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reference")
    check(page, axe)
    page.get_by_label("Your reference").fill("FB-AAAAAAAA")
    follow(page.get_by_role("button", name="Find what happened"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("We could not find that reference")
    page.get_by_label("Your reference").fill(reference.lower())
    follow(page.get_by_role("button", name="Find what happened"))
    expect(page.locator("main")).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("We have your request and will be in touch")
    expect(page.locator("main")).not_to_contain_text("taxi is late")
    check(page, axe)
    sign_in(page, live_url, staff_email)
    follow(page.get_by_role("link", name="Notifications").first)  # the navigation entry, with its count
    expect(page.locator("main")).to_contain_text(f"A family asked to be contacted about “{title}”")
    check(page, axe)
    page.goto(f"{live_url}/manage/contact-requests/{contact_id}/answers")
    expect(page.locator("main")).to_contain_text("The taxi is late every day")
    check(page, axe)
