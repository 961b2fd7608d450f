import re
from datetime import timedelta

from sqlalchemy import select

from feedback.accounts import services
from feedback.extensions import db
from feedback.models import AccountToken, Role, User

from .conftest import PASSWORD, csrf_token, make_user

NEW_PASSWORD = "purple otter lantern"


def link_path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_staff_member_can_sign_in_and_out(client, auth):
    user = make_user(Role.STAFF, display_name="Sam Staff")
    response = auth.sign_in(user.email)
    assert response.status_code == 302
    assert "signed in as Sam Staff" in client.get("/").text
    auth.sign_out()
    assert "signed in as" not in client.get("/").text
    assert client.get("/account").status_code == 302


def test_wrong_password_shows_error_next_to_the_field(client, auth):
    user = make_user(Role.STAFF)
    response = auth.sign_in(user.email, "not the password")
    assert "There is a problem" in response.text
    assert "Enter a correct email address and password" in response.text
    assert 'href="#email"' in response.text


def test_empty_sign_in_says_what_to_enter(client):
    token = csrf_token(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"email": "", "password": "", "csrf_token": token})
    assert "Enter your email address" in response.text and "Enter your password" in response.text
    assert "<title>Error: Sign in" in response.text


def test_email_is_case_insensitive(client, auth):
    make_user(Role.STAFF, email="pat@example.org")
    assert auth.sign_in("  PAT@Example.org ").status_code == 302


def test_signing_in_renews_the_session(client, auth):
    user = make_user(Role.STAFF)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.sign_in(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, auth):
    user = make_user(Role.ADMIN)
    page = client.get("/sign-in?next=/admin/users")
    response = client.post(
        "/sign-in?next=/admin/users",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.headers["Location"] == "/admin/users"
    auth.sign_out()
    for target in ("https://evil.example", "//evil.example", "/\\evil.example"):
        page = client.get("/sign-in")
        response = client.post(
            f"/sign-in?next={target}",
            data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
        )
        assert response.headers["Location"] == "/", target
        auth.sign_out()


def test_deactivated_user_cannot_sign_in_and_is_signed_out(client, auth):
    user = make_user(Role.STAFF)
    auth.sign_in(user.email)
    services.update_user(user, role=Role.STAFF, active=False, safeguarding_lead=False,
                         display_name=user.display_name, memberships={})
    assert client.get("/account").status_code == 302
    assert auth.sign_in(user.email).status_code == 200


def test_invited_person_sets_password_once_and_is_signed_in(app, client, auth):
    admin = make_user(Role.ADMIN)
    user, raw = services.invite_user(email="new@example.org", display_name="Nia", role=Role.FORUM_MEMBER, invited_by=admin)
    path = link_path(services.token_link(raw))
    page = client.get(path)
    assert "Create your password" in page.text and "forum member" in page.text
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert "signed in as Nia" in client.get("/").text
    auth.sign_out()
    assert client.get(path).status_code == 410
    assert auth.sign_in("new@example.org", NEW_PASSWORD).status_code == 302


def test_invite_link_expires(app, client):
    admin = make_user(Role.ADMIN)
    _, raw = services.invite_user(email="late@example.org", display_name="Late", role=Role.STAFF, invited_by=admin)
    token = db.session.scalar(select(AccountToken))
    token.expires_at = token.expires_at - timedelta(days=30)
    db.session.commit()
    response = client.get(link_path(services.token_link(raw)))
    assert response.status_code == 410
    assert "expired" in response.text


def test_invited_person_cannot_sign_in_before_setting_a_password(client, auth):
    admin = make_user(Role.ADMIN)
    services.invite_user(email="wait@example.org", display_name="W", role=Role.STAFF, invited_by=admin)
    assert auth.sign_in("wait@example.org", "").status_code == 200


def test_set_password_checks_strength_and_match(client):
    admin = make_user(Role.ADMIN)
    _, raw = services.invite_user(email="s@example.org", display_name="S", role=Role.STAFF, invited_by=admin)
    path = link_path(services.token_link(raw))
    token = csrf_token(client.get(path).text)
    response = client.post(path, data={"password": "short", "confirm": "short", "csrf_token": token})
    assert "Password must be between 12 and 200 characters" in response.text
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": "different words here", "csrf_token": token})
    assert "The passwords do not match" in response.text
    response = client.post(path, data={"password": "password1234", "confirm": "password1234", "csrf_token": token})
    assert "harder to guess" in response.text


def test_password_reset_does_not_reveal_who_has_an_account(client):
    make_user(Role.STAFF, email="known@example.org")
    token = csrf_token(client.get("/reset-password").text)
    known = client.post("/reset-password", data={"email": "known@example.org", "csrf_token": token})
    unknown = client.post("/reset-password", data={"email": "nobody@example.org", "csrf_token": token})
    assert "If known@example.org has an account" in known.text
    assert "If nobody@example.org has an account" in unknown.text
    assert db.session.scalar(select(AccountToken).join(User, AccountToken.user_id == User.id).where(User.email == "known@example.org"))
    assert db.session.scalar(select(AccountToken).join(User, AccountToken.user_id == User.id).where(User.email == "nobody@example.org")) is None


def test_reset_link_changes_password_and_ends_other_sessions(app, client, auth):
    user = make_user(Role.STAFF)
    other_device = app.test_client()
    token = csrf_token(other_device.get("/sign-in").text)
    other_device.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert other_device.get("/account").status_code == 200
    raw = services.create_reset_link(user)
    path = link_path(services.token_link(raw))
    page = client.get(path)
    assert "Choose a new password" in page.text
    client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page.text)})
    assert other_device.get("/account").status_code == 302
    auth.sign_out()
    assert auth.sign_in(user.email, PASSWORD).status_code == 200
    assert auth.sign_in(user.email, NEW_PASSWORD).status_code == 302


def test_a_new_reset_link_cancels_the_old_one(client):
    user = make_user(Role.STAFF)
    first = services.create_reset_link(user)
    services.create_reset_link(user)
    assert client.get(link_path(services.token_link(first))).status_code == 410


def test_changing_password_needs_the_current_one(client, auth):
    user = make_user(Role.STAFF)
    auth.sign_in(user.email)
    token = csrf_token(client.get("/account").text)
    response = client.post("/account", data={"current": "wrong one", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert "Your current password is not right" in response.text
    response = client.post("/account", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # still signed in on this device
    auth.sign_out()
    assert auth.sign_in(user.email, NEW_PASSWORD).status_code == 302


def test_tokens_are_stored_only_as_hashes(client):
    user = make_user(Role.STAFF)
    raw = services.create_reset_link(user)
    stored = db.session.scalar(select(AccountToken))
    assert raw not in stored.token_hash and len(stored.token_hash) == 64
