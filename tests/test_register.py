"""The "You said, we did" register: owner, status along the action's life, dated progress
updates, where it was published, overdue actions, and young people seeing the action their
idea led to."""

from datetime import date, timedelta

import pytest

from feedback.actions import services
from feedback.extensions import db
from feedback.models import Action, ActionStatus, Notification, Role

from .conftest import csrf_token, make_user
from .test_ideas import published_idea

pytestmark = pytest.mark.usefixtures("app")


def new_action(staff, **fields):
    values = dict(you_said="Nobody rings back", we_did="A named caseworker for every family", due_on=None,
                  status="planned", survey_ids=[], theme_ids=[], idea_ids=[], owner="SEND casework team")
    values.update(fields)
    return services.save_action(staff, None, **values)


def test_an_action_moves_along_its_life_and_each_step_is_a_dated_update():
    staff = make_user(Role.STAFF)
    action = new_action(staff)
    services.post_update(staff, action, status="in_progress", text="Caseworkers recruited", happened_on=date(2026, 3, 1),
                         today=date(2026, 3, 2))
    services.post_update(staff, action, status="in_progress", text="Half of families have one",
                         happened_on=date(2026, 4, 1), today=date(2026, 4, 2))
    services.post_update(staff, action, status="done", text="Every family has a caseworker",
                         happened_on=date(2026, 5, 1), today=date(2026, 5, 2))
    db.session.expire_all()
    action = db.session.get(Action, action.id)
    assert action.status == ActionStatus.DONE and action.due_on == date(2026, 5, 1)
    assert [(u.happened_on, u.from_status, u.to_status) for u in action.updates] == [
        (date(2026, 3, 1), "planned", "in_progress"), (date(2026, 4, 1), "in_progress", "in_progress"),
        (date(2026, 5, 1), "in_progress", "done")]


def test_a_done_action_cannot_go_back_to_planned_and_not_possible_needs_a_reason():
    staff = make_user(Role.STAFF)
    action = new_action(staff)
    with pytest.raises(services.ActionError, match="Enter what happened"):
        services.post_update(staff, action, status="not_possible", text="", happened_on=date.today())
    services.post_update(staff, action, status="done", text="Done", happened_on=date.today())
    with pytest.raises(services.ActionError, match="cannot become planned"):
        services.post_update(staff, action, status="planned", text="Back", happened_on=date.today())
    with pytest.raises(services.ActionError, match="today or in the past"):
        services.post_update(staff, action, status="in_progress", text="Reopened",
                             happened_on=date.today() + timedelta(days=1))
    with pytest.raises(services.ActionError, match="why it is not possible"):
        new_action(staff, status="not_possible")
    refused = new_action(staff, status="not_possible", reason="The contract ends in March")
    assert refused.not_possible_reason == "The contract ends in March"


def test_overdue_actions_are_the_open_ones_past_their_date():
    staff = make_user(Role.STAFF)
    late = new_action(staff, we_did="Late one", due_on=date(2026, 1, 1))
    new_action(staff, we_did="Future one", due_on=date.today() + timedelta(days=30))
    new_action(staff, we_did="Done late", due_on=date(2026, 1, 1), status="done")
    new_action(staff, we_did="No date")
    assert [a.id for a in services.overdue_actions()] == [late.id]


def test_staff_post_an_update_through_the_form_and_families_read_it(client, auth):
    staff = make_user(Role.STAFF)
    action = new_action(staff, published_in="Local Offer newsletter, March 2027")
    auth.sign_in(staff.email)
    form = client.get(f"/you-said-we-did/{action.id}/updates/new")
    assert form.status_code == 200
    refused = client.post(f"/you-said-we-did/{action.id}/updates/new", data={
        "csrf_token": csrf_token(form.text), "status": "done", "text": "",
        "happened_on": ["", "", ""]})
    assert refused.status_code == 200
    assert "Enter what happened" in refused.text and "Enter the date it happened" in refused.text
    saved = client.post(f"/you-said-we-did/{action.id}/updates/new", data={
        "csrf_token": csrf_token(form.text), "status": "done", "text": "Every family now has a named caseworker",
        "happened_on": ["2", "3", "2026"]})
    assert saved.status_code == 302
    auth.sign_out()
    page = client.get(f"/you-said-we-did/{action.id}").text
    assert "Every family now has a named caseworker" in page and "2 March 2026" in page
    assert "SEND casework team" in page and "Local Offer newsletter, March 2027" in page


def test_a_status_the_action_cannot_move_to_is_refused_by_the_form(client, auth):
    staff = make_user(Role.STAFF)
    action = new_action(staff, status="done", due_on=date(2026, 1, 1))
    auth.sign_in(staff.email)
    form = client.get(f"/you-said-we-did/{action.id}/updates/new")
    response = client.post(f"/you-said-we-did/{action.id}/updates/new", data={
        "csrf_token": csrf_token(form.text), "status": "planned", "text": "Again",
        "happened_on": ["2", "3", "2026"]})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "done"


def test_a_young_person_sees_the_action_on_their_idea(client, auth):
    staff = make_user(Role.STAFF)
    idea = published_idea()
    author = idea.author
    action = new_action(staff, we_did="Quiet rooms open at lunch in every school", idea_ids=[idea.id])
    assert db.session.query(Notification).filter_by(user_id=author.id).count() >= 1
    other = make_user(Role.YOUTH_MEMBER)
    for person in (author, other):
        auth.sign_in(person.email)
        page = client.get(f"/ideas/{idea.id}").text
        assert "This idea led to an action" in page and "Quiet rooms open at lunch in every school" in page
        assert f"/you-said-we-did/{action.id}" in page
        auth.sign_out()


def test_editing_an_action_offers_only_the_statuses_it_may_move_to(client, auth):
    staff = make_user(Role.STAFF)
    action = new_action(staff, status="done", due_on=date(2026, 1, 1))
    auth.sign_in(staff.email)
    page = client.get(f"/you-said-we-did/{action.id}/edit").text
    assert 'value="in_progress"' in page and 'value="planned"' not in page


def test_a_young_person_tracks_their_ideas_and_the_actions_they_led_to(client, auth):
    staff = make_user(Role.STAFF)
    idea = published_idea()
    new_action(staff, we_did="Quiet rooms open at lunch", idea_ids=[idea.id], status="in_progress")
    auth.sign_in(idea.author.email)
    page = client.get("/ideas/mine").text
    assert "It led to an action" in page and "Quiet rooms open at lunch" in page and "In progress" in page
