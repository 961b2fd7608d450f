"""Youth Forum consent (13 and over for themselves, under 13 through a parent or carer) and
priority ballots: ranking without JavaScript, one vote each, results published with
disclosure control."""

import re
from itertools import product

import pytest
from sqlalchemy import select

from feedback.ballots import services
from feedback.extensions import db
from feedback.ideas import services as idea_services
from feedback.models import BallotRank, BallotVote, Role, YouthConsent

from .conftest import capture_mail, csrf_token, make_user

pytestmark = pytest.mark.usefixtures("app")


def open_ballot(titles=("Quiet rooms", "Later buses", "Free swimming", "Youth club")):
    staff = make_user(Role.STAFF)
    author = make_user(Role.YOUTH_MEMBER)
    ideas = []
    for title in titles:
        idea = idea_services.submit_idea(author, title, "Because it matters.", "Something else")
        idea_services.publish_idea(idea, staff)
        ideas.append(idea)
    return services.create_ballot(staff, "What should the council take up?", [i.id for i in ideas]), staff


def voter(age_group="13_or_over"):
    member = make_user(Role.YOUTH_MEMBER)
    services.give_consent(member, age_group, "parent@example.org")
    return member


def option_ids(ballot):
    return {o.title: o.id for o in ballot.options}


def test_thirteen_and_over_consent_themselves_and_then_vote(client, auth):
    ballot, _ = open_ballot()
    member = make_user(Role.YOUTH_MEMBER, consent=False)
    auth.sign_in(member.email)
    page = client.get(f"/youth-forum/ballots/{ballot.id}").text
    assert "Before you can vote" in page and "choice_1" not in page
    form = client.get("/youth-forum/consent")
    assert "We never publish a number smaller than 5" in form.text
    missing = client.post("/youth-forum/consent", data={"csrf_token": csrf_token(form.text)})
    assert "Choose how old you are" in missing.text and "Tick the box to say you agree" in missing.text
    client.post("/youth-forum/consent", data={"csrf_token": csrf_token(form.text), "age_group": "13_or_over",
                                               "agree": "yes"})
    page = client.get(f"/youth-forum/ballots/{ballot.id}")
    ids = option_ids(ballot)
    voted = client.post(f"/youth-forum/ballots/{ballot.id}", data={
        "csrf_token": csrf_token(page.text), "choice_1": ids["Later buses"], "choice_2": ids["Quiet rooms"],
        "choice_3": ""})
    assert voted.status_code == 302
    assert sorted(db.session.execute(select(BallotRank.option_id, BallotRank.rank)).all()) == sorted(
        [(ids["Later buses"], 1), (ids["Quiet rooms"], 2)])
    again = client.post(f"/youth-forum/ballots/{ballot.id}", data={
        "csrf_token": csrf_token(page.text), "choice_1": ids["Youth club"]})
    assert again.status_code == 200 and "already voted" in again.text
    assert db.session.query(BallotVote).count() == 1


def test_under_thirteen_need_a_parent_or_carer_who_confirms_once(app, client):
    outbox = capture_mail(app)
    ballot, _ = open_ballot()
    child = make_user(Role.YOUTH_MEMBER, consent=False)
    with pytest.raises(services.BallotError, match="parent’s or carer’s email"):
        services.give_consent(child, "under_13", "")
    services.give_consent(child, "under_13", "parent@example.org")
    assert not services.has_consent(child)
    with pytest.raises(services.BallotError, match="consent"):
        services.vote(ballot, child, [ballot.options[0].id, None, None])
    [message] = outbox
    assert message.to == "parent@example.org"
    link = re.search(r"https?://\S+/youth-forum/consent/parent/(\S+)", message.body)
    token = link.group(1)
    stored = db.session.scalar(select(YouthConsent).where(YouthConsent.user_id == child.id))
    assert token not in (stored.parent_token_hash or "")  # only a hash is kept
    assert client.get("/youth-forum/consent/parent/not-the-token").status_code == 404
    page = client.get(f"/youth-forum/consent/parent/{token}")
    assert page.status_code == 200 and "Children under 13 need a parent or carer to agree" in page.text
    client.post(f"/youth-forum/consent/parent/{token}", data={"csrf_token": csrf_token(page.text), "agree": "yes"})
    db.session.expire_all()
    assert services.has_consent(child)
    assert client.get(f"/youth-forum/consent/parent/{token}").status_code == 404  # the link works once
    services.vote(ballot, child, [ballot.options[0].id, None, None])


def test_a_ranking_must_be_in_order_without_repeats():
    ballot, _ = open_ballot()
    member = voter()
    a, b, c, _ = (o.id for o in ballot.options)
    for choices, message in (([None, a, None], "first choice"), ([a, a, None], "different idea"),
                             ([a, None, b], "without gaps"), ([a, 99999, None], "from the list")):
        with pytest.raises(services.BallotError, match=message):
            services.vote(ballot, member, choices)
    services.vote(ballot, member, [a, b, c])


def test_staff_cannot_vote_and_results_wait_for_publication(client, auth):
    ballot, staff = open_ballot()
    auth.sign_in(staff.email)
    page = client.get(f"/youth-forum/ballots/{ballot.id}")
    assert client.post(f"/youth-forum/ballots/{ballot.id}", data={
        "csrf_token": csrf_token(page.text), "choice_1": ballot.options[0].id}).status_code == 403
    auth.sign_out()
    assert client.get(f"/youth-forum/ballots/{ballot.id}/results").status_code == 302  # sign in
    services.close_ballot(ballot)
    member = voter()
    auth.sign_in(member.email)
    assert client.get(f"/youth-forum/ballots/{ballot.id}/results").status_code == 403
    auth.sign_out()
    services.publish_ballot(ballot)
    assert client.get(f"/youth-forum/ballots/{ballot.id}/results").status_code == 200


def test_results_hide_small_counts_and_show_nothing_below_five_voters():
    ballot, _ = open_ballot()
    ids = option_ids(ballot)
    for _ in range(4):
        services.vote(ballot, voter(), [ids["Quiet rooms"], None, None])
    assert services.ballot_results(ballot).voters is None
    for _ in range(6):
        services.vote(ballot, voter(), [ids["Quiet rooms"], ids["Later buses"], None])
    for _ in range(2):
        services.vote(ballot, voter(), [ids["Later buses"], None, None])
    services.vote(ballot, voter(), [ids["Free swimming"], None, None])
    results = services.ballot_results(ballot)
    assert results.voters == 13
    shown = {o.title: o.first_choices for o in results.options}
    assert shown["Quiet rooms"] == 10 and shown["Later buses"] is None and shown["Free swimming"] is None
    assert [o.title for o in results.options][:2] == ["Quiet rooms", "Later buses"]


def test_an_attacker_with_the_voter_count_cannot_work_out_a_hidden_first_choice_count():
    ballot, _ = open_ballot()
    ids = option_ids(ballot)
    plan = {"Quiet rooms": 7, "Later buses": 3, "Free swimming": 1, "Youth club": 0}
    for title, n in plan.items():
        for _ in range(n):
            services.vote(ballot, voter(), [ids[title], None, None])
    results = services.ballot_results(ballot)
    shown = {o.title: o.first_choices for o in results.options}
    hidden = [t for t, n in shown.items() if n is None]
    assert hidden, "something must be hidden"
    rest = results.voters - sum(n for n in shown.values() if n is not None)
    # Every way of splitting the rest among the hidden counts (each 1 to 4 or shown zero rules out 0).
    splits = [s for s in product(range(0, 5), repeat=len(hidden)) if sum(s) == rest]
    for position, title in enumerate(hidden):
        assert len({s[position] for s in splits}) >= 2, title
