"""Changing an id in a URL, or a cookie, never reaches someone else's things."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.ideas import services as ideas
from feedback.models import CoDesignPartner, DesignComment, IdeaStatus, Response, Role
from feedback.responses import services as responses

from .conftest import csrf_token, make_organisation, make_user
from .survey_factories import make_co_designed_survey, make_open_survey


def test_a_lead_of_another_group_cannot_sign_off_or_comment_for_a_partner(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    other = make_organisation("SENsational Families", "parent_group")
    outsider = make_user(Role.FORUM_MEMBER, organisation=other, membership="lead")
    auth.sign_in(outsider.email)
    token = csrf_token(client.get("/account").text)
    assert client.post(f"/co-design/{survey.id}/sign-off/{forum.id}", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/co-design/{survey.id}/comments", data={"body": "Let me in", "csrf_token": token}).status_code == 403
    assert client.get(f"/co-design/{survey.id}/questions/{survey.questions[0].id}/suggest").status_code == 403
    partner = db.session.scalar(select(CoDesignPartner).where(CoDesignPartner.survey_id == survey.id))
    assert partner.signed_off_at is None
    assert db.session.scalar(select(DesignComment)) is None


def test_a_youth_member_cannot_act_on_another_members_idea(client, auth):
    author = make_user(Role.YOUTH_MEMBER)
    moderator = make_user(Role.STAFF)
    held = ideas.submit_idea(author, "Later buses", "Buses after clubs finish.", "Transport")
    published = ideas.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    ideas.publish_idea(published, moderator)
    auth.sign_in_as(Role.YOUTH_MEMBER)
    assert client.get(f"/ideas/{held.id}").status_code in (403, 404)
    assert client.get(f"/ideas/{held.id}/sent").status_code in (403, 404)
    assert client.get(f"/ideas/{published.id}/withdraw").status_code == 403
    token = csrf_token(client.get("/ideas").text)
    assert client.post(f"/ideas/{published.id}/withdraw", data={"csrf_token": token}).status_code == 403
    db.session.refresh(published)
    assert published.status == IdeaStatus.PUBLISHED


def start_response(client, survey) -> None:
    page = client.get(f"/surveys/{survey.slug}")
    client.post(f"/surveys/{survey.slug}", data={"csrf_token": csrf_token(page.text)})


def test_another_family_cannot_reach_a_response_by_editing_their_cookie(app, client):
    survey = make_open_survey()
    question = next(q for q in survey.questions if q.kind == "free_text")
    start_response(client, survey)
    first = db.session.scalar(select(Response))
    responses.save_page(first, [question], {question.id: "Our son Tom goes to Oakwood"})

    other = app.test_client()
    start_response(other, survey)
    # Forge a session that points at the first family's response: the signature fails.
    with other.session_transaction() as session:
        session["responses"] = {survey.slug: first.id}
    forged = other.get_cookie("session").value
    tampered = app.test_client()
    tampered.set_cookie("session", forged[:-4] + ("AAAA" if not forged.endswith("AAAA") else "BBBB"))
    check = tampered.get(f"/surveys/{survey.slug}/check")
    assert check.status_code == 302 and check.headers["Location"].endswith(f"/surveys/{survey.slug}")


def test_a_response_in_the_session_is_only_used_for_its_own_survey(app, client):
    first_survey = make_open_survey(title="First survey")
    second_survey = make_open_survey(title="Second survey")
    start_response(client, first_survey)
    first = db.session.scalar(select(Response))
    with client.session_transaction() as session:
        session["responses"] = {second_survey.slug: first.id}
    check = client.get(f"/surveys/{second_survey.slug}/check")
    assert check.status_code == 302


def test_a_wrong_resume_code_reveals_nothing(client):
    survey = make_open_survey()
    response = responses.start_response(survey)
    code, _ = responses.issue_resume_code(response)
    guess = code[:-1] + ("A" if code[-1] != "A" else "B")
    page = client.get("/resume")
    result = client.post("/resume", data={"code": guess, "csrf_token": csrf_token(page.text)})
    assert result.status_code == 200 and "csrf_token" in result.text
    assert survey.slug not in result.headers.get("Location", "")


def test_staff_cannot_open_data_requests_and_admins_can(client, auth):
    auth.sign_in_as(Role.STAFF)
    assert client.get("/admin/privacy/").status_code == 403
    token = csrf_token(client.get("/account").text)
    assert client.post("/admin/privacy/export", data={"email": "a@example.org", "csrf_token": token}).status_code == 403
