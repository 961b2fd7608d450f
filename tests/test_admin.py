from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Organisation, Role, User

from .conftest import csrf_token, make_organisation, make_user


def test_admin_invites_a_forum_lead_and_gets_a_link_to_copy(client, auth):
    forum = make_organisation()
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/users/invite")
    response = client.post("/admin/users/invite", data={
        "email": "lead@example.org", "display_name": "Lee Lead", "role": "forum_member",
        "organisation": str(forum.id), "membership_role": "lead", "csrf_token": csrf_token(page.text),
    })
    assert "Invitation created for Lee Lead" in response.text
    assert "/set-password/" in response.text
    user = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    assert user.role == Role.FORUM_MEMBER and user.leads(forum)
    assert "Invited" in client.get("/admin/users").text


def test_invite_form_errors_keep_what_was_typed(client, auth):
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/users/invite")
    response = client.post("/admin/users/invite", data={
        "email": "not-an-email", "display_name": "Kept Name", "csrf_token": csrf_token(page.text),
    })
    assert "Enter an email address in the correct format" in response.text
    assert "Select a role" in response.text
    assert 'value="Kept Name"' in response.text


def test_inviting_an_existing_email_is_refused(client, auth):
    make_user(Role.STAFF, email="taken@example.org")
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/users/invite")
    response = client.post("/admin/users/invite", data={
        "email": "taken@example.org", "display_name": "X", "role": "staff", "membership_role": "member",
        "csrf_token": csrf_token(page.text),
    })
    assert "An account with this email address already exists" in response.text


def test_admin_changes_role_memberships_and_deactivates(client, auth):
    forum = make_organisation()
    person = make_user(Role.STAFF)
    auth.sign_in_as(Role.ADMIN)
    page = client.get(f"/admin/users/{person.id}")
    response = client.post(f"/admin/users/{person.id}", data={
        "display_name": "Renamed", "role": "forum_member", f"org_{forum.id}": "lead",
        "csrf_token": csrf_token(page.text),
    })
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role == Role.FORUM_MEMBER and not person.active and person.leads(forum)
    assert person.display_name == "Renamed"


def test_a_name_of_spaces_is_refused_and_the_old_name_kept(client, auth):
    person = make_user(Role.STAFF, display_name="Kept")
    auth.sign_in_as(Role.ADMIN)
    page = client.get(f"/admin/users/{person.id}")
    response = client.post(f"/admin/users/{person.id}", data={
        "display_name": "   ", "role": "staff", "active": "y", "csrf_token": csrf_token(page.text),
    })
    assert response.status_code == 200 and "Enter a name" in response.text
    db.session.refresh(person)
    assert person.display_name == "Kept"


def test_the_last_admin_cannot_remove_their_own_admin_role(client, auth):
    admin = auth.sign_in_as(Role.ADMIN)
    page = client.get(f"/admin/users/{admin.id}")
    response = client.post(f"/admin/users/{admin.id}", data={
        "display_name": admin.display_name, "role": "staff", "active": "y", "csrf_token": csrf_token(page.text),
    })
    assert "There must be at least one active admin" in response.text
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_admin_creates_a_reset_link_for_someone(client, auth):
    person = make_user(Role.STAFF, display_name="Forgetful")
    auth.sign_in_as(Role.ADMIN)
    page = client.get(f"/admin/users/{person.id}")
    response = client.post(f"/admin/users/{person.id}/link", data={"csrf_token": csrf_token(page.text)})
    assert "Password reset link created for Forgetful" in response.text


def test_admin_filters_people_by_role_and_search(client, auth):
    make_user(Role.YOUTH_MEMBER, display_name="Young Person")
    make_user(Role.STAFF, display_name="Officer")
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/users?role=youth_member")
    assert "Young Person" in page.text and "Officer" not in page.text
    page = client.get("/admin/users?q=offic")
    assert "Officer" in page.text and "Young Person" not in page.text


def test_admin_adds_an_organisation(client, auth):
    auth.sign_in_as(Role.ADMIN)
    page = client.get("/admin/organisations")
    response = client.post("/admin/organisations", data={
        "name": "Norfolk Health Partners", "kind": "health", "description": "", "csrf_token": csrf_token(page.text),
    })
    assert response.status_code == 302
    assert db.session.scalar(select(Organisation).where(Organisation.slug == "norfolk-health-partners"))
