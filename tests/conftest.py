"""Shared fixtures: an app on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL,
a test client, and helpers that read like a user's steps."""

import os
import re
import secrets
import tempfile
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade

from feedback import create_app
from feedback.extensions import db
from feedback.models import Membership, Organisation, Role, User, YouthConsent

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery staple"
INSTANCE_PATH = tempfile.mkdtemp(prefix="feedback-instance-")


def _postgres_url(schema: str) -> str:
    url = os.environ["TEST_DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def config_for(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "FEEDBACK_ENV": "testing",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "localhost",
        "INSTANCE_PATH": INSTANCE_PATH,
        # Admins' forced two-factor set-up is tested in tests/test_two_factor.py (which turns
        # this on); other tests sign admins in with a password alone.
        "TWO_FACTOR_REQUIRED": False,
        # Releases are protected against 5 known responses by default (threshold 10); feature
        # tests use 1 (threshold 6) so that their small waves show figures. The attacker tests
        # (tests/test_disclosure_attack.py) set 5 again, and test_results_refresh.py checks the default.
        "RESULTS_KNOWN_RESPONSES": 1,
        **overrides,
    }


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    """A database built by the real migrations, once per database engine per test run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        schema = None
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin_engine = sa.create_engine(_postgres_url("public"))
        with admin_engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = _postgres_url(schema)
    app = create_app(config_for(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if schema:
        with admin_engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin_engine.dispose()


def _empty_tables():
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())


class FreshContextClient(FlaskClient):
    """Run each request in its own app context, as a real server does.

    Tests keep an app context open to use the database; without this, requests would share
    its `g` (and so one CSRF token and CSP nonce) between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@contextmanager
def app_for(database_url, **overrides):
    """An app on the test database, emptied afterwards; `overrides` change its settings."""
    app = create_app(config_for(database_url, **overrides))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def app(database_url):
    with app_for(database_url) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def make_user(role=Role.STAFF, email=None, password=PASSWORD, organisation=None, membership="member",
              consent=True, **fields):
    """A user; a youth member has given their own consent (13 and over) unless `consent` is off."""
    user = User(
        email=email or f"{role}-{uuid.uuid4().hex[:6]}@example.org",
        display_name=fields.pop("display_name", f"Test {role}"),
        role=role,
        **fields,
    )
    if password:
        user.set_password(password)
    db.session.add(user)
    if organisation is not None:
        db.session.add(Membership(user=user, organisation=organisation, role=membership))
    if role == Role.YOUTH_MEMBER and consent:
        db.session.add(YouthConsent(user=user, age_group="13_or_over"))
    db.session.commit()
    return user


def make_organisation(name="Family Voice Norfolk", kind="parent_carer_forum"):
    organisation = Organisation(name=name, slug=name.lower().replace(" ", "-"), kind=kind)
    db.session.add(organisation)
    db.session.commit()
    return organisation


class AuthActions:
    """Sign in and out the way a person does: through the forms."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, email, password=PASSWORD):
        page = self.client.get("/sign-in")
        return self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "csrf_token": csrf_token(page.text)},
        )

    def sign_in_as(self, role, **fields):
        user = make_user(role, **fields)
        response = self.sign_in(user.email)
        assert response.status_code == 302, "sign-in failed"
        return user

    def sign_out(self):
        page = self.client.get("/account")
        return self.client.post("/sign-out", data={"csrf_token": csrf_token(page.text)})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def app_with(database_url):
    """Like `app`, with some settings changed: `app_with(TRUSTED_PROXIES=1)`."""
    made = []

    def build(**overrides):
        app = create_app(config_for(database_url, **overrides))
        app.test_client_class = FreshContextClient
        context = app.app_context()
        context.push()
        made.append(context)
        return app

    yield build
    for context in reversed(made):
        db.session.remove()
        _empty_tables()
        db.engine.dispose()
        context.pop()


class Outbox(list):
    """A mailer that keeps the messages it is given."""

    def send(self, message):
        self.append(message)


def capture_mail(app) -> Outbox:
    outbox = app.extensions["mailer"] = Outbox()
    return outbox
