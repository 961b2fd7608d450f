"""Notifications in the service and by email: partners when invited to co-design, when a
suggestion is decided, when an accepted change clears their sign-off; staff when a contact
request or safeguarding flag arrives. Staff open the answers a family chose to share (audited)."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import AuditEvent, Notification, OutboxMessage, Response, Role
from feedback.responses import services as responses
from feedback.responses.contact import request_contact
from feedback.surveys import services as surveys

from .conftest import capture_mail, make_organisation, make_user
from .survey_factories import make_open_survey, make_survey


class Sent:
    """An email the Notify interface took (the outbox backend in tests)."""

    def __init__(self, message):
        self.to, self.subject, self.body = message.recipient, message.personalisation["subject"], message.personalisation["body"]


def sent():
    return [Sent(m) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "notification").order_by(OutboxMessage.id))]


def kinds(user):
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                                .order_by(Notification.id))]


def test_partners_hear_of_invitations_decisions_and_sign_offs_to_give_again(app, client, auth):
    mail = capture_mail(app)  # the old mail interface: notifications no longer use it
    staff = make_user(Role.STAFF)
    forum = make_organisation("Family Voice Norfolk")
    lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
    member = make_user(Role.FORUM_MEMBER, organisation=forum)
    outsider = make_user(Role.FORUM_MEMBER)
    survey = make_survey(staff)
    surveys.invite_partner(survey, staff, forum)
    assert kinds(lead) == []  # a draft: nothing to co-design yet
    surveys.send_for_co_design(survey, staff)
    assert kinds(lead) == kinds(member) == ["co_design.invited"] and kinds(outsider) == []
    outbox = sent()
    assert {m.to for m in outbox} == {lead.email, member.email} and mail == []
    assert f"/co-design/{survey.id}" in outbox[0].body and outbox[0].body.startswith("Family Voice Norfolk is invited")
    assert outbox[0].body.rstrip().endswith("/notifications")  # where all of them are listed
    question = survey.questions[0]
    declined = surveys.suggest_wording(survey, member, question, "Shorter words", "")
    surveys.decline_suggestion(declined, staff, "It has to match earlier waves")
    assert kinds(member)[-1] == "co_design.suggestion_declined"
    assert "It has to match earlier waves" in db.session.scalars(
        select(Notification.message).where(Notification.user_id == member.id)).all()[-1]
    surveys.sign_off(survey, lead, forum)
    accepted = surveys.suggest_wording(survey, member, question, "Clearer words", "")
    surveys.accept_suggestion(accepted, staff)
    assert kinds(member)[-1] == "co_design.suggestion_accepted"
    assert "co_design.sign_off_cleared" in kinds(lead) and "co_design.sign_off_cleared" not in kinds(member)
    auth.sign_in(lead.email)
    page = client.get("/notifications").text
    assert "needs to sign it off again" in page and "New" in page
    assert "New</strong>" not in client.get("/notifications").text  # seen once, read


def test_staff_hear_of_contact_requests_and_leads_of_flags_without_the_words(app):
    staff = make_user(Role.STAFF)
    lead = make_user(Role.STAFF, safeguarding_lead=True)
    survey = make_open_survey(staff, title="Transport survey")
    response = responses.start_response(survey)
    responses.submit_response(response.id)
    request_contact(survey, db.session.get(Response, response.id), "Sam Parent", "sam@example.org", None,
                    "My son's taxi", share_answers=False)
    assert kinds(staff) == ["contact_request.new"] and "contact_request.new" in kinds(lead)
    assert sent() and all("Sam Parent" not in m.body and "taxi" not in m.body for m in sent())
    author = make_user(Role.YOUTH_MEMBER)
    idea_services.submit_idea(author, "Help", "My dad hits me when I get home.", "Something else")
    assert "safeguarding.flag" in kinds(lead) and "safeguarding.flag" not in kinds(staff)
    assert all("hits" not in m.body for m in sent())


def test_nothing_is_emailed_when_the_change_is_rolled_back(app):
    from feedback.notifications.services import notify

    user = make_user(Role.STAFF)
    with app.test_request_context():
        notify([user], "test", "Something happened")
        db.session.rollback()
    assert sent() == [] and kinds(user) == []


def test_staff_open_the_answers_a_family_shared_and_it_is_audited(client, auth):
    staff = make_user(Role.STAFF)
    survey = make_open_survey(staff, title="Transport survey")
    question = next(q for q in survey.questions if q.kind == "free_text")
    shared, private = (responses.start_response(survey) for _ in range(2))
    responses.save_page(shared, [question], {question.id: "The taxi is late every day"})
    responses.save_page(private, [question], {question.id: "Secret words"})
    for r in (shared, private):
        responses.submit_response(r.id)
    with_answers = request_contact(survey, db.session.get(Response, shared.id), "Sam", "sam@example.org", None, "",
                                   share_answers=True)
    without = request_contact(survey, db.session.get(Response, private.id), "Alex", "alex@example.org", None, "",
                              share_answers=False)
    auth.sign_in(staff.email)
    page = client.get(f"/manage/contact-requests/{with_answers.id}/answers")
    assert page.status_code == 200 and "The taxi is late every day" in page.text and "Secret words" not in page.text
    assert client.get(f"/manage/contact-requests/{without.id}/answers").status_code == 404
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contact_request.answers_viewed",
                                                      AuditEvent.subject_id == with_answers.id)) is not None
    listing = client.get("/manage/contact-requests").text
    assert f"/manage/contact-requests/{with_answers.id}/answers" in listing
    assert f"/manage/contact-requests/{without.id}/answers" not in listing
