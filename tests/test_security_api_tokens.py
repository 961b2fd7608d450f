"""Finding 6: an API token must die with its creator's access, and every token expires.

The attack: a staff member makes a token, leaves (the admin deactivates and demotes them),
and keeps reading an open, unpublished wave's results from home with the token."""

from datetime import timedelta

import pytest

from feedback.accounts.services import update_user
from feedback.api.services import create_token
from feedback.extensions import db
from feedback.models import ApiToken, Role

from .conftest import csrf_token, make_user
from .survey_factories import make_open_survey
from .test_results import add_responses, mixed_people


@pytest.fixture(autouse=True)
def fresh_results(app):
    app.config["RESULTS_REFRESH_SECONDS"] = 0


def open_unpublished_wave(staff):
    survey = make_open_survey(staff)
    add_responses(survey, mixed_people(12, 5))
    assert not survey.results_published
    return survey


def reads(client, token: str, survey) -> int:
    return client.get(f"/api/v1/surveys/{survey.id}/results", headers={"Authorization": f"Bearer {token}"}).status_code


def leave(user, *, role=None, active=None):
    update_user(user, role=role or Role(user.role), active=user.active if active is None else active,
                safeguarding_lead=False, display_name=user.display_name, memberships={})


@pytest.mark.parametrize("change", ["deactivated and demoted", "deactivated", "demoted"])
def test_a_token_stops_when_its_creator_loses_staff_access(client, change):
    leaver = make_user(Role.STAFF)
    survey = open_unpublished_wave(leaver)
    _, token = create_token(leaver, "Home dashboard")
    assert reads(client, token, survey) == 200
    leave(leaver, role=Role.FORUM_MEMBER if "demoted" in change else None,
          active=False if "deactivated" in change else None)
    assert reads(client, token, survey) == 401
    assert client.get("/api/v1/surveys", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_works_again_only_if_its_creator_is_staff_again(client):
    """Access is checked on every request, not copied into the token once."""
    leaver = make_user(Role.STAFF)
    survey = open_unpublished_wave(leaver)
    _, token = create_token(leaver, "Dashboard")
    leave(leaver, active=False)
    assert reads(client, token, survey) == 401
    leave(leaver, active=True)
    assert reads(client, token, survey) == 200


def test_a_token_of_an_erased_creator_stops(client):
    leaver = make_user(Role.STAFF)
    survey = open_unpublished_wave(leaver)
    record, token = create_token(leaver, "Dashboard")
    record.created_by_id = None  # what erasing the account does (ON DELETE SET NULL)
    db.session.commit()
    assert reads(client, token, survey) == 401


def test_an_admin_token_stops_when_the_admin_is_demoted_to_forum_member(client):
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN)  # another admin, so this one may be demoted
    survey = open_unpublished_wave(admin)
    _, token = create_token(admin, "Board pack")
    assert reads(client, token, survey) == 200
    leave(admin, role=Role.FORUM_MEMBER)
    assert reads(client, token, survey) == 401


def test_a_token_expires(client):
    staff = make_user(Role.STAFF)
    survey = open_unpublished_wave(staff)
    record, token = create_token(staff, "Short-lived", days=30)
    assert reads(client, token, survey) == 200
    record.expires_at = record.created_at - timedelta(seconds=1)
    db.session.commit()
    assert reads(client, token, survey) == 401


def test_staff_choose_an_expiry_within_the_maximum_and_see_it(client, auth, app):
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    page = client.get("/manage/api-tokens/")
    too_long = client.post("/manage/api-tokens/", data={"csrf_token": csrf_token(page.text), "name": "BI",
                                                        "days": str(app.config["API_TOKEN_MAX_DAYS"] + 1)})
    assert too_long.status_code == 200 and "govuk-error-summary" in too_long.text
    assert db.session.query(ApiToken).count() == 0
    created = client.post("/manage/api-tokens/", data={"csrf_token": csrf_token(page.text), "name": "BI", "days": "90"})
    assert created.status_code == 200 and "Expires" in created.text
    record = db.session.query(ApiToken).one()
    assert timedelta(days=89) < record.expires_at - record.created_at <= timedelta(days=90)
    listing = client.get("/manage/api-tokens/").text
    assert "Expires" in listing
