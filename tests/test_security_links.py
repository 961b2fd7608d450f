"""Finding 8: a one-time reset or invitation link works once, even when many requests race."""

import threading

import pytest
from sqlalchemy import select

from feedback.accounts import services
from feedback.extensions import db
from feedback.models import AccountToken, Role, User

from .conftest import AuthActions, csrf_token, make_user

RACERS = 8


def race(app, path):
    """RACERS browsers open the link, then all send a new password at the same moment."""
    clients = [app.test_client() for _ in range(RACERS)]
    tokens = [csrf_token(client.get(path).text) for client in clients]
    barrier = threading.Barrier(RACERS)
    statuses = [None] * RACERS

    def send(i):
        password = f"new password number {i} is long"
        barrier.wait()
        statuses[i] = clients[i].post(path, data={"password": password, "confirm": password,
                                                  "csrf_token": tokens[i]}).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def link_path(raw):
    return f"/set-password/{raw}"


@pytest.mark.parametrize("purpose", ["reset", "invitation"])
def test_a_link_sent_by_eight_browsers_at_once_sets_one_password(app, purpose):
    admin = make_user(Role.ADMIN)
    if purpose == "reset":
        user = make_user(Role.STAFF)
        raw = services.create_reset_link(user)
    else:
        user, raw = services.invite_user(email="invitee@example.org", display_name="Invitee",
                                         role=Role.STAFF, invited_by=admin)
    email = user.email
    db.session.remove()
    statuses = race(app, link_path(raw))
    assert sorted(statuses) == [302] + [410] * (RACERS - 1), statuses
    winner = statuses.index(302)
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == services._hash_token(raw)))
    assert token.used_at is not None
    client = app.test_client()
    auth = AuthActions(client)
    loser = next(i for i in range(RACERS) if i != winner)
    assert auth.sign_in(email, f"new password number {loser} is long").status_code == 200
    assert auth.sign_in(email, f"new password number {winner} is long").status_code == 302
    assert client.get(link_path(raw)).status_code == 410


def test_a_used_link_refuses_a_second_password_even_after_the_form_was_shown(app, client):
    user = make_user(Role.STAFF)
    raw = services.create_reset_link(user)
    first, second = app.test_client(), app.test_client()
    pages = [first.get(link_path(raw)), second.get(link_path(raw))]
    data = {"password": "the first new password", "confirm": "the first new password"}
    assert first.post(link_path(raw), data={**data, "csrf_token": csrf_token(pages[0].text)}).status_code == 302
    data = {"password": "the second new password", "confirm": "the second new password"}
    late = second.post(link_path(raw), data={**data, "csrf_token": csrf_token(pages[1].text)})
    assert late.status_code == 410 and "already been used" in late.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("the first new password")
