"""Views that turn a service's refusal into a message (through `domain_errors`): the person
sees the message by the field, or at the top of the next page, and nothing the service had
started is kept.

Each service here is replaced by one that writes an audit event, flushes it, then refuses, as a
service that checks a rule part-way through would. A probe after the view (where anything the
request still commits would be committed) reads what the request's session holds: a view that
did not roll back leaves the half-written row there."""

import re

import pytest
from sqlalchemy import select

from feedback.accounts import services as accounts
from feedback.audit import record_audit
from feedback.extensions import db
from feedback.invitations import services as invitations
from feedback.models import AuditEvent, CoDesignPartner, Role
from feedback.privacy import services as privacy
from feedback.surveys import services as surveys
from feedback.webhooks import services as webhooks
from feedback.webhooks.services import EVENTS

from .conftest import PASSWORD, csrf_token, make_organisation, make_user
from .survey_factories import make_open_survey, make_survey

HALF = "probe.half_saved"


@pytest.fixture
def session_after_view(app):
    """What each request's session holds for the half-written row once its view has returned."""
    seen = []

    @app.after_request
    def probe(response):
        seen.append(db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == HALF)))
        return response

    return seen


def refusing(monkeypatch, module, name, error):
    def refuse(*args, **kwargs):
        record_audit(None, HALF, "probe", None)
        db.session.flush()
        raise error

    monkeypatch.setattr(module, name, refuse)


def by_field(html: str, field: str, message: str) -> bool:
    return re.search(rf'id="{field}-error" class="govuk-error-message">\s*'
                     rf'<span class="govuk-visually-hidden">[^<]*</span>\s*{re.escape(message)}', html) is not None


def in_banner(html: str, message: str) -> bool:
    """The message is the heading of a banner that is not a success banner."""
    return re.search(r'<div class="govuk-notification-banner" role="region"(?:(?!<div class="govuk-notification-'
                     rf'banner[" ]).)*?__heading">\s*{re.escape(message)}\s*</p>', html, re.S) is not None


def webhook_form():
    return "/manage/webhooks/", "/manage/webhooks/", {"url": "https://example.org/hook", "description": "Case system",
                                                      "events": next(iter(EVENTS))}


def password_form():
    return "/account", "/account", {"current": PASSWORD, "password": "a new long passphrase here",
                                    "confirm": "a new long passphrase here"}


def organisation_form():
    return "/admin/organisations", "/admin/organisations", {"name": "Family Voice", "kind": "parent_carer_forum"}


FIELD_CASES = {
    "webhook address": (Role.STAFF, webhook_form, webhooks, "register_endpoint",
                        webhooks.WebhookError("That address is not allowed"), "url"),
    "current password": (Role.STAFF, password_form, accounts, "change_password",
                         accounts.AccountError("Your current password is not right"), "current"),
    "organisation name": (Role.ADMIN, organisation_form, accounts, "create_organisation",
                          accounts.AccountError("An organisation with this name already exists."), "name"),
}


@pytest.mark.parametrize("case", FIELD_CASES)
def test_a_refusal_shows_by_its_field_and_keeps_nothing(client, auth, monkeypatch, session_after_view, case):
    role, form, module, name, error, field = FIELD_CASES[case]
    auth.sign_in_as(role)
    page_url, post_url, data = form()
    page = client.get(page_url)
    refusing(monkeypatch, module, name, error)
    session_after_view.clear()
    refused = client.post(post_url, data={**data, "csrf_token": csrf_token(page.text)})
    assert refused.status_code == 200 and by_field(refused.text, field, str(error))
    assert session_after_view == [None]
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == HALF)) is None


def contact_list_step():
    survey = make_open_survey()
    return (f"/manage/surveys/{survey.id}/invitations", f"/manage/surveys/{survey.id}/invitations/contact-list",
            {}, f"/manage/surveys/{survey.id}/invitations")


def erase_step():
    person = make_user(Role.FORUM_MEMBER)
    return "/admin/privacy/", "/admin/privacy/erase", {"email": person.email, "confirm": "y"}, "/admin/privacy/"


def invite_partner_step():
    survey, group = make_survey(), make_organisation("Parent group", "parent_group")
    return (f"/manage/surveys/{survey.id}", f"/manage/surveys/{survey.id}/partners", {"organisation": group.id},
            f"/manage/surveys/{survey.id}")


def remove_partner_step():
    survey, group = make_survey(), make_organisation("Parent group", "parent_group")
    surveys.invite_partner(survey, make_user(Role.STAFF), group)
    partner = db.session.scalar(select(CoDesignPartner).where(CoDesignPartner.survey_id == survey.id))
    return (f"/manage/surveys/{survey.id}", f"/manage/surveys/{survey.id}/partners/{partner.id}/remove", {},
            f"/manage/surveys/{survey.id}")


FLASH_CASES = {
    "contact list": (Role.STAFF, contact_list_step, invitations, "add_contact_list",
                     invitations.InvitationError("The list is closed")),
    "erasure": (Role.ADMIN, erase_step, privacy, "erase_person",
                privacy.PrivacyError("That is the last admin")),
    "invite a partner": (Role.STAFF, invite_partner_step, surveys, "invite_partner",
                         surveys.SurveyError("That group is already a partner")),
    "remove a partner": (Role.STAFF, remove_partner_step, surveys, "remove_partner",
                         surveys.SurveyError("Partners cannot change now")),
}


@pytest.mark.parametrize("case", FLASH_CASES)
def test_a_refused_step_shows_its_reason_on_the_next_page_and_keeps_nothing(client, auth, monkeypatch,
                                                                            session_after_view, case):
    role, step, module, name, error = FLASH_CASES[case]
    auth.sign_in_as(role)
    page_url, post_url, data, back_to = step()
    page = client.get(page_url)
    refusing(monkeypatch, module, name, error)
    session_after_view.clear()
    refused = client.post(post_url, data={**data, "csrf_token": csrf_token(page.text)})
    assert refused.status_code == 302 and refused.headers["Location"].split("#")[0] == back_to
    assert session_after_view == [None]
    assert in_banner(client.get(back_to).text, str(error))
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == HALF)) is None
