"""Sign-in with the council's identity provider, end to end against a real OpenID Connect
provider on loopback (tests/oidc_provider.py): discovery, PKCE, state, nonce, ID token."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from feedback import create_app
from feedback.accounts import services
from feedback.extensions import db
from feedback.models import OidcIdentity, Role, User

from .conftest import PASSWORD, app_for, config_for, csrf_token, make_user
from .oidc_provider import running_provider

# The provider under test (not our code) uses Authlib APIs that Authlib now warns about.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def app(database_url, provider):
    with app_for(database_url, OIDC_DISCOVERY_URL=provider.discovery_url, OIDC_CLIENT_ID="send-feedback",
                 OIDC_CLIENT_SECRET="client-secret", OIDC_PROVIDER_NAME="Norfolk County Council",
                 TWO_FACTOR_REQUIRED=True) as app:
        yield app


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in_at_provider(client, provider, sub, next_url=None):
    """Press the button, sign in at the provider as `sub`, and come back: our response."""
    start = client.get("/sign-in/council" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    callback = provider.authorize(start.headers["Location"], sub)
    assert callback.startswith("http://localhost/sign-in/council/callback?")
    return client.get(path_of(callback))


def signed_in_name(client) -> str | None:
    text = client.get("/").text
    return "yes" if "signed in as" in text else None


def _token(client):
    return csrf_token(client.get("/account").text)


def test_the_button_shows_only_when_a_provider_is_configured(client, database_url):
    assert "Sign in with Norfolk County Council" in client.get("/sign-in").text
    plain = create_app(config_for(database_url))
    with plain.app_context():
        page = plain.test_client().get("/sign-in")
        assert "Sign in with" not in page.text
        assert plain.test_client().get("/sign-in/council").status_code == 404


def test_the_request_uses_pkce_state_and_nonce_and_only_the_local_provider(client, provider):
    start = client.get("/sign-in/council")
    location = start.headers["Location"]
    assert location.startswith(provider.url + "/oauth2/authorize?")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0].split()
    metadata = client.application.extensions["oidc"].create_client("council").server_metadata
    for endpoint in ("token_endpoint", "jwks_uri", "userinfo_endpoint", "authorization_endpoint"):
        assert metadata[endpoint].startswith("http://127.0.0.1:"), endpoint


def test_a_verified_staff_member_signs_in_and_is_linked(client, provider):
    user = make_user(Role.STAFF, email="sam.staff@example.org", display_name="Sam Staff")
    provider.set_user("entra-sam", email="Sam.Staff@example.org", email_verified=True)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    tokens_before = provider.pkce.token_requests
    response = sign_in_at_provider(client, provider, "entra-sam", next_url="/account")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert provider.pkce.token_requests == tokens_before + 1
    page = client.get("/account")
    assert page.status_code == 200 and "sam.staff@example.org" in page.text
    with client.session_transaction() as session:
        assert "planted" not in session  # a new session, as the password sign-in starts
    link = db.session.scalar(select(OidcIdentity))
    assert (link.user_id, link.subject, link.issuer) == (user.id, "entra-sam", provider.url)
    assert db.session.get(User, user.id).last_signed_in_at is not None


def test_a_linked_person_is_found_by_subject_even_if_the_email_changes(client, provider):
    user = make_user(Role.STAFF, email="pat@example.org")
    provider.set_user("entra-pat", email="pat@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-pat").status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})
    provider.set_user("entra-pat", email="pat.renamed@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-pat").status_code == 302
    assert signed_in_name(client)
    assert db.session.scalar(select(OidcIdentity.user_id)) == user.id


def test_an_unverified_email_is_refused(client, provider):
    make_user(Role.STAFF, email="unverified@example.org")
    provider.set_user("entra-unverified", email="unverified@example.org", email_verified=False)
    response = sign_in_at_provider(client, provider, "entra-unverified")
    assert response.status_code == 403
    assert "You cannot sign in with Norfolk County Council" in response.text
    assert "did not confirm a verified email address" in response.text
    assert not signed_in_name(client)
    assert db.session.scalar(select(OidcIdentity)) is None


def test_a_missing_email_verified_claim_is_refused(client, provider):
    make_user(Role.STAFF, email="noclaim@example.org")
    provider.set_user("entra-noclaim", email="noclaim@example.org")
    assert sign_in_at_provider(client, provider, "entra-noclaim").status_code == 403
    assert not signed_in_name(client)


def test_an_unknown_email_is_refused_and_no_account_is_made(client, provider):
    provider.set_user("entra-stranger", email="stranger@example.org", email_verified=True)
    response = sign_in_at_provider(client, provider, "entra-stranger")
    assert response.status_code == 403
    assert "There is no account here for your email address" in response.text
    assert "govuk-template" in response.text
    assert not signed_in_name(client)
    assert services.find_user_by_email("stranger@example.org") is None


def test_a_deactivated_person_is_refused_even_when_linked(client, provider):
    user = make_user(Role.STAFF, email="leaver@example.org")
    provider.set_user("entra-leaver", email="leaver@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-leaver").status_code == 302
    services.update_user(user, role=Role.STAFF, active=False, safeguarding_lead=False,
                         display_name=user.display_name, memberships={})
    assert client.get("/account").status_code == 302  # their session ended
    response = sign_in_at_provider(client, provider, "entra-leaver")
    assert response.status_code == 403 and "deactivated" in response.text
    assert client.get("/account").status_code == 302


def test_a_deactivated_person_without_a_link_is_refused(client, provider):
    user = make_user(Role.STAFF, email="gone@example.org")
    user.active = False
    db.session.commit()
    provider.set_user("entra-gone", email="gone@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-gone").status_code == 403
    assert db.session.scalar(select(OidcIdentity)) is None


def test_a_state_that_does_not_match_is_refused(client, provider):
    make_user(Role.STAFF, email="victim@example.org")
    provider.set_user("entra-victim", email="victim@example.org", email_verified=True)
    start = client.get("/sign-in/council")
    callback = provider.authorize(start.headers["Location"], "entra-victim")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?code={query['code'][0]}&state=not-the-state-we-sent"
    response = client.get(forged)
    assert response.status_code == 400
    assert "not started from this browser" in response.text
    assert not signed_in_name(client)


def test_a_callback_in_another_browser_is_refused(app, client, provider):
    """Login CSRF: a code obtained by an attacker cannot sign a victim's browser in."""
    make_user(Role.STAFF, email="attacker@example.org")
    provider.set_user("entra-attacker", email="attacker@example.org", email_verified=True)
    start = client.get("/sign-in/council")
    callback = provider.authorize(start.headers["Location"], "entra-attacker")
    victim = app.test_client()
    assert victim.get(path_of(callback)).status_code == 400
    assert "signed in as" not in victim.get("/").text


def test_the_provider_refusing_shows_a_clear_page(client):
    client.get("/sign-in/council")
    response = client.get("/sign-in/council/callback?error=access_denied&state=x")
    assert response.status_code == 400
    assert "did not sign you in" in response.text


def test_an_admin_signing_in_through_the_provider_is_not_asked_for_our_code(client, provider):
    """The provider does multi-factor authentication; ours is for password sign-in."""
    make_user(Role.ADMIN, email="admin@example.org")
    provider.set_user("entra-admin", email="admin@example.org", email_verified=True)
    response = sign_in_at_provider(client, provider, "entra-admin")
    assert response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200


def test_an_invited_person_without_a_password_can_sign_in(app, client, provider):
    admin = make_user(Role.ADMIN)
    invited, _ = services.invite_user(email="new.starter@example.org", display_name="New Starter",
                                      role=Role.STAFF, invited_by=admin)
    provider.set_user("entra-new", email="new.starter@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-new").status_code == 302
    assert "New Starter" in client.get("/").text
    # Roles are still ours: the provider gave them no admin rights.
    assert client.get("/admin/users").status_code == 403
    # Admins see them as active, no longer invited.
    app.config["TWO_FACTOR_REQUIRED"] = False
    admin_browser = app.test_client()
    page = admin_browser.get("/sign-in")
    admin_browser.post("/sign-in", data={"email": admin.email, "password": PASSWORD,
                                         "csrf_token": csrf_token(page.text)})
    row = re.search(r"New Starter</a>.*?</tr>", admin_browser.get("/admin/users").text, re.S).group(0)
    assert "Active" in row and "Invited" not in row


def test_an_account_linked_to_one_provider_account_cannot_be_taken_by_another(client, provider):
    make_user(Role.STAFF, email="shared@example.org")
    provider.set_user("entra-first", email="shared@example.org", email_verified=True)
    assert sign_in_at_provider(client, provider, "entra-first").status_code == 302
    client.post("/sign-out", data={"csrf_token": _token(client)})
    provider.set_user("entra-second", email="shared@example.org", email_verified=True)
    response = sign_in_at_provider(client, provider, "entra-second")
    assert response.status_code == 403 and "already linked" in response.text
    assert not signed_in_name(client)


def test_an_access_request_shows_the_link_to_the_provider_account(client, provider):
    from feedback.privacy.services import export_person

    admin = make_user(Role.ADMIN)
    make_user(Role.STAFF, email="linked@example.org")
    provider.set_user("entra-linked", email="linked@example.org", email_verified=True)
    sign_in_at_provider(client, provider, "entra-linked")
    account = export_person("linked@example.org", admin)["account"]
    assert account["identity_provider_account"]["subject"] == "entra-linked"
    assert account["two_factor_since"] is None
