"""Sessions and redirects: a session planted before sign-in is worthless after it, and no
link can send someone who signs in to another site."""

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest

from feedback.models import Role

from .conftest import PASSWORD, csrf_token, make_user

SESSION_COOKIE = "session"


def session_cookie(client) -> str | None:
    cookie = client.get_cookie(SESSION_COOKIE)
    return cookie.value if cookie else None


def test_a_session_planted_before_sign_in_does_not_become_signed_in(client, auth):
    user = make_user(Role.ADMIN)
    client.get("/sign-in")  # the attacker's browser gets a session and hands its cookie over
    planted = session_cookie(client)
    assert planted
    assert auth.sign_in(user.email).status_code == 302
    assert session_cookie(client) != planted
    # The victim signed in; the attacker replays the cookie they planted.
    attacker = client.application.test_client()
    attacker.set_cookie(SESSION_COOKIE, planted)
    response = attacker.get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_in_gives_a_new_csrf_token(client, auth):
    user = make_user(Role.STAFF)
    before = csrf_token(client.get("/sign-in").text)
    auth.sign_in(user.email)
    after = csrf_token(client.get("/account").text)
    assert before != after


def test_a_session_ends_when_the_password_changes_elsewhere(client, auth):
    user = make_user(Role.STAFF)
    auth.sign_in(user.email)
    stolen = session_cookie(client)
    user.set_password("a completely different passphrase")
    from feedback.extensions import db

    db.session.commit()
    thief = client.application.test_client()
    thief.set_cookie(SESSION_COOKIE, stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example/",
    "\t//evil.example/",
    "/\t/evil.example/",
    "%2F%2Fevil.example/",
    "/%0d%0aLocation:%20https://evil.example/",
    "evil.example",
    "@evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_redirects_off_site(client, target):
    user = make_user(Role.STAFF)
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in?next=" + quote(target, safe=""),
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Read the Location the way a browser does: tabs and newlines dropped, backslashes as slashes.
    as_browser = re.sub(r"[\t\r\n]", "", location).strip().replace("\\", "/")
    assert urlsplit(urljoin("http://localhost/sign-in", as_browser)).netloc == "localhost"
