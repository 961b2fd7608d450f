"""Task-based home pages: staff see what waits for them, forum members the surveys their
group is asked to co-design (leads: to sign off), youth members replies to their ideas."""

from datetime import date


from feedback.actions.services import save_action
from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import Response, Role
from feedback.responses import services as responses
from feedback.responses.contact import request_contact

from feedback.surveys import services as survey_services

from .conftest import make_organisation, make_user
from .survey_factories import make_co_designed_survey, make_open_survey, make_survey


def a_task_of_every_kind(group="Family Voice Norfolk"):
    """A survey waiting for a group's sign-off, a contact request, an idea to check, a
    safeguarding flag and an overdue action."""
    staff = make_user(Role.STAFF)
    forum = make_organisation(group, "parent_carer_forum")
    lead = make_user(Role.FORUM_MEMBER, organisation=forum, membership="lead")
    survey = make_survey(staff)
    survey_services.invite_partner(survey, staff, forum)
    survey_services.send_for_co_design(survey, staff)
    open_survey = make_open_survey(staff, title="Transport survey")
    submitted = responses.start_response(open_survey)
    responses.submit_response(submitted.id)
    request_contact(open_survey, db.session.get(Response, submitted.id), "Sam Parent", "sam@example.org", None,
                    "Transport", share_answers=False)
    author = make_user(Role.YOUTH_MEMBER, display_name="Riley")
    idea_services.submit_idea(author, "Later buses", "Buses after clubs finish.", "Transport")
    idea_services.submit_idea(author, "Help", "My dad hits me when I get home.", "Something else")
    save_action(staff, None, you_said="Letters are full of jargon", we_did="Plain English letters", due_on=date(2026, 1, 1),
                status="planned", survey_ids=[], theme_ids=[], idea_ids=[], owner="Letters team")
    return survey, forum, lead, staff


def tasks_on(page: str, key: str) -> str:
    start = page.index(f'id="task-{key}"')
    return page[start:page.index("</li>\n", page.index("</ul>", start))]


def test_a_staff_home_page_lists_each_kind_of_task(client, auth):
    survey, forum, lead, staff = a_task_of_every_kind()
    auth.sign_in(staff.email)
    page = client.get("/").text
    assert survey.title in tasks_on(page, "sign_off") and "Family Voice Norfolk" in tasks_on(page, "sign_off")
    assert "Transport survey" in tasks_on(page, "contact")
    assert "Sam Parent" not in page  # a contact request's name stays on its own page
    assert "Later buses" in tasks_on(page, "moderate")
    assert "Plain English letters" in tasks_on(page, "overdue") and "1 January 2026" in tasks_on(page, "overdue")
    # Open safeguarding flags are for safeguarding leads only.
    assert 'id="task-flags"' not in page
    auth.sign_out()
    safeguarding_lead = make_user(Role.STAFF, safeguarding_lead=True)
    auth.sign_in(safeguarding_lead.email)
    page = client.get("/").text
    assert "Open safeguarding flags" in tasks_on(page, "flags") and "/safeguarding/" in tasks_on(page, "flags")
    # The flagged idea's words are not on the home page.
    assert "My dad hits me" not in page


def test_a_forum_lead_sees_the_surveys_to_sign_off_and_a_member_those_to_co_design(client, auth):
    survey, forum, lead, staff = make_co_designed_survey()
    member = make_user(Role.FORUM_MEMBER, organisation=forum)
    outsider = make_user(Role.FORUM_MEMBER)
    auth.sign_in(lead.email)
    page = client.get("/").text
    assert f"/co-design/{survey.id}" in page and "waiting for your sign-off" in page
    auth.sign_out()
    auth.sign_in(member.email)
    page = client.get("/").text
    assert f"/co-design/{survey.id}" in page and "waiting for your sign-off" not in page
    auth.sign_out()
    auth.sign_in(outsider.email)
    assert f"/co-design/{survey.id}" not in client.get("/").text


def test_a_youth_member_sees_replies_to_their_ideas(client, auth):
    staff = make_user(Role.STAFF)
    author = make_user(Role.YOUTH_MEMBER)
    idea = idea_services.submit_idea(author, "Quiet rooms", "Somewhere calm at lunch.", "Something else")
    idea_services.publish_idea(idea, staff)
    idea_services.respond_to_idea(idea, staff, "under_consideration", "We are asking schools.")
    auth.sign_in(author.email)
    page = client.get("/").text
    assert "Replies to your ideas" in page and f"/ideas/{idea.id}" in page
    auth.sign_out()
    other = make_user(Role.YOUTH_MEMBER)
    auth.sign_in(other.email)
    assert f"/ideas/{idea.id}" not in client.get("/").text


def test_visitors_see_no_tasks(client):
    assert "Your tasks" not in client.get("/").text
