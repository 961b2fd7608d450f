"""One notification system: news about a young person's idea and every other notification are
on one page, /notifications, with one count in the header for everyone signed in; the old
ideas page redirects there. Idea news stays in the service (no email), as before."""

from sqlalchemy import select

from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import Notification, OutboxMessage, Response, Role
from feedback.responses import services as responses
from feedback.responses.contact import request_contact

from .conftest import make_user
from .survey_factories import make_open_survey


def test_a_young_persons_idea_news_is_on_the_one_notifications_page(client, auth):
    staff = make_user(Role.STAFF)
    author = auth.sign_in_as(Role.YOUTH_MEMBER)
    idea = idea_services.submit_idea(author, "Later buses", "Buses after clubs finish.", "Transport")
    idea_services.publish_idea(idea, staff)
    idea_services.respond_to_idea(idea, staff, "accepted", "We will try it.")
    assert 'class="app-header-badge">2</span>' in client.get("/").text
    old = client.get("/ideas/notifications")
    assert old.status_code == 302 and old.headers["Location"].endswith("/notifications")
    page = client.get("/notifications").text
    assert "Your idea has been published" in page and "The council has an update on your idea" in page
    assert "Later buses" in page and f'href="/ideas/{idea.id}"' in page
    assert "app-header-badge" not in client.get("/").text  # read once seen
    assert db.session.scalar(select(OutboxMessage.id)) is None  # young people are not emailed about ideas
    assert {n.kind for n in db.session.scalars(select(Notification))} == {"idea.update"}


def test_staff_see_their_count_in_the_header_too(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    survey = make_open_survey(staff, title="Transport survey")
    response = responses.start_response(survey)
    responses.submit_response(response.id)
    request_contact(survey, db.session.get(Response, response.id), "Sam Parent", "sam@example.org", None,
                    "Taxi", share_answers=False)
    home = client.get("/").text
    assert 'class="app-header-badge">1</span>' in home and 'href="/notifications"' in home
    assert "A family asked to be contacted" in client.get("/notifications").text
    [email] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "notification")).all()
    assert email.recipient == staff.email and "Sam Parent" not in email.personalisation["body"]
