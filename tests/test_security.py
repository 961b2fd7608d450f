import pytest
from flask import abort

from feedback.models import Role

from .conftest import PASSWORD, csrf_token, make_user


def test_security_headers_are_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_inline_script_carries_the_nonce_from_the_policy(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.text


def test_hsts_is_sent_in_production(app, client):
    app.config["HSTS"] = True
    assert client.get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_post_without_csrf_token_is_rejected(client):
    user = make_user(Role.STAFF)
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "The form you sent has expired" in response.text
    assert "govuk-heading-xl" in response.text


def test_unknown_page_shows_govuk_styled_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-template" in response.text


def test_sixth_rapid_failed_sign_in_is_throttled(client):
    make_user(Role.STAFF, email="someone@example.org")
    token = csrf_token(client.get("/sign-in").text)
    statuses = [
        client.post("/sign-in", data={"email": "someone@example.org", "password": "wrong password!", "csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    page = client.post("/sign-in", data={"email": "someone@example.org", "password": "x", "csrf_token": token})
    assert page.status_code == 429
    assert "Too many attempts" in page.text
    assert "Retry-After" in page.headers


def test_successful_sign_ins_do_not_use_up_the_limit(client, auth):
    user = make_user(Role.STAFF)
    for _ in range(7):
        assert auth.sign_in(user.email).status_code == 302
        auth.sign_out()


def test_password_reset_requests_are_rate_limited(client):
    token = csrf_token(client.get("/reset-password").text)
    statuses = [
        client.post("/reset-password", data={"email": f"n{i}@example.org", "csrf_token": token}).status_code
        for i in range(6)
    ]
    assert statuses[-1] == 429


def test_unexpected_error_shows_a_page_without_a_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("status, words", [(400, "problem with your request"), (403, "permission"), (429, "Too many")])
def test_error_pages_are_govuk_styled(app, client, status, words):
    app.add_url_rule(f"/fail-{status}", f"fail_{status}", lambda: abort(status))
    response = client.get(f"/fail-{status}")
    assert response.status_code == status
    assert words in response.text and "govuk-footer" in response.text


def test_session_cookie_is_httponly_and_lax(client, auth):
    user = make_user(Role.STAFF)
    response = auth.sign_in(user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_health_check_reports_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_signing_out_stops_a_copied_session_cookie_working(app, client, auth):
    user = make_user(Role.STAFF)
    auth.sign_in(user.email)
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    assert copy.get("/account").status_code == 200
    auth.sign_out()
    assert copy.get("/account").status_code == 302


def test_database_outage_shows_a_try_again_page(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    app.add_url_rule("/needs-database", "needs_database", down)
    response = client.get("/needs-database")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Wait a few seconds" in response.text and "server closed" not in response.text
