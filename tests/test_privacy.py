"""Data protection: retention purges, access and erasure requests, and the audit log."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.ideas import services as ideas
from feedback.models import (
    Answer,
    AuditEvent,
    Idea,
    IdeaStatus,
    Response,
    ResponseStatus,
    Role,
    User,
)
from feedback.models.base import utcnow
from feedback.privacy.services import purge_expired
from feedback.responses import services as responses

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey

FREE_TEXT = "Please ring me on 07700 900123 or email jo.bloggs@example.org"


def answered(survey, text=FREE_TEXT, submit=True) -> Response:
    free = next(q for q in survey.questions if q.kind == "free_text")
    response = responses.start_response(survey)
    responses.save_page(response, [free], {free.id: text})
    responses.issue_resume_code(response)
    if submit:
        responses.submit_response(response.id)
    return response


def past_retention(survey, days=30):
    survey.closes_at = utcnow() - timedelta(days=survey.retention_days + days)
    db.session.commit()


def free_text_values() -> list[str]:
    return list(db.session.scalars(select(Answer.value).where(Answer.value.contains("ring me"))))


def test_purge_anonymises_responses_past_retention_and_keeps_the_rest(app):
    old = make_open_survey(title="Old wave")
    current = make_open_survey(title="Current wave")
    kept = answered(current)
    gone = answered(old)
    past_retention(old)
    report = purge_expired()
    assert report.anonymised == {old.slug: 1}
    db.session.expire_all()
    old_response, new_response = db.session.get(Response, gone.id), db.session.get(Response, kept.id)
    assert old_response.reference is None and old_response.resume_code_hash is None
    assert new_response.reference is not None
    texts = {a.response_id: a.value for a in db.session.scalars(select(Answer).where(Answer.value.contains("ring me")))}
    assert "07700" not in texts[gone.id] and "jo.bloggs" not in texts[gone.id]
    assert "[phone]" in texts[gone.id] and texts[kept.id] == FREE_TEXT
    # Choices and counts survive, so results for the old wave still add up.
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == old.id)) == 1


def test_dry_run_changes_nothing_and_a_second_run_finds_nothing(app, runner):
    old = make_open_survey(title="Old wave")
    answered(old)
    past_retention(old)
    result = runner.invoke(args=["purge-expired", "--dry-run"])
    assert result.exit_code == 0 and "Would anonymise 1 submitted responses in all" in result.output
    assert free_text_values() == [FREE_TEXT]
    result = runner.invoke(args=["purge-expired"])
    assert "Did anonymise 1 submitted responses in all" in result.output
    assert "Did anonymise 0 submitted responses in all" in runner.invoke(args=["purge-expired"]).output
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "privacy.responses_anonymised"))


def test_unfinished_responses_go_after_resume_days_without_use(app):
    survey = make_open_survey()
    stale_id = answered(survey, submit=False).id
    fresh_id = answered(survey, submit=False).id
    db.session.get(Response, stale_id).updated_at = utcnow() - timedelta(days=app.config["RESUME_DAYS"] + 1)
    db.session.commit()
    report = purge_expired()
    assert report.drafts_deleted == 1
    db.session.expire_all()
    assert db.session.get(Response, stale_id) is None
    assert db.session.get(Response, fresh_id).status == ResponseStatus.IN_PROGRESS
    assert len(free_text_values()) == 1


def find(client, email):
    page = client.get("/admin/privacy/")
    return client.post("/admin/privacy/", data={"email": email, "csrf_token": csrf_token(page.text)})


def youth_member_with_an_idea():
    member = make_user(Role.YOUTH_MEMBER, email="jay@example.org", display_name="Jay")
    idea = ideas.submit_idea(member, "Quiet rooms", "I'm Jay from Oakwood, we need a quiet room", "Something else")
    ideas.publish_idea(idea, make_user(Role.STAFF))
    return member, idea


def test_admin_finds_and_exports_a_youth_members_data(client, auth):
    member, idea = youth_member_with_an_idea()
    survey = make_open_survey()
    answered(survey, "Contact me at JAY@example.org about transport")
    auth.sign_in_as(Role.ADMIN)
    page = find(client, "jay@example.org")
    assert "Ideas" in page.text and "Survey answers containing the email address" in page.text
    token = csrf_token(page.text)
    download = client.post("/admin/privacy/export", data={"email": "jay@example.org", "csrf_token": token})
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.data)
    assert data["account"]["name"] == "Jay"
    assert data["ideas"][0]["body"] == "I'm Jay from Oakwood, we need a quiet room"
    assert data["survey_answers"][0]["answer"] == "Contact me at JAY@example.org about transport"
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("privacy.%"))))
    assert actions.count("privacy.person_searched") == 1 and actions.count("privacy.access_exported") == 1


def test_admin_erases_a_person_and_the_decisions_stay(client, auth):
    member, idea = youth_member_with_an_idea()
    survey = make_open_survey()
    answered(survey, "Contact me at jay@example.org about transport")
    auth.sign_in_as(Role.ADMIN)
    page = find(client, "jay@example.org")
    refused = client.post("/admin/privacy/erase", data={"email": "jay@example.org", "csrf_token": csrf_token(page.text)})
    assert "Confirm you have checked the request" in refused.text
    assert db.session.get(User, member.id) is not None
    done = client.post("/admin/privacy/erase", data={
        "email": "jay@example.org", "confirm": "y", "csrf_token": csrf_token(page.text)})
    assert done.status_code == 200 and "Data erased" in done.text
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.email == "jay@example.org")) is None
    kept = db.session.get(Idea, idea.id)
    assert kept.author_id is None and kept.status == IdeaStatus.PUBLISHED
    assert "Oakwood" not in kept.body and "Jay" not in kept.public_body
    assert not db.session.scalar(select(Answer).where(Answer.value.contains("jay@example.org")))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.person_erased"))
    assert event is not None and "jay@example.org" not in event.detail
    assert "We hold no account" in find(client, "jay@example.org").text


def test_the_last_admin_cannot_be_erased(client, auth):
    admin = auth.sign_in_as(Role.ADMIN)
    page = find(client, admin.email)
    response = client.post("/admin/privacy/erase", data={
        "email": admin.email, "confirm": "y", "csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "only active admin" in response.text
    assert db.session.get(User, admin.id) is not None


def test_role_changes_are_in_the_audit_log_for_admins(client, auth):
    admin = auth.sign_in_as(Role.ADMIN)
    person = make_user(Role.FORUM_MEMBER, display_name="Fran")
    page = client.get(f"/admin/users/{person.id}")
    client.post(f"/admin/users/{person.id}", data={
        "role": "staff", "active": "y", "display_name": "Fran", "csrf_token": csrf_token(page.text)})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.role_changed"))
    assert event.actor_id == admin.id and event.subject_id == person.id
    assert "role forum_member -> staff" in event.detail
    log = client.get("/admin/audit")
    assert "account.role_changed" in log.text and "role forum_member -&gt; staff" in log.text


def test_invitations_record_the_role_given(client, auth):
    admin = auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/users/invite")
    client.post("/admin/users/invite", data={
        "email": "new@example.org", "display_name": "New", "role": "staff", "organisation": "",
        "membership_role": "member", "csrf_token": csrf_token(page.text)})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.role_granted"))
    assert event.actor_id == admin.id and "role staff" in event.detail
