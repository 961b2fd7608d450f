"""Invitations by email and text message (through the local outbox), reminders only to those
who have not used their link, the anonymity of invited answers, and the consented contact list."""

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.invitations import services
from feedback.models import Answer, Contact, Invitation, OutboxMessage, Response, ResponseStatus, Role
from feedback.models.base import utcnow
from feedback.privacy.services import erase_person, export_person
from feedback.surveys import services as survey_services

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey

ONE_QUESTION = [dict(kind="yes_no", text="Did you get a reply?", page=1, required=True)]
THREE = "email,mobile\namy@example.org,\n,07700 900 982\nben@example.org,\n"
LINK = re.compile(r"http://localhost/i/(\d+-[a-z2-7]{16})")
UNSUBSCRIBE = re.compile(r"http://localhost/unsubscribe/([ic])/(\d+-[a-z2-7]{16})")


@pytest.fixture
def staff(app):
    return make_user(Role.STAFF)


@pytest.fixture
def survey(staff):
    return make_open_survey(staff, questions=ONE_QUESTION, title="Keeping in touch")


def upload(client, survey, text, filename="families.csv"):
    page = client.get(f"/manage/surveys/{survey.id}/invitations")
    return client.post(f"/manage/surveys/{survey.id}/invitations", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page.text),
                             "contacts": (io.BytesIO(text.encode()), filename)})


def press(client, survey, what):
    page = client.get(f"/manage/surveys/{survey.id}/invitations")
    return client.post(f"/manage/surveys/{survey.id}/invitations/{what}", data={"csrf_token": csrf_token(page.text)})


def outbox(template=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def link_in(message) -> str:
    return LINK.search(message.personalisation["body"]).group(1)


def answer_with_link(client, token, value="yes"):
    """A family follows their link, starts, answers and submits."""
    page = client.get(f"/i/{token}")
    assert page.status_code == 200
    started = client.post(f"/i/{token}", data={"csrf_token": csrf_token(page.text)})
    assert started.status_code == 302 and "/pages/1" in started.headers["Location"]
    question_page = client.get(started.headers["Location"])
    question_id = re.search(r'name="q(\d+)"', question_page.text).group(1)
    client.post(started.headers["Location"], data={"csrf_token": csrf_token(question_page.text),
                                                   f"q{question_id}": value})
    about = client.get(started.headers["Location"].replace("/pages/1", "/about-you"))
    client.post(started.headers["Location"].replace("/pages/1", "/about-you"),
                data={"csrf_token": csrf_token(about.text)})
    check = client.get(started.headers["Location"].replace("/pages/1", "/check"))
    sent = client.post(started.headers["Location"].replace("/pages/1", "/submit"),
                       data={"csrf_token": csrf_token(check.text)})
    assert "/confirmation" in sent.headers["Location"]


def test_upload_three_send_answer_one_and_remind_only_the_other_two(app, client, auth, staff, survey):
    auth.sign_in(staff.email)
    page = upload(client, survey, THREE)
    assert "3 people added to the list" in page.text
    sent = press(client, survey, "send")
    assert "3 invitations sent" in client.get(sent.headers["Location"]).text
    invitations = outbox("invitation")
    assert [(m.channel, m.recipient) for m in invitations] == [
        ("email", "amy@example.org"), ("sms", "07700900982"), ("email", "ben@example.org")]
    for message in invitations:
        body = message.personalisation["body"]
        assert LINK.search(body) and UNSUBSCRIBE.search(body), "every message has its link and a way to stop"
        # Absolute links come only from BASE_URL.
        assert all(url.startswith("http://localhost/") for url in re.findall(r"https?://\S+", body))
    assert invitations[0].personalisation["subject"] == "Have your say about ‘Keeping in touch’"
    assert len(invitations[1].personalisation["body"]) < 320, "a text message stays short"

    family = app.test_client()
    answer_with_link(family, link_in(invitations[0]))
    assert db.session.scalar(select(func.count(Response.id)).where(Response.status == ResponseStatus.SUBMITTED)) == 1

    reminded = press(client, survey, "remind")
    assert "2 reminders sent" in client.get(reminded.headers["Location"]).text
    reminders = outbox("reminder")
    assert sorted(m.recipient for m in reminders) == ["07700900982", "ben@example.org"]
    # A second press straight after sends nobody a second reminder.
    press(client, survey, "remind")
    assert len(outbox("reminder")) == 2
    # The reminder carries the same link as the invitation, still unused.
    assert link_in(next(m for m in reminders if m.recipient == "ben@example.org")) == link_in(invitations[2])


def column_values(table, where) -> list:
    return [value for row in db.session.execute(select(table).where(where)) for value in row]


def test_the_stored_response_holds_no_link_to_its_invitation(app, client, auth, staff, survey):
    auth.sign_in(staff.email)
    upload(client, survey, THREE)
    press(client, survey, "send")
    message = outbox("invitation")[0]
    token = link_in(message)
    family = app.test_client()
    answer_with_link(family, token)
    invitation = db.session.scalar(select(Invitation).where(Invitation.email == "amy@example.org"))
    response = db.session.scalar(select(Response).where(Response.status == ResponseStatus.SUBMITTED))
    assert invitation.used_on == utcnow().date() and type(invitation.used_on) is date, "only the day is kept"

    # No column of response or answer refers to the invitation table, by key or by name.
    for table in (Response.__table__, Answer.__table__):
        assert not any(fk.column.table is Invitation.__table__ for fk in table.foreign_keys)
        assert not any("invit" in column.name for column in table.columns)
    assert not any(fk.column.table in (Response.__table__, Answer.__table__) for fk in Invitation.__table__.foreign_keys)

    # Every stored value of the response and its answers: none names the invitation.
    values = column_values(Response.__table__, Response.__table__.c.id == response.id)
    values += column_values(Answer.__table__, Answer.__table__.c.response_id == response.id)
    invitation_marks = {token, token.split("-")[1], invitation.nonce, invitation.email, "amy"}
    for value in values:
        text = str(value)
        assert not any(mark in text for mark in invitation_marks), f"{text!r} names the invitation"
    # The response's times are to the second; the invitation keeps a date and no time at all.
    invitation_columns = {c.name: c for c in Invitation.__table__.columns}
    time_columns = {name for name, c in invitation_columns.items() if isinstance(c.type, sa.DateTime)
                    or getattr(c.type, "impl", None).__class__ is sa.DateTime}
    assert time_columns == {"sent_at", "reminded_at", "sending_at"}, "no time of use is kept"
    assert invitation.sent_at < response.started_at and invitation.reminded_at is None
    assert invitation.sending_at is None, "the claim of the sending is let go once the message went"
    # The family's browser no longer carries the link either.
    with family.session_transaction() as browser:
        assert token not in str(dict(browser))


def test_an_invitation_link_works_once_and_a_mail_scanner_does_not_use_it(app, client, auth, staff, survey):
    auth.sign_in(staff.email)
    upload(client, survey, "email\namy@example.org\n")
    press(client, survey, "send")
    token = link_in(outbox("invitation")[0])
    scanner = app.test_client()
    assert scanner.get(f"/i/{token}").status_code == 200
    assert db.session.scalar(select(Invitation.used_on)) is None, "looking at the link does not use it"
    first, second = app.test_client(), app.test_client()
    page_one, page_two = first.get(f"/i/{token}"), second.get(f"/i/{token}")
    assert first.post(f"/i/{token}", data={"csrf_token": csrf_token(page_one.text)}).status_code == 302
    refused = second.post(f"/i/{token}", data={"csrf_token": csrf_token(page_two.text)})
    assert refused.status_code == 410 and "already been used" in refused.text
    assert app.test_client().get(f"/i/{token}").status_code == 410
    assert db.session.scalar(select(func.count(Response.id))) == 1
    # A token changed by one letter, or made for another purpose, opens nothing.
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert app.test_client().get(f"/i/{forged}").status_code == 404
    unsubscribe_token = UNSUBSCRIBE.search(outbox("invitation")[0].personalisation["body"]).group(2)
    assert app.test_client().get(f"/i/{unsubscribe_token}").status_code == 404


def test_uploads_report_each_row_rejected_and_file_errors_by_the_field(client, auth, staff, survey):
    auth.sign_in(staff.email)
    page = upload(client, survey, "Email Address,Mobile Number\nok@example.org,\nnot-an-email,\n,0123\n"
                                  "OK@example.org,\n,+44 7700 900 123\n\n,,\n")
    assert "2 people added to the list" in page.text
    for row, reason in [(3, "Enter the email address in the correct format"), (4, "Enter a UK mobile number"),
                        (5, "The same person as row 2")]:
        assert re.search(rf">{row}</td><td[^>]*>{reason}", page.text), (row, reason)
    assert db.session.scalar(select(Invitation.mobile).where(Invitation.mobile.is_not(None))) == "07700900123"
    again = upload(client, survey, "email\nok@example.org\n")
    assert "0 people added" in again.text and "Already on this wave’s list" in again.text

    for text, filename, error in [("name\nAmy\n", "list.csv", "a column called ‘email’, ‘mobile’ or both"),
                                  ("email\na@example.org\n", "list.xlsx", "The selected file must be a CSV"),
                                  ("", "list.csv", "The selected file is empty")]:
        refused = upload(client, survey, text, filename)
        assert refused.status_code == 200 and "govuk-error-summary" in refused.text
        assert 'href="#contacts"' in refused.text and error in refused.text
    not_utf8 = client.post(f"/manage/surveys/{survey.id}/invitations", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token(page.text),
                                 "contacts": (io.BytesIO("email\nzoë@example.org\n".encode("latin-1")), "l.csv")})
    assert "saved as UTF-8" in not_utf8.text
    assert db.session.scalar(select(func.count(Invitation.id))) == 2


def test_the_list_is_deleted_when_the_wave_closes_by_staff_or_at_its_date(staff):
    by_staff = make_open_survey(staff, questions=ONE_QUESTION, title="Closed by staff")
    services.upload_list(by_staff, THREE.encode())
    at_date = make_open_survey(staff, questions=ONE_QUESTION, title="Closed at its date")
    services.upload_list(at_date, THREE.encode())
    survey_services.close_survey(by_staff, staff)
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.survey_id == by_staff.id)) == 0
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.survey_id == at_date.id)) == 3
    survey_services.open_and_close_due(at_date.closes_at + timedelta(minutes=1))
    assert db.session.scalar(select(func.count(Invitation.id))) == 0
    with pytest.raises(services.InvitationError):
        services.upload_list(by_staff, THREE.encode())


def test_unsubscribing_stops_reminders_and_a_scanner_changes_nothing(app, client, auth, staff, survey):
    auth.sign_in(staff.email)
    upload(client, survey, "email\namy@example.org\nben@example.org\n")
    press(client, survey, "send")
    kind, token = UNSUBSCRIBE.search(outbox("invitation")[0].personalisation["body"]).groups()
    family = app.test_client()
    page = family.get(f"/unsubscribe/{kind}/{token}")
    assert page.status_code == 200 and "Stop messages" in page.text
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.unsubscribed.is_(True))) == 0
    done = family.post(f"/unsubscribe/{kind}/{token}", data={"csrf_token": csrf_token(page.text)})
    assert "You will not get any more messages" in done.text
    press(client, survey, "remind")
    assert [m.recipient for m in outbox("reminder")] == ["ben@example.org"]


def test_invitations_are_sent_only_while_the_wave_is_open(client, auth, staff):
    from feedback.surveys.services import close_survey

    survey = make_open_survey(staff, questions=ONE_QUESTION)
    services.upload_list(survey, THREE.encode())
    close_survey(survey, staff)
    auth.sign_in(staff.email)
    assert "its list has been deleted" in client.get(f"/manage/surveys/{survey.id}/invitations").text
    with pytest.raises(services.InvitationError):
        services.send_invitations(survey)
    assert outbox() == []


def sign_up(client, audience="parent_carer", **fields):
    page = client.get(f"/keep-in-touch/{audience}")
    data = {"csrf_token": csrf_token(page.text), "wants_surveys": "y", "wants_results": "y", "consent": "y", **fields}
    return client.post(f"/keep-in-touch/{audience}", data={k: v for k, v in data.items() if v is not None})


def confirm_link(message) -> str:
    return re.search(r"http://localhost(/keep-in-touch/confirm/\S+)", message.personalisation["body"]).group(1)


def test_the_contact_list_needs_a_confirmed_sign_up_before_any_invitation(app, client, auth, staff, survey):
    family = app.test_client()
    who = family.get("/keep-in-touch")
    chose = family.post("/keep-in-touch", data={"csrf_token": csrf_token(who.text), "audience": "parent_carer"})
    assert chose.headers["Location"].endswith("/keep-in-touch/parent_carer")
    sent = sign_up(family, email="Cara@Example.org")
    assert sent.headers["Location"].endswith("/keep-in-touch/parent_carer/check")
    contact = db.session.scalar(select(Contact))
    assert contact.email == "cara@example.org" and contact.confirmed_at is None
    assert "I agree that Norfolk County Council can keep my contact details" in contact.consent_text
    assert services.add_contact_list(survey) == 0, "not on the list before the link is followed"

    link = confirm_link(outbox("contact_confirmation")[0])
    page = family.get(link)
    assert db.session.scalar(select(Contact.confirmed_at)) is None, "following the link shows a button first"
    family.post(link, data={"csrf_token": csrf_token(page.text)})
    assert db.session.scalar(select(Contact.confirmed_at)) is not None

    auth.sign_in(staff.email)
    added = press(client, survey, "contact-list")
    assert "1 people from the contact list added" in client.get(added.headers["Location"]).text
    press(client, survey, "send")
    invitation = outbox("invitation")[0]
    assert invitation.recipient == "cara@example.org"
    # Stopping messages from the invitation also takes her off the contact list.
    kind, token = UNSUBSCRIBE.search(invitation.personalisation["body"]).groups()
    page = family.get(f"/unsubscribe/{kind}/{token}")
    family.post(f"/unsubscribe/{kind}/{token}", data={"csrf_token": csrf_token(page.text)})
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_young_people_get_their_own_consent_words_and_errors_name_the_field(app, survey):
    family = app.test_client()
    page = family.get("/keep-in-touch/young_person")
    assert "It is OK for Norfolk County Council to keep my email or phone number" in page.text
    refused = sign_up(family, "young_person", consent=None, email="not an email")
    assert refused.status_code == 200
    assert 'href="#email"' in refused.text and "Enter an email address in the correct format" in refused.text
    refused = sign_up(family, "young_person", consent=None, mobile="07700 900 982")
    assert 'href="#consent"' in refused.text and "Tick the box to say you agree" in refused.text
    refused = sign_up(family, "young_person", mobile="12345")
    assert 'href="#mobile"' in refused.text and "Enter a UK mobile number" in refused.text
    assert sign_up(family, "young_person", mobile="07700 900 982").status_code == 302
    message = outbox("contact_confirmation")[0]
    assert message.channel == "sms" and message.recipient == "07700900982"
    # Under 13s are asked to have a parent or carer sign up.
    assert "If you are under 13, ask your parent or carer" in family.get("/keep-in-touch").text


def test_leaving_the_list_from_its_page_or_the_link_in_any_message(app):
    family = app.test_client()
    sign_up(family, email="dev@example.org")
    family.post(confirm_link(outbox()[0]), data={"csrf_token": csrf_token(family.get(confirm_link(outbox()[0])).text)})
    page = family.get("/keep-in-touch/leave")
    left = family.post("/keep-in-touch/leave", data={"csrf_token": csrf_token(page.text), "email": "DEV@example.org"})
    assert "If those details were on our contact list, they have been deleted" in left.text
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    # The confirmation message's own removal link works too.
    sign_up(family, email="eve@example.org")
    kind, token = UNSUBSCRIBE.search(outbox()[-1].personalisation["body"]).groups()
    assert kind == "c"
    page = family.get(f"/unsubscribe/c/{token}")
    family.post(f"/unsubscribe/c/{token}", data={"csrf_token": csrf_token(page.text)})
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    # Once gone, the link says nothing is held (and changes nothing).
    assert "We do not hold your details" in family.get(f"/unsubscribe/c/{token}").text


def test_privacy_export_and_erasure_cover_the_contact_list_and_invitations(app, staff, survey):
    admin = make_user(Role.ADMIN)
    family = app.test_client()
    sign_up(family, email="fay@example.org")
    family.post(confirm_link(outbox()[0]), data={"csrf_token": csrf_token(family.get(confirm_link(outbox()[0])).text)})
    services.add_contact_list(survey)
    data = export_person("fay@example.org", admin)
    assert data["contact_list"][0]["email"] == "fay@example.org"
    assert data["contact_list"][0]["consent_given"].startswith("I agree")
    assert data["survey_invitations"][0]["survey"] == survey.title
    counts = erase_person("fay@example.org", admin)
    assert counts["contact list entries"] == 1 and counts["survey invitations"] == 1
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_the_notify_backend_sends_through_gov_uk_notify_with_the_configured_templates(app_with):
    app = app_with(NOTIFY_BACKEND="notify", NOTIFY_API_KEY="test-" + "a" * 36 + "-" + "b" * 36,
                   NOTIFY_EMAIL_TEMPLATE_ID="email-template", NOTIFY_SMS_TEMPLATE_ID="sms-template")
    from feedback import notify

    calls = []

    class Client:
        def send_email_notification(self, **kwargs):
            calls.append(("email", kwargs))
            return {"id": "n1"}

        def send_sms_notification(self, **kwargs):
            calls.append(("sms", kwargs))
            return {"id": "n2"}

    backend = notify.backend()
    assert isinstance(backend, notify.NotifyBackend)
    backend.client = Client()
    survey = make_open_survey(make_user(Role.STAFF), questions=ONE_QUESTION)
    services.upload_list(survey, THREE.encode())
    report = services.send_invitations(survey)
    assert report.sent == 3 and outbox() == []
    assert [(c, k["template_id"]) for c, k in calls] == [
        ("email", "email-template"), ("sms", "sms-template"), ("email", "email-template")]
    assert calls[0][1]["email_address"] == "amy@example.org" and set(calls[0][1]["personalisation"]) == {"subject", "body"}
    assert calls[1][1]["phone_number"] == "07700900982" and set(calls[1][1]["personalisation"]) == {"body"}


def test_a_notify_failure_is_reported_and_nobody_is_sent_a_second_copy(app, staff):
    from feedback import notify

    class Flaky:
        def __init__(self):
            self.calls = 0

        def send(self, channel, to, template, personalisation):
            self.calls += 1
            if self.calls == 2:
                raise notify.NotifyError("GOV.UK Notify could not send this message")
            return "ok"

    app.extensions["notify"] = Flaky()
    survey = make_open_survey(staff, questions=ONE_QUESTION)
    services.upload_list(survey, THREE.encode())
    report = services.send_invitations(survey)
    assert (report.sent, report.failed) == (2, 1)
    again = services.send_invitations(survey)
    assert (again.sent, again.failed) == (1, 0), "only the one that failed is sent again"


def test_production_does_not_store_messages_in_the_outbox(app):
    from feedback import notify

    app.config["FEEDBACK_ENV"] = "production"
    try:
        with pytest.raises(notify.NotifyError):
            notify.send("email", "a@example.org", "invitation", subject="s", body="b")
    finally:
        app.config["FEEDBACK_ENV"] = "testing"
    assert outbox() == []


# Sending is the worker's: the request records it, the worker (or inline, without Redis) sends.

REDIS_TEST_URL = __import__("os").environ.get("REDIS_TEST_URL")


@pytest.mark.skipif(not REDIS_TEST_URL, reason="needs a Redis server (REDIS_TEST_URL)")
def test_with_redis_the_request_only_records_the_sending_and_the_worker_sends(app, client, auth, runner, staff,
                                                                                survey, monkeypatch):
    import uuid

    from redis import Redis
    from rq import Queue

    from feedback import jobs

    monkeypatch.setattr(jobs, "QUEUE", f"test-invitations-{uuid.uuid4().hex[:8]}")
    app.config["REDIS_URL"] = REDIS_TEST_URL
    queue = Queue(jobs.QUEUE, connection=Redis.from_url(REDIS_TEST_URL))
    try:
        auth.sign_in(staff.email)
        upload(client, survey, THREE)
        pressed = press(client, survey, "send")
        page = client.get(pressed.headers["Location"]).text
        assert "3 invitations are being sent" in page
        assert "Sending invitations: 0 of 3 sent so far" in page, "staff see how far it has got"
        assert outbox("invitation") == [] and queue.count == 1, "nothing was sent inside the request"
        # A second press while it is under way queues no second sending.
        press(client, survey, "send")
        assert queue.count == 2
        result = runner.invoke(args=["worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert len(outbox("invitation")) == 3, "each person gets one invitation, however often it was pressed"
        assert "3 invitations sent." in client.get(f"/manage/surveys/{survey.id}/invitations").text
    finally:
        queue.delete(delete_jobs=True)


def test_a_failed_sending_shows_staff_why_and_a_retry_sends_only_what_did_not_go(app, client, auth, staff, survey):
    from feedback import notify
    from feedback import outbox as events

    class Flaky:
        def __init__(self):
            self.sent, self.calls = [], 0

        def send(self, channel, to, template, personalisation):
            self.calls += 1
            if self.calls == 2:
                raise notify.NotifyError("GOV.UK Notify could not send this message")
            self.sent.append(to)
            return "ok"

    backend = app.extensions["notify"] = Flaky()
    auth.sign_in(staff.email)
    upload(client, survey, THREE)
    page = client.get(press(client, survey, "send").headers["Location"]).text
    assert "Sending invitations: 2 of 3 sent so far" in page
    assert "It stopped: 1 could not be sent: GOV.UK Notify could not send this message" in page
    assert events.process_waiting() == 1, "the worker (or `flask outbox`) tries again"
    assert sorted(backend.sent) == ["07700900982", "amy@example.org", "ben@example.org"]
    assert len(backend.sent) == 3, "nobody got a second copy"
    assert "3 invitations sent." in client.get(f"/manage/surveys/{survey.id}/invitations").text


def test_a_message_another_worker_is_sending_is_not_sent_again(app, staff, survey):
    services.upload_list(survey, THREE.encode())
    first = db.session.scalar(select(Invitation).order_by(Invitation.id))
    first.sending_at = utcnow()  # claimed a moment ago by a worker still at it
    db.session.commit()
    assert services.send_invitations(survey).sent == 2
    first.sending_at = utcnow() - timedelta(hours=1)  # that worker died: its claim lapsed
    db.session.commit()
    assert services.send_invitations(survey).sent == 1
    assert len(outbox("invitation")) == 3


# News of results for the contact list


def contact(email=None, mobile=None, audience="parent_carer", wants_results=True, confirmed=True):
    from feedback.invitations.tokens import new_nonce

    row = Contact(email=email, mobile=mobile, audience=audience, wants_surveys=True, wants_results=wants_results,
                  consent_text="I agree", nonce=new_nonce(), confirmed_at=utcnow() if confirmed else None)
    db.session.add(row)
    db.session.commit()
    return row


def make_public(client, survey, change="make_public"):
    page = client.get(f"/results/{survey.id}")
    return client.post(f"/results/{survey.id}/publish", data={"csrf_token": csrf_token(page.text), "change": change})


def test_people_who_asked_for_results_news_hear_once_when_a_waves_results_go_public(app, client, auth, staff, survey):
    contact("amy@example.org")
    contact(mobile="07700900982", audience="young_person")
    contact("surveys.only@example.org", wants_results=False)
    contact("not.confirmed@example.org", confirmed=False)
    survey_services.close_survey(survey, staff)
    auth.sign_in(staff.email)
    # Published to forum members only: not public, so no news yet.
    make_public(client, survey, "publish")
    assert outbox("results_news") == []
    make_public(client, survey)
    news = outbox("results_news")
    assert [(m.channel, m.recipient) for m in news] == [("email", "amy@example.org"), ("sms", "07700900982")]
    email = news[0].personalisation
    assert email["subject"] == "The results of ‘Keeping in touch’ are out"
    assert f"http://localhost/results/public/{survey.id}" in email["body"]
    assert len(news[1].personalisation["body"]) < 320
    # Withdrawn and made public again: nobody is told twice about the same wave.
    make_public(client, survey, "withdraw_public")
    make_public(client, survey)
    assert len(outbox("results_news")) == 2
    # The unsubscribe link in the message takes them off the list.
    kind, token = UNSUBSCRIBE.search(email["body"]).groups()
    family = app.test_client()
    page = family.get(f"/unsubscribe/{kind}/{token}")
    family.post(f"/unsubscribe/{kind}/{token}", data={"csrf_token": csrf_token(page.text)})
    db.session.expire_all()
    assert db.session.scalar(select(Contact).where(Contact.email == "amy@example.org")) is None
