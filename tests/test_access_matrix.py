"""Every route x every role: allowed, sent to sign in, or refused."""

import pytest
from sqlalchemy import select

from feedback.accounts import services
from feedback.actions.services import save_action
from feedback.api.services import create_token
from feedback.comments import services as comment_services
from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import RedactionName, Response, Role, SafeguardingFlag, TextAnalysis
from feedback.responses import services as responses
from feedback.responses.contact import request_contact
from feedback.results.services import set_public
from feedback.surveys import services as survey_services
from feedback.surveys.routing import rule_from_choices
from feedback.webhooks.services import register_endpoint

from .access import MATRIX, ROLES
from .conftest import csrf_token, make_user
from .survey_factories import make_co_designed_survey, make_open_survey


def test_every_route_is_in_the_access_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(MATRIX) == set(), "add new routes to tests/access.py"
    assert set(MATRIX) - endpoints == set(), "tests/access.py lists routes that no longer exist"


@pytest.fixture
def ids(app):
    admin = make_user(Role.ADMIN, email="matrix-admin@example.org")
    target = make_user(Role.STAFF, email="matrix-target@example.org")
    _, invite_token = services.invite_user(
        email="matrix-invitee@example.org", display_name="Invitee", role=Role.STAFF, invited_by=admin
    )
    ids = {"user_id": target.id, "invite_token": invite_token}
    ids.update(survey_ids(admin))
    ids.update(idea_ids())
    ids.update(results_ids(admin))
    ids.update(evidence_ids(admin))
    ids.update(ballot_ids(admin))
    return ids


def ballot_ids(admin) -> dict:
    """An open Youth Forum ballot of three ideas, and a parent's consent link."""
    from unittest.mock import patch

    from feedback.ballots import services as ballots

    author = make_user(Role.YOUTH_MEMBER, email="matrix-ballot-author@example.org")
    ideas = [idea_services.submit_idea(author, f"Ballot idea {n}", "Something calm.", "Something else") for n in range(3)]
    for idea in ideas:
        idea_services.publish_idea(idea, admin)
    ballot = ballots.create_ballot(admin, "Matrix ballot", [i.id for i in ideas])
    with patch.object(ballots.secrets, "token_urlsafe", return_value="matrix-parent-token"):
        ballots.give_consent(make_user(Role.YOUTH_MEMBER, email="matrix-child@example.org"), "under_13",
                             "parent@example.org")
    return {"ballot_id": ballot.id, "parent_token": "matrix-parent-token"}


def evidence_ids(admin) -> dict:
    """An off-platform co-production record, for the evidence routes."""
    from datetime import date

    from feedback.evidence.log import group_choices, save_activity

    activity = save_activity(admin, None, title="Workshop", happened_on=date(2026, 1, 5), stage="participation",
                             lundy=[], outcome="Criteria rewritten", group_ids=[group_choices()[0].id])
    return {"activity_id": activity.id}


def survey_ids(admin) -> dict:
    survey, forum, lead, staff = make_co_designed_survey()
    question = survey.questions[0]
    suggestion = survey_services.suggest_wording(survey, lead, question, "Clearer words", "")
    comment = survey_services.add_comment(survey, lead, "Looks good")
    source = next(q for q in survey.questions if q.kind == "yes_no")
    route = survey_services.add_route(survey, staff, source.page, rule_from_choices("all", [f"{source.id}:yes"]), None)
    open_survey = make_open_survey(staff, title="Open survey")
    response = responses.start_response(open_survey)
    code, _ = responses.issue_resume_code(response)
    submitted = responses.start_response(open_survey)
    responses.submit_response(submitted.id)
    contact = request_contact(open_survey, db.session.get(Response, submitted.id), "Matrix Parent",
                              "matrix-parent@example.org", None, "Transport", share_answers=False)
    shared = request_contact(open_survey, db.session.get(Response, submitted.id), "Matrix Sharer",
                             "matrix-sharer@example.org", None, "Transport", share_answers=True)
    return {**comment_ids(open_survey), "contact_request_id": contact.id, "shared_contact_request_id": shared.id,
        "survey_id": survey.id, "question_id": question.id, "suggestion_id": suggestion.id,
        "comment_id": comment.id, "organisation_id": forum.id, "partner_id": survey.partners[0].id,
        "open_survey_id": open_survey.id, "slug": open_survey.slug, "short_code": open_survey.short_code,
        "resume_code": code, "route_id": route.id, "route_page": route.page,
        "picture_id": easy_read_picture(open_survey),
    }


def easy_read_picture(survey) -> int:
    """A picture of an open wave's Easy Read version, which anyone may see."""
    from feedback.models import EasyReadPicture

    picture = EasyReadPicture(survey_id=survey.id, content_type="image/png", data=b"\x89PNG\r\n\x1a\n", sha256="0" * 64)
    db.session.add(picture)
    db.session.commit()
    return picture.id


def comment_ids(survey) -> dict:
    """An analysed comment, a theme and a redaction name for the comments routes."""
    comment_services.seed_taxonomy()
    comment_services.add_redaction_name("Oakwood Primary")
    question = next(q for q in survey.questions if q.kind == "free_text")
    response = responses.start_response(survey)
    responses.save_page(response, [question], {question.id: "Nobody replied to my emails"})
    responses.submit_response(response.id)
    analysis = db.session.scalar(select(TextAnalysis))
    return {"analysis_id": analysis.id, "theme_id": analysis.themes[0].theme_id,
            "name_id": db.session.scalar(select(RedactionName.id))}


def idea_ids() -> dict:
    """An idea by another youth member (published), one waiting to be checked, a comment
    waiting, an open report and a safeguarding flag, for the ideas routes."""
    author = make_user(Role.YOUTH_MEMBER, email="matrix-author@example.org")
    moderator = make_user(Role.STAFF, email="matrix-moderator@example.org")
    published = idea_services.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    idea_services.publish_idea(published, moderator)
    held = idea_services.submit_idea(author, "Later buses", "Buses after clubs finish.", "Transport")
    comment = idea_services.add_comment(published, author, "Our school has one.")
    report = idea_services.report(published, moderator, "Unkind")
    risky = idea_services.submit_idea(author, "Help", "My dad hits me when I get home.", "Something else")
    flag = db.session.scalar(select(SafeguardingFlag).where(
        SafeguardingFlag.source_type == "idea", SafeguardingFlag.source_id == risky.id))
    return {"idea_id": published.id, "held_idea_id": held.id, "idea_comment_id": comment.id,
            "idea_report_id": report.id, "flag_id": flag.id}


def results_ids(admin) -> dict:
    """A closed wave with a public summary, a "You said, we did" action and an API token,
    for the results, actions and API routes."""
    closed = make_open_survey(admin, title="Published survey")
    survey_services.close_survey(closed, admin)
    set_public(closed, admin, True)
    action = save_action(admin, None, you_said="Nobody rings back", we_did="A named caseworker", due_on=None,
                         status="planned", survey_ids=[closed.id], theme_ids=[], idea_ids=[])
    token, _ = create_token(admin, "Matrix token")
    endpoint = register_endpoint(admin, "https://hooks.example.org/in", "Matrix endpoint", ["wave.closed"])
    return {"webhook_endpoint_id": endpoint.id,
            "public_survey_id": closed.id, "action_id": action.id, "api_token_id": token.id,
            "series_key": closed.series_key}


def outcome(response) -> str:
    if response.status_code == 302:
        return "login" if "/sign-in" in response.headers["Location"] else "redirect"
    return {403: "forbidden", 404: "not_found", 410: "gone"}.get(response.status_code, "ok" if response.status_code < 300 else str(response.status_code))


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, auth, ids, role):
    if role != "anonymous":
        auth.sign_in_as(Role(role))
    token = csrf_token(client.get("/account" if role != "anonymous" else "/reset-password").text)
    failures = []
    for endpoint, (method, template, expected) in MATRIX.items():
        url = template.format(**ids)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        got = outcome(response)
        if got != expected[role]:
            failures.append(f"{method} {url}: expected {expected[role]}, got {got}")
        if endpoint == "accounts.sign_out":
            # Signing out clears the session (and its CSRF token): start again as this role.
            if role != "anonymous":
                auth.sign_in_as(Role(role))
            token = csrf_token(client.get("/account" if role != "anonymous" else "/reset-password").text)
    assert not failures, "\n".join(failures)
