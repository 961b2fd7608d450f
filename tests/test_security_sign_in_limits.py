"""Failed sign-ins are limited per account and, much higher, per address (issue 17,
finding 7): one person's mistakes must not lock out a council office behind one address,
and an attacker must not get more guesses at one account by changing address."""

from feedback.models import Role

from .conftest import PASSWORD, csrf_token, make_user

OFFICE = "127.0.0.20"


def attempt(client, email, password, address):
    """A sign-in from `address`, with a fresh page (and CSRF token) from there."""
    page = client.get("/sign-in", environ_base={"REMOTE_ADDR": address})
    return client.post("/sign-in", environ_base={"REMOTE_ADDR": address},
                       data={"email": email, "password": password, "csrf_token": csrf_token(page.text)})


def test_five_failures_by_one_person_do_not_stop_a_colleague_at_the_same_address(app):
    make_user(Role.STAFF, email="forgetful@example.org")
    colleague = make_user(Role.STAFF, email="colleague@example.org")
    forgetful_browser, colleague_browser = app.test_client(), app.test_client()
    for _ in range(5):
        assert attempt(forgetful_browser, "forgetful@example.org", "wrong password!", OFFICE).status_code == 200
    assert attempt(forgetful_browser, "forgetful@example.org", "wrong password!", OFFICE).status_code == 429
    response = attempt(colleague_browser, colleague.email, PASSWORD, OFFICE)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "signed in as" in colleague_browser.get("/").text


def test_six_failures_on_one_account_from_different_addresses_are_limited(app):
    make_user(Role.STAFF, email="target@example.org")
    statuses = [
        attempt(app.test_client(), "target@example.org", f"guess number {i}!", f"127.0.1.{i + 1}").status_code
        for i in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    # Even the right password waits now, and the email's case or spaces do not reset it.
    assert attempt(app.test_client(), "  TARGET@example.org ", PASSWORD, "127.0.1.50").status_code == 429


def test_an_address_trying_many_accounts_is_limited_at_office_scale(app):
    browser = app.test_client()
    statuses = [attempt(browser, f"person{i}@example.org", "wrong password!", "127.0.2.1").status_code
                for i in range(51)]
    assert statuses[:50] == [200] * 50
    assert statuses[50] == 429
    assert attempt(app.test_client(), "someone.else@example.org", "wrong password!", "127.0.2.2").status_code == 200
