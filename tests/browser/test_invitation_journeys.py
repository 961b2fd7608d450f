"""Invitation and contact list journeys in a real browser, without JavaScript where families
use them, with axe-core on every page."""

import re

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import OutboxMessage, Role

from ..conftest import make_user
from ..survey_factories import make_open_survey
from .test_results_journeys import sign_in
from .conftest import follow


def latest_message(live_app, template):
    with live_app.app_context():
        return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                                  .order_by(OutboxMessage.id.desc())).first().personalisation["body"]


def test_staff_upload_a_list_and_send_and_a_family_answers_from_their_link(page, no_js_page, live_app, live_url,
                                                                          axe, tmp_path):
    with live_app.app_context():
        staff = make_user(Role.STAFF)
        survey = make_open_survey(staff, questions=[dict(kind="yes_no", text="Did you get a reply?", page=1)],
                                  title="Invited survey")
        survey_id, email = survey.id, staff.email
    sign_in(page, live_url, email)
    page.goto(f"{live_url}/manage/surveys/{survey_id}")
    follow(page.get_by_role("link", name="Invite people by email and text message"))
    axe.check(page)
    follow(page.get_by_role("button", name="Upload the list"))
    assert "Select a CSV file" in page.content()
    axe.check(page)
    contacts = tmp_path / "families.csv"
    contacts.write_text("email,mobile\nbrowser-family@example.org,\nnot-an-email,\n")
    page.get_by_label("Upload a list of people to invite").set_input_files(str(contacts))
    follow(page.get_by_role("button", name="Upload the list"))
    assert "1 people added to the list" in page.content() and "Rows not added" in page.content()
    axe.check(page)
    follow(page.get_by_role("button", name="Send invitations"))
    assert "1 invitations sent" in page.content()
    link = re.search(r"(/i/\S+)", latest_message(live_app, "invitation")).group(1)

    no_js_page.goto(live_url + link)
    assert "You have been invited" in no_js_page.content()
    follow(no_js_page.get_by_role("button", name="Start now"))
    assert "/pages/1" in no_js_page.url
    page.goto(live_url + link)
    assert "already been used" in page.content()
    axe.check(page)


def test_a_family_joins_the_contact_list_without_javascript_and_leaves_it(no_js_page, page, live_app, live_url, axe):
    no_js_page.goto(live_url + "/keep-in-touch")
    no_js_page.get_by_label("A parent or carer").check()
    follow(no_js_page.get_by_role("button", name="Continue"))
    no_js_page.get_by_label("Email address").fill("browser-parent@example.org")
    no_js_page.get_by_label(re.compile("I agree that")).check()
    follow(no_js_page.get_by_role("button", name="Send me a link to confirm"))
    assert "Check your messages" in no_js_page.content()
    confirm = re.search(r"(/keep-in-touch/confirm/\S+)", latest_message(live_app, "contact_confirmation")).group(1)
    no_js_page.goto(live_url + confirm)
    follow(no_js_page.get_by_role("button", name="Confirm"))
    assert "You are on the contact list" in no_js_page.content()
    for path in ("/keep-in-touch", "/keep-in-touch/young_person", "/keep-in-touch/leave", confirm):
        page.goto(live_url + path)
        axe.check(page)
    page.goto(live_url + "/keep-in-touch/parent_carer")
    follow(page.get_by_role("button", name="Send me a link to confirm"))
    assert "There is a problem" in page.content()
    axe.check(page)
    leave = re.search(r"(/unsubscribe/c/\S+)", latest_message(live_app, "contact_confirmation")).group(1)
    page.goto(live_url + leave)
    axe.check(page)
    follow(page.get_by_role("button", name="Stop messages"))
    assert "You will not get any more messages" in page.content()
    axe.check(page)
