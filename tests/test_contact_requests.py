"""Families who ask to be contacted after answering: kept apart from their answers, seen
and marked as contacted by staff, never by anyone else."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import AuditEvent, ContactRequest, Role
from feedback.models.base import utcnow
from feedback.responses import services as responses
from feedback.responses.contact import request_contact

from .conftest import csrf_token
from .survey_factories import make_open_survey
from .test_responses import Family


def submitted_family(client):
    survey = make_open_survey()
    family = Family(client, survey)
    family.answer_everything()
    family.submit()
    return survey, family


def contact_url(survey):
    return f"/surveys/{survey.slug}/contact"


def send(client, survey, **fields):
    page = client.get(contact_url(survey))
    return client.post(contact_url(survey), data={**fields, "csrf_token": csrf_token(page.text)})


def test_a_family_asks_to_be_contacted_without_linking_their_answers(client):
    survey, _ = submitted_family(client)
    confirmation = client.get(f"/surveys/{survey.slug}/confirmation").text
    assert "ask us to contact you" in confirmation
    sent = send(client, survey, name="Sam Parent", email="Sam@Example.org ", about="Transport to college")
    assert sent.headers["Location"].endswith(contact_url(survey))
    assert "We have your details" in client.get(contact_url(survey)).text
    stored = db.session.scalar(select(ContactRequest))
    assert (stored.name, stored.email, stored.phone, stored.about) == ("Sam Parent", "sam@example.org", None, "Transport to college")
    assert stored.reference is None and stored.survey_id == survey.id
    # Once sent, the form is not shown again in this browser, and a second post stores nothing.
    token = csrf_token(client.get("/resume").text)
    again = client.post(contact_url(survey), data={"name": "Again", "phone": "01632 960 001", "csrf_token": token})
    assert "We have your details" in again.text
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 1


def test_sharing_answers_keeps_the_reference(client):
    survey, _ = submitted_family(client)
    send(client, survey, name="Ali", phone="07700 900 982", share_answers="y")
    stored = db.session.scalar(select(ContactRequest))
    assert stored.reference and stored.reference.startswith("FB-") and stored.phone == "07700 900 982"


def test_contact_form_errors_are_shown_next_to_the_fields_and_nothing_is_stored(client):
    survey, _ = submitted_family(client)
    page = send(client, survey, name="   ", email="", phone="")
    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert "Enter your name" in page.text
    assert "Enter an email address or a phone number so that we can contact you" in page.text
    page = send(client, survey, name="Jo", email="not-an-email", phone="----------")
    assert "Enter an email address in the correct format" in page.text and "Enter a phone number" in page.text
    assert 'value="Jo"' in page.text  # what was typed is kept
    assert db.session.scalar(select(ContactRequest)) is None


def test_only_a_family_that_has_sent_its_answers_can_ask(client):
    survey = make_open_survey()
    assert client.get(contact_url(survey)).headers["Location"].endswith(f"/surveys/{survey.slug}")
    Family(client, survey).start()
    assert client.get(contact_url(survey)).headers["Location"].endswith(f"/surveys/{survey.slug}")


def test_staff_see_requests_and_mark_them_contacted_with_an_audit_record(app, client, auth):
    survey, _ = submitted_family(client)
    send(client, survey, name="Sam Parent", email="sam@example.org", about="Annual review")
    staff_client = app.test_client()
    auth.client = staff_client
    staff = auth.sign_in_as(Role.STAFF)
    page = staff_client.get("/manage/contact-requests")
    assert "Sam Parent" in page.text and "sam@example.org" in page.text and "Waiting: 1" in page.text
    request_id = db.session.scalar(select(ContactRequest.id))
    done = staff_client.post(f"/manage/contact-requests/{request_id}/contacted", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 302
    page = staff_client.get("/manage/contact-requests").text
    assert "Nobody is waiting to be contacted." in page and "Contacted: 1" in page
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == staff.id)))
    assert {"contact_requests.viewed", "contact_request.handled"} <= actions


def test_people_other_than_staff_cannot_see_contact_requests(client, auth):
    for role in (Role.FORUM_MEMBER, Role.YOUTH_MEMBER):
        auth.sign_in_as(role)
        assert client.get("/manage/contact-requests").status_code == 403
        auth.sign_out()
    assert client.get("/manage/contact-requests").headers["Location"].startswith("/sign-in")


def contact_request(survey, email="sam@example.org"):
    free_text = next(q for q in survey.questions if q.kind == "free_text")
    response = responses.start_response(survey)
    responses.save_page(response, [free_text], {free_text.id: "More phone updates please"})
    responses.submit_response(response.id)
    return request_contact(survey, response, "Sam Parent", email, "01632 960 001", "Annual review", share_answers=True)


def test_a_familys_contact_details_are_found_exported_and_erased_on_request(client, auth):
    survey = make_open_survey()
    contact_request(survey, email="sam@example.org")
    other = contact_request(survey, email="someone@example.org")
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/privacy/")
    found = client.post("/admin/privacy/", data={"email": "Sam@example.org", "csrf_token": csrf_token(page.text)})
    assert "Requests to be contacted" in found.text
    token = csrf_token(found.text)
    data = json.loads(client.post("/admin/privacy/export", data={"email": "sam@example.org", "csrf_token": token}).data)
    assert data["account"] is None
    assert [(r["name"], r["phone"], r["about"]) for r in data["requests_to_be_contacted"]] == [
        ("Sam Parent", "01632 960 001", "Annual review")]
    # The family shared their reference, so the answers it links to are theirs to see.
    shared = data["requests_to_be_contacted"][0]["shared_answers"]
    assert {"question": "What would make things better?", "answer": "More phone updates please"} in shared
    erased = client.post("/admin/privacy/erase", data={"email": "sam@example.org", "confirm": "y", "csrf_token": token})
    assert "Data erased" in erased.text
    db.session.expire_all()
    assert list(db.session.scalars(select(ContactRequest.id))) == [other.id]


def test_contact_details_go_when_the_surveys_retention_period_ends(app, runner):
    old, current = make_open_survey(title="Old wave"), make_open_survey(title="Current wave")
    contact_request(old)
    kept = contact_request(current)
    old.closes_at = utcnow() - timedelta(days=old.retention_days + 1)
    db.session.commit()
    assert "Would delete 1 requests to be contacted" in runner.invoke(args=["purge-expired", "--dry-run"]).output
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 2
    assert "Did delete 1 requests to be contacted" in runner.invoke(args=["purge-expired"]).output
    db.session.expire_all()
    assert list(db.session.scalars(select(ContactRequest.id))) == [kept.id]


def test_asking_to_be_contacted_is_rate_limited_but_mistakes_do_not_count(app):
    """Families at one event share an address: five requests a minute get through, typing
    mistakes are not counted, and the sixth request in the minute is refused."""
    survey = make_open_survey()
    statuses = []
    for n in range(6):
        family = Family(app.test_client(), survey)
        family.answer_everything()
        family.submit()
        token = csrf_token(family.client.get(contact_url(survey)).text)
        if n < 5:
            mistake = family.client.post(contact_url(survey), data={"name": "", "csrf_token": token})
            assert mistake.status_code == 200 and "Enter your name" in mistake.text
        statuses.append(family.client.post(contact_url(survey), data={
            "name": f"Parent {n}", "phone": "01632 960 001", "csrf_token": token}).status_code)
    assert statuses == [302] * 5 + [429]
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 5


def test_a_second_family_on_the_same_device_can_ask_too(client):
    """A shared tablet at an event: the next family's request is not mistaken for the last."""
    survey, _ = submitted_family(client)
    send(client, survey, name="First Parent", phone="01632 960 001")
    family = Family(client, survey)
    family.answer_everything()
    family.submit()
    assert "Your name" in client.get(contact_url(survey)).text
    send(client, survey, name="Second Parent", email="second@example.org")
    assert sorted(db.session.scalars(select(ContactRequest.name))) == ["First Parent", "Second Parent"]


def test_an_unshared_request_keeps_only_the_day_it_was_made(client):
    survey, _ = submitted_family(client)
    send(client, survey, name="Sam Parent", phone="01632 960 001")
    asked = db.session.scalar(select(ContactRequest.created_at))
    assert (asked.hour, asked.minute, asked.second, asked.microsecond) == (0, 0, 0, 0)


def test_staff_delete_a_request_with_an_audit_record(client, auth):
    survey = make_open_survey()
    request_id = contact_request(survey).id
    staff = auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/contact-requests")
    done = client.post(f"/manage/contact-requests/{request_id}/delete", data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 302
    assert "Nobody is waiting to be contacted." in client.get("/manage/contact-requests").text
    assert db.session.scalar(select(ContactRequest)) is None
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "contact_request.deleted", AuditEvent.actor_id == staff.id)) is not None
