"""Explicit wiring: audited views, one domain-error block for views, one pagination."""

import re

import pytest
from sqlalchemy import select

from feedback.audit import record_audit
from feedback.extensions import db
from feedback.ideas import services as ideas
from feedback.models import AuditEvent, Role
from feedback.models.ideas import IdeaStatus

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey


def exports_of(survey_id):
    return list(db.session.execute(
        select(AuditEvent.action, AuditEvent.detail, AuditEvent.actor_id)
        .where(AuditEvent.subject_id == survey_id, AuditEvent.action.like("results.%exported"))
        .order_by(AuditEvent.id)
    ))


def test_each_staff_download_is_audited_with_its_format_and_person(client, auth):
    survey = make_open_survey()
    staff = auth.sign_in_as(Role.STAFF)
    assert client.get(f"/results/{survey.id}/download.xlsx").status_code == 200
    assert client.get(f"/results/{survey.id}/responses.csv").status_code == 200
    assert exports_of(survey.id) == [
        ("results.tables_exported", '{"format": "xlsx"}', staff.id),
        ("results.responses_exported", '{"format": "csv"}', staff.id),
    ]


@pytest.mark.parametrize("role", [None, Role.YOUTH_MEMBER])
def test_a_refused_download_leaves_no_audit_record(client, auth, role):
    survey = make_open_survey()
    if role is not None:
        auth.sign_in_as(role)
    assert client.get(f"/results/{survey.id}/responses.csv").status_code in (302, 403, 404)
    assert exports_of(survey.id) == []


def test_a_missing_survey_download_leaves_no_audit_record(client, auth):
    auth.sign_in_as(Role.STAFF)
    assert client.get("/results/987654/download.csv").status_code == 404
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.subject_id == 987654)) is None


def answered_idea(author):
    idea = ideas.submit_idea(author, "Quiet rooms", "Lunch is too loud.", "Something else")
    staff = make_user(Role.STAFF)
    ideas.publish_idea(idea, staff)
    ideas.respond_to_idea(idea, staff, IdeaStatus.ACCEPTED, "Four schools will open one.")
    return idea


def test_a_refused_withdrawal_shows_the_reason_on_the_page_and_changes_nothing(client, auth):
    author = auth.sign_in_as(Role.YOUTH_MEMBER)
    idea = answered_idea(author)
    page = client.get(f"/ideas/{idea.id}/withdraw")
    refused = client.post(f"/ideas/{idea.id}/withdraw", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 200
    assert "govuk-error-message" in refused.text and "once the council has answered it" in refused.text
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.ACCEPTED


def test_a_refused_button_flashes_the_reason_and_rolls_back(client, auth, app):
    author = make_user(Role.YOUTH_MEMBER)
    idea = ideas.submit_idea(author, "Quiet rooms", "Lunch is too loud.", "Something else")
    ideas.publish_idea(idea, make_user(Role.STAFF))
    auth.sign_in_as(Role.STAFF)
    page = client.get("/ideas/moderation")
    again = client.post(f"/ideas/{idea.id}/publish", data={"csrf_token": csrf_token(page.text)},
                        follow_redirects=True)
    assert again.status_code == 200 and "Only ideas waiting to be checked can be published." in again.text
    assert "is published." not in again.text


def test_domain_errors_rolls_back_what_the_block_wrote(app):
    from feedback.errors import domain_errors

    staff = make_user(Role.STAFF)
    with app.test_request_context():
        with domain_errors(ideas.IdeaError):
            record_audit(staff, "probe.written", "user", staff.id)
            db.session.flush()
            raise ideas.IdeaError("No")
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "probe.written")) is None


def test_domain_errors_shows_the_message_by_the_field_the_error_names(app):
    from feedback.errors import domain_errors
    from feedback.evidence.forms import ActivityForm
    from feedback.evidence.log import EvidenceError

    with app.test_request_context(method="POST"):
        form = ActivityForm(meta={"csrf": False})
        for named in ("happened_on", ""):
            with domain_errors(EvidenceError, field=lambda error: form[error.field or "groups"]):
                raise EvidenceError(f"Refused ({named or 'no field'})", field=named)
        assert form.happened_on.errors == ["Refused (happened_on)"]
        assert form.groups.errors == ["Refused (no field)"]


def test_the_ideas_list_pages_keep_the_filters_on_every_link(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    staff = make_user(Role.STAFF)
    for number in range(45):
        idea = ideas.submit_idea(author, f"Idea number {number}", "More quiet rooms.", "Something else")
        ideas.publish_idea(idea, staff)
    auth.sign_in_as(Role.YOUTH_MEMBER)
    first = client.get("/ideas?sort=newest&category=Something+else").text
    links = set(re.findall(r'class="govuk-link govuk-pagination__link" href="([^"]+)"', first))
    assert links and all("category=Something+else" in link and "sort=newest" in link for link in links)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = client.get("/ideas?sort=newest&category=Something+else&page=3").text
    assert 'rel="prev"' in last and 'rel="next"' not in last and "Idea number 0" in last


def test_one_page_of_results_shows_no_pagination(client, auth):
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert "govuk-pagination" not in client.get("/ideas").text


def test_the_audit_log_pages_through_with_the_same_pagination(client, auth):
    admin = auth.sign_in_as(Role.ADMIN)
    for number in range(60):
        record_audit(admin, "probe.page", "user", number)
    db.session.commit()
    first = client.get("/admin/audit").text
    assert 'rel="next"' in first and "/admin/audit?page=2" in first
    second = client.get("/admin/audit?page=2").text
    assert 'rel="prev"' in second and "probe.page" in second
