"""Finding 1: links in emails and on pages come from BASE_URL, never from the Host header;
requests for hosts outside TRUSTED_HOSTS are refused."""

import io
import re
from pathlib import Path

import pytest
import segno

from feedback import create_app
from feedback.accounts import services
from feedback.config import ConfigError
from feedback.models import Role

from .conftest import capture_mail, csrf_token, make_user
from .survey_factories import make_open_survey

BASE = "https://feedback.example.gov.uk"
ROOT = Path(__file__).resolve().parent.parent


def request_reset(client, email, **headers):
    # The session cookie belongs to the host the form came from.
    host = {"Host": headers["Host"]} if "Host" in headers else {}
    token = csrf_token(client.get("/reset-password", headers=host if host.get("Host") != "evil.example" else {}).text)
    return client.post("/reset-password", data={"email": email, "csrf_token": token}, headers=headers)


def test_a_forged_host_header_gets_a_400_page_and_no_reset_email(app, client):
    outbox = capture_mail(app)
    user = make_user(Role.STAFF)
    response = request_reset(client, user.email, Host="evil.example")
    assert response.status_code == 400
    assert "govuk-template" in response.text and "does not answer at the address" in response.text
    assert "evil.example" not in response.text
    assert outbox == []


def test_reset_link_uses_base_url_whatever_host_or_forwarded_host_arrives(app_with):
    app = app_with(BASE_URL=BASE, TRUSTED_PROXIES=1, TRUSTED_HOSTS=[".example.gov.uk", "localhost"])
    outbox = capture_mail(app)
    user = make_user(Role.STAFF)
    client = app.test_client()
    assert request_reset(client, user.email, Host="other.example.gov.uk").status_code == 200
    assert request_reset(client, user.email, **{"X-Forwarded-Host": "evil.example"}).status_code == 400
    assert request_reset(client, user.email, **{"X-Forwarded-Host": "www.example.gov.uk"}).status_code == 200
    links = [re.search(r"https?://\S+", message.body).group(0) for message in outbox]
    assert len(links) == 2 and all(link.startswith(f"{BASE}/set-password/") for link in links)


def test_invitations_made_outside_a_request_link_to_base_url(app_with):
    app = app_with(BASE_URL=BASE)
    outbox = capture_mail(app)
    admin = make_user(Role.ADMIN)
    services.invite_user(email="new@example.org", display_name="New", role=Role.STAFF, invited_by=admin)
    assert f"{BASE}/set-password/" in outbox[0].body


def test_short_link_and_admin_reset_link_pages_use_base_url(app_with, auth_for):
    # The test client sends SERVER_NAME as its Host: a trusted host that is not BASE_URL's.
    app = app_with(BASE_URL=BASE, TRUSTED_HOSTS=[".example.gov.uk"], SERVER_NAME="other.example.gov.uk")
    client = app.test_client()
    admin = auth_for(client, Role.ADMIN)
    survey = make_open_survey(admin)
    page = client.get(f"/manage/surveys/{survey.id}")
    assert f"{BASE}/s/{survey.short_code}" in page.text and "other.example.gov.uk" not in page.text
    expected = io.BytesIO()
    segno.make(f"{BASE}/s/{survey.short_code}", error="m").save(expected, kind="svg", scale=4, border=4)
    assert client.get(f"/manage/surveys/{survey.id}/qr.svg").data == expected.getvalue()  # the poster's QR code
    target = make_user(Role.STAFF)
    link_page = client.post(f"/admin/users/{target.id}/link", data={"csrf_token": csrf_token(page.text)})
    assert f"{BASE}/set-password/" in link_page.text
    assert "other.example.gov.uk/set-password" not in link_page.text


@pytest.fixture
def auth_for():
    from .conftest import AuthActions

    def sign_in(client, role):
        user = make_user(role)
        assert AuthActions(client).sign_in(user.email).status_code == 302
        return user

    return sign_in


def production(tmp_path, **settings):
    return create_app({"FEEDBACK_ENV": "production", "SECRET_KEY": "p" * 40, "INSTANCE_PATH": tmp_path,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", "REDIS_URL": "redis://127.0.0.1:1/1",
                       "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/1", **settings})


def test_production_refuses_to_start_without_base_url(tmp_path):
    with pytest.raises(ConfigError, match="BASE_URL"):
        production(tmp_path)
    with pytest.raises(ConfigError, match="BASE_URL"):
        production(tmp_path, BASE_URL="https://feedback.example.gov.uk/some/path")


def test_production_answers_only_for_base_url_host_by_default(tmp_path):
    app = production(tmp_path, BASE_URL=BASE)
    client = app.test_client()
    assert client.get("/health/live", headers={"Host": "feedback.example.gov.uk"}).status_code == 200
    assert client.get("/health/live", headers={"Host": "127.0.0.1"}).status_code == 400
    assert client.get("/health/live", headers={"Host": "evil.example"}).status_code == 400


def test_nginx_example_drops_requests_for_unknown_hosts():
    conf = (ROOT / "deploy" / "nginx.conf.example").read_text()
    defaults = re.findall(r"server\s*\{[^}]*default_server[^}]*\}", conf)
    assert defaults and all("return 444" in block for block in defaults)
    assert {"80", "443"} <= {port for block in defaults for port in re.findall(r"listen\s+(\d+)", block)}


def test_base_url_and_trusted_hosts_are_documented():
    for doc in ("README.md", "docs/deploy.md"):
        text = (ROOT / doc).read_text()
        assert "BASE_URL" in text and "TRUSTED_HOSTS" in text, doc


def test_pages_served_under_another_path_link_their_stylesheets_and_language_switch_there(client):
    """Static files' links and the language switch are kept per process: an instance also
    served under a path prefix (SCRIPT_NAME from the proxy) links each page's own files."""
    plain = client.get("/cookies")
    prefixed = client.get("/cookies", environ_overrides={"SCRIPT_NAME": "/send"})
    assert 'href="/static/govuk/feedback.min.css"' in plain.text
    assert 'href="/send/static/govuk/feedback.min.css"' in prefixed.text
    assert 'href="/static/govuk/feedback.min.css"' not in prefixed.text
    assert 'href="/send/cookies?lang=cy"' in prefixed.text and 'href="/cookies?lang=cy"' in plain.text
