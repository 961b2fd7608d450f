"""Staff sign-in in a real browser: through the council's identity provider (a real
OpenID Connect provider on loopback) and with a password plus an authenticator app, with
axe-core on every page of ours (the provider's own sign-in page is not ours to check)."""

import re
import time

import pyotp
import pytest

from feedback import create_app
from feedback.models import Role

from ..conftest import PASSWORD, config_for, make_user
from ..oidc_provider import running_provider
from .conftest import follow, serving

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory, provider):
    """The app with the provider configured and two-factor set-up required, on a real server."""
    from flask_migrate import upgrade

    config = config_for(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'auth.db'}",
                        OIDC_DISCOVERY_URL=provider.discovery_url, OIDC_CLIENT_ID="send-feedback",
                        OIDC_CLIENT_SECRET="client-secret", OIDC_PROVIDER_NAME="Norfolk County Council",
                        TWO_FACTOR_REQUIRED=True, RATELIMIT_ENABLED=False)
    config.pop("SERVER_NAME")
    app = create_app(config)
    with app.app_context():
        upgrade()
    with serving(app):
        # The provider sends the browser back to an absolute link: build those for this server.
        app.config["BASE_URL"] = app.config["LIVE_URL"]
        yield app


def user_in(app, role, **fields) -> str:
    with app.app_context():
        return make_user(role, **fields).email


def test_staff_member_signs_in_through_the_council_provider(page, auth_app, provider, axe):
    email = user_in(auth_app, Role.STAFF, email="sam.staff@example.org", display_name="Sam Staff")
    provider.set_user("entra-sam", email=email, email_verified=True)
    provider.set_user("entra-stranger", email="stranger@example.org", email_verified=True)
    live = auth_app.config["LIVE_URL"]

    page.goto(live + "/sign-in")
    axe.check(page)
    follow(page.get_by_role("button", name="Sign in with Norfolk County Council"))
    assert page.url.startswith(provider.url + "/oauth2/authorize")
    page.locator("input[name=sub]").fill("entra-stranger")
    follow(page.get_by_role("button", name="Authorize"))
    assert page.locator("h1").inner_text() == "You cannot sign in with Norfolk County Council"
    assert "There is no account here for your email address" in page.content()
    axe.check(page)

    follow(page.get_by_role("link", name="Go back to sign in"))
    follow(page.get_by_role("button", name="Sign in with Norfolk County Council"))
    page.locator("input[name=sub]").fill("entra-sam")
    follow(page.get_by_role("button", name="Authorize"))
    assert page.url == live + "/"
    assert "signed in as Sam Staff" in page.content()
    axe.check(page)
    follow(page.get_by_role("link", name="Your account"))
    assert "When you sign in with Norfolk County Council, that service checks a second factor" in page.content()
    axe.check(page)


def test_admin_sets_up_two_factor_then_signs_in_with_a_code(page, auth_app, axe):
    email = user_in(auth_app, Role.ADMIN, email="ada.admin@example.org", display_name="Ada Admin")
    live = auth_app.config["LIVE_URL"]

    def password_step():
        page.goto(live + "/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        follow(page.get_by_role("button", name="Sign in", exact=True))

    password_step()
    assert page.locator("h1").inner_text() == "Set up two-factor authentication"
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    axe.check(page)
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your app").fill("000000")
    follow(page.get_by_role("button", name="Continue"))
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    axe.check(page)
    page.get_by_label("Code from your app").fill(pyotp.TOTP(secret).now())
    follow(page.get_by_role("button", name="Continue"))
    assert "Two-factor authentication is set up" in page.content()
    assert page.locator("#recovery-codes li").count() == 10
    axe.check(page)
    follow(page.get_by_role("button", name="I have saved my recovery codes"))
    assert "signed in as Ada Admin" in page.content()
    axe.check(page)
    follow(page.get_by_role("button", name="Sign out"))

    password_step()
    assert page.locator("h1").inner_text() == "Enter the code from your authenticator app"
    axe.check(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    follow(page.get_by_role("button", name="Continue"))
    assert "signed in as Ada Admin" in page.content()
    follow(page.get_by_role("link", name="Your account"))
    assert "You have 10 unused recovery codes" in page.content()
    axe.check(page)
