"""A young person's words are published only with valid consent: their own at 13 and over,
a parent's or carer's confirmed under 13, not withdrawn. Without it, putting forward an idea,
changing one, supporting or commenting sends them to a page explaining how to give consent,
and nothing is saved."""

import re

import pytest
from sqlalchemy import func, select

from feedback.ballots import services as ballots
from feedback.extensions import db
from feedback.ideas import services
from feedback.models import Idea, IdeaComment, IdeaSupport, Role

from .conftest import capture_mail, csrf_token, make_user


def published_idea():
    staff = make_user(Role.STAFF)
    idea = services.submit_idea(make_user(Role.YOUTH_MEMBER), "Quiet rooms", "Somewhere calm at lunch.",
                                "Something else")
    services.publish_idea(idea, staff)
    return idea


def counts():
    return [db.session.scalar(select(func.count()).select_from(model)) for model in (Idea, IdeaSupport, IdeaComment)]


def test_without_consent_a_young_person_is_told_how_to_give_it_and_nothing_is_published(client, auth):
    idea = published_idea()
    auth.sign_in_as(Role.YOUTH_MEMBER, consent=False)
    before = counts()
    page = client.get(f"/ideas/{idea.id}")
    token = csrf_token(page.text)
    for response in (
        client.get("/ideas/new"),
        client.post("/ideas/new", data={"csrf_token": token, "title": "Later buses", "body": "After clubs.",
                                        "category": "Transport"}),
        client.post("/ideas/new/check", data={"csrf_token": token}),
        client.post(f"/ideas/{idea.id}/support", data={"csrf_token": token}),
        client.post(f"/ideas/{idea.id}/comments", data={"csrf_token": token, "body": "Our school has one."}),
    ):
        assert response.status_code == 302 and response.headers["Location"].endswith("/ideas/consent-needed")
    assert counts() == before
    explained = client.get("/ideas/consent-needed").text
    assert "Give your consent first" in explained
    assert "If you are 13 or over, you can say yes yourself." in explained
    assert "If you are under 13, a parent or carer must agree." in explained
    assert "/youth-forum/consent" in explained
    assert client.get(f"/ideas/{idea.id}").status_code == 200  # reading ideas needs no consent


def test_the_services_refuse_too(app):
    idea = published_idea()
    member = make_user(Role.YOUTH_MEMBER, consent=False)
    with pytest.raises(services.ConsentNeeded):
        services.submit_idea(member, "Later buses", "After clubs.", "Transport")
    with pytest.raises(services.ConsentNeeded):
        services.support_idea(idea, member)
    with pytest.raises(services.ConsentNeeded):
        services.add_comment(idea, member, "Our school has one.")
    ballots.withdraw_consent(idea.author)  # the author changes their mind: their idea cannot change
    with pytest.raises(services.ConsentNeeded):
        services.change_idea(idea, idea.author, "Quiet rooms", "Calm.", "Something else")


def test_under_13_they_take_part_once_a_parent_or_carer_confirms_and_not_after_withdrawing(app, client, auth):
    mail = capture_mail(app)
    idea = published_idea()
    child = auth.sign_in_as(Role.YOUTH_MEMBER, consent=False)
    ballots.give_consent(child, "under_13", "parent@example.org")
    page = client.get(f"/ideas/{idea.id}")
    refused = client.post(f"/ideas/{idea.id}/support", data={"csrf_token": csrf_token(page.text)})
    assert refused.headers["Location"].endswith("/ideas/consent-needed")
    assert "We are waiting for your parent or carer" in client.get("/ideas/consent-needed").text
    token = re.search(r"/youth-forum/consent/parent/(\S+)", mail[-1].body).group(1)
    ballots.parent_confirms(ballots.consent_by_token(token))
    supported = client.post(f"/ideas/{idea.id}/support", data={"csrf_token": csrf_token(page.text)})
    assert supported.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert db.session.scalar(select(func.count()).select_from(IdeaSupport)) == 1
    ballots.withdraw_consent(child)
    again = client.post(f"/ideas/{idea.id}/comments", data={"csrf_token": csrf_token(page.text), "body": "Yes!"})
    assert again.headers["Location"].endswith("/ideas/consent-needed")
    assert "no longer want to take part" in client.get("/ideas/consent-needed").text
    assert db.session.scalar(select(func.count()).select_from(IdeaComment)) == 0
