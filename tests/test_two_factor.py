"""Two-factor authentication for password sign-in: set-up forced for admins and
safeguarding leads, optional for other staff, codes once each, recovery codes, limits."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from feedback.accounts import services, two_factor
from feedback.extensions import db
from feedback.models import AuditEvent, RecoveryCode, Role, TwoFactor, User

from .conftest import PASSWORD, csrf_token, make_user
from .test_accounts import NEW_PASSWORD, link_path


@pytest.fixture(autouse=True)
def required(app):
    app.config["TWO_FACTOR_REQUIRED"] = True


def password_step(client, email, next_url=""):
    page = client.get("/sign-in")
    return client.post(f"/sign-in{next_url}", data={
        "email": email, "password": PASSWORD, "csrf_token": csrf_token(page.text)})


def submit_code(client, path, code, **kwargs):
    page = client.get(path)
    return client.post(path, data={"code": code, "csrf_token": csrf_token(page.text)}, **kwargs)


def key_on_page(html: str) -> str:
    match = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html)
    assert match, "the set-up page shows no key"
    return match.group(1).replace(" ", "")


def set_up(client, email):
    """Password, then the forced set-up: returns (secret, recovery codes)."""
    response = password_step(client, email)
    assert response.headers["Location"] == "/two-factor/set-up"
    page = client.get("/two-factor/set-up")
    secret = key_on_page(page.text)
    done = client.post("/two-factor/set-up", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(page.text)})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<code[^>]*>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>", done.text)
    return secret, codes


def sign_out(client):
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/account").text)})


def code_at(secret, offset_seconds):
    return pyotp.TOTP(secret).at(time.time() + offset_seconds)


def test_an_admin_must_set_up_an_app_before_getting_in(client):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    response = password_step(client, admin.email, "?next=/admin/users")
    assert response.headers["Location"] == "/two-factor/set-up"
    # Nothing is unlocked by the password alone, and the set-up cannot be skipped.
    assert client.get("/admin/users").status_code == 302
    assert client.get("/account").headers["Location"].startswith("/sign-in")
    page = client.get("/two-factor/set-up")
    assert "Set up two-factor authentication" in page.text
    assert 'src="data:image/svg+xml' in page.text and "QR code to add" in page.text
    secret = key_on_page(page.text)
    wrong = client.post("/two-factor/set-up", data={"code": "000000", "csrf_token": csrf_token(page.text)})
    assert "The code is not right" in wrong.text and 'href="#code"' in wrong.text
    assert client.get("/admin/users").status_code == 302
    # The key stays the same while the person types it in.
    assert key_on_page(client.get("/two-factor/set-up").text) == secret
    done = client.post("/two-factor/set-up", data={
        "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(page.text)})
    assert "Two-factor authentication is set up" in done.text
    codes = re.findall(r"<code[^>]*>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</code>", done.text)
    assert len(set(codes)) == 10
    assert 'href="/admin/users"' in done.text  # then on to the page they asked for
    assert client.get("/admin/users").status_code == 200
    # Stored: the secret encrypted, the recovery codes only as hashes.
    stored = db.session.get(TwoFactor, admin.id)
    assert secret not in stored.secret_encrypted and two_factor.decrypt(stored.secret_encrypted) == secret
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and not any(code.replace("-", "") in h for code in codes for h in hashes)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_id == admin.id,
                                                          AuditEvent.action == "account.two_factor_enabled"))
    # The key is never shown again.
    assert secret not in client.get("/account").text


def test_a_safeguarding_lead_must_set_it_up_and_other_staff_need_not(client):
    lead = make_user(Role.STAFF, email="lead@example.org", safeguarding_lead=True)
    assert password_step(client, lead.email).headers["Location"] == "/two-factor/set-up"
    staff = make_user(Role.STAFF, email="staff@example.org")
    assert password_step(client, staff.email).headers["Location"] == "/"
    assert "Off." in client.get("/account").text


def test_signing_in_asks_for_the_code_and_each_code_works_once(client):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    secret, _ = set_up(client, admin.email)
    sign_out(client)
    assert password_step(client, admin.email).headers["Location"] == "/sign-in/two-factor"
    page = client.get("/sign-in/two-factor")
    assert "Enter the code from your authenticator app" in page.text
    assert client.get("/admin/users").status_code == 302
    wrong = submit_code(client, "/sign-in/two-factor", "123456")
    assert wrong.status_code == 200 and "The code is not right" in wrong.text
    # A code from the next 30-second step is accepted (one step of clock drift).
    code = code_at(secret, 30)
    assert submit_code(client, "/sign-in/two-factor", code).headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200
    sign_out(client)
    password_step(client, admin.email)
    replay = submit_code(client, "/sign-in/two-factor", code)
    assert "The code is not right" in replay.text
    assert client.get("/admin/users").status_code == 302


def test_codes_more_than_one_step_away_are_refused():
    secret = pyotp.random_base32()
    for offset in (-30, 0, 30):
        assert two_factor._matching_step(secret, code_at(secret, offset), None) is not None
    for offset in (-90, 90, -300):
        code = code_at(secret, offset)
        if all(code != code_at(secret, near) for near in (-30, 0, 30)):
            assert two_factor._matching_step(secret, code, None) is None, offset


def test_a_recovery_code_works_once(client):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    _, codes = set_up(client, admin.email)
    sign_out(client)
    password_step(client, admin.email)
    response = submit_code(client, "/sign-in/two-factor", codes[3].upper().replace("-", " "))
    assert response.headers["Location"] == "/"
    assert "You have 9 left" in client.get("/").text
    sign_out(client)
    password_step(client, admin.email)
    assert "The code is not right" in submit_code(client, "/sign-in/two-factor", codes[3]).text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.recovery_code_used"))


def test_wrong_codes_are_limited_per_person_from_any_address(client, app):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    secret, _ = set_up(client, admin.email)
    sign_out(client)
    password_step(client, admin.email)
    statuses = [submit_code(client, "/sign-in/two-factor", "000000",
                            environ_base={"REMOTE_ADDR": f"127.0.0.{i + 10}"}).status_code for i in range(5)]
    assert statuses == [200] * 5
    blocked = submit_code(client, "/sign-in/two-factor", code_at(secret, 30),
                          environ_base={"REMOTE_ADDR": "127.0.0.99"})
    assert blocked.status_code == 429
    assert client.get("/admin/users").status_code == 302


def test_a_reset_link_does_not_get_round_the_code(client):
    staff = make_user(Role.STAFF, email="staff@example.org")
    staff.safeguarding_lead = True
    db.session.commit()
    set_up(client, staff.email)
    sign_out(client)
    link = services.token_link(services.create_reset_link(db.session.get(User, staff.id)))
    page = client.get(link_path(link))
    response = client.post(link_path(link), data={
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"] == "/sign-in/two-factor"
    assert client.get("/account").status_code == 302


def test_an_invited_admin_sets_up_the_app_after_choosing_a_password(client):
    inviter = make_user(Role.ADMIN)
    _, raw = services.invite_user(email="new.admin@example.org", display_name="New Admin",
                                  role=Role.ADMIN, invited_by=inviter)
    path = link_path(services.token_link(raw))
    page = client.get(path)
    response = client.post(path, data={
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(page.text)})
    assert response.headers["Location"] == "/two-factor/set-up"
    assert client.get("/admin/users").status_code == 302


def test_staff_can_choose_two_factor_from_their_account(client, auth):
    staff = make_user(Role.STAFF, email="staff@example.org")
    auth.sign_in(staff.email)
    account = client.get("/account")
    assert "Set up two-factor authentication" in account.text
    page = client.get("/two-factor/set-up")
    secret = key_on_page(page.text)
    done = client.post("/two-factor/set-up", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(page.text)})
    assert "Two-factor authentication is set up" in done.text
    sign_out(client)
    assert password_step(client, staff.email).headers["Location"] == "/sign-in/two-factor"


def test_forum_members_are_not_offered_it(client, auth):
    auth.sign_in_as(Role.FORUM_MEMBER)
    assert "Two-factor" not in client.get("/account").text
    assert client.get("/two-factor/set-up").status_code == 403


def test_an_admin_resets_someones_two_factor_and_it_is_audited(app, client):
    lead = make_user(Role.STAFF, email="lead@example.org", safeguarding_lead=True)
    lead_client = app.test_client()
    set_up(lead_client, lead.email)
    assert lead_client.get("/manage/surveys/").status_code == 200
    admin = make_user(Role.ADMIN, email="admin@example.org")
    set_up(client, admin.email)
    page = client.get(f"/admin/users/{lead.id}")
    assert "Reset two-factor authentication" in page.text
    response = client.post(f"/admin/users/{lead.id}/two-factor/reset", data={"csrf_token": csrf_token(page.text)})
    assert response.headers["Location"] == f"/admin/users/{lead.id}"
    assert "Two-factor authentication reset for" in client.get(response.headers["Location"]).text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.two_factor_reset"))
    assert (event.actor_id, event.subject_id) == (admin.id, lead.id)
    assert db.session.get(TwoFactor, lead.id) is None
    assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == lead.id)).all() == []
    # The lead is signed out and sets it up again at their next sign-in.
    assert lead_client.get("/manage/surveys/").status_code == 302
    assert password_step(lead_client, lead.email).headers["Location"] == "/two-factor/set-up"


def test_a_secret_is_unreadable_under_another_secret_key(app):
    token = two_factor.encrypt("JBSWY3DPEHPK3PXP")
    app.config["SECRET_KEY"] = "another key of at least thirty-two characters"
    assert two_factor.decrypt(token) is None


def test_a_new_safeguarding_lead_is_signed_out_and_sets_it_up_at_next_sign_in(client, auth):
    staff = make_user(Role.STAFF, email="staff@example.org")
    auth.sign_in(staff.email)
    assert client.get("/manage/surveys/").status_code == 200
    services.update_user(staff, role=Role.STAFF, active=True, safeguarding_lead=True,
                         display_name=staff.display_name, memberships={})
    assert client.get("/manage/surveys/").status_code == 302
    assert password_step(client, staff.email).headers["Location"] == "/two-factor/set-up"


def test_the_code_step_expires_and_ends_if_the_password_changes(client, monkeypatch):
    admin = make_user(Role.ADMIN, email="admin@example.org")
    secret, _ = set_up(client, admin.email)
    sign_out(client)
    password_step(client, admin.email)
    token = csrf_token(client.get("/sign-in/two-factor").text)
    later = time.time() + 11 * 60
    monkeypatch.setattr("feedback.accounts.signin.time.time", lambda: later)
    response = client.post("/sign-in/two-factor", data={"code": pyotp.TOTP(secret).at(later), "csrf_token": token})
    assert response.headers["Location"] == "/sign-in"
    monkeypatch.undo()
    password_step(client, admin.email)
    token = csrf_token(client.get("/sign-in/two-factor").text)
    db.session.expire_all()
    db.session.get(User, admin.id).set_password(NEW_PASSWORD)  # reset elsewhere meanwhile
    db.session.commit()
    response = client.post("/sign-in/two-factor", data={"code": code_at(secret, 30), "csrf_token": token})
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/admin/users").status_code == 302


def test_staff_who_chose_it_can_turn_it_off_but_an_admin_cannot(client, auth, app):
    staff = make_user(Role.STAFF, email="staff@example.org")
    auth.sign_in(staff.email)
    page = client.get("/two-factor/set-up")
    client.post("/two-factor/set-up", data={"code": pyotp.TOTP(key_on_page(page.text)).now(),
                                           "csrf_token": csrf_token(page.text)})
    account = client.get("/account")
    response = client.post("/two-factor/turn-off", data={"csrf_token": csrf_token(account.text)})
    assert "Two-factor authentication is off" in client.get(response.headers["Location"]).text
    assert db.session.get(TwoFactor, staff.id) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.two_factor_turned_off"))
    sign_out(client)
    assert password_step(client, staff.email).headers["Location"] == "/"
    sign_out(client)
    admin = make_user(Role.ADMIN, email="admin@example.org")
    set_up(client, admin.email)
    account = client.get("/account")
    assert "Turn off two-factor authentication" not in account.text
    assert client.post("/two-factor/turn-off", data={"csrf_token": csrf_token(account.text)}).status_code == 403
    assert db.session.get(TwoFactor, admin.id) is not None
