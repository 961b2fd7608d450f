"""Request ids, JSON log lines and the readiness check."""

import json

import pytest

from feedback import create_app
from feedback.extensions import db

from .conftest import config_for


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert len(first.headers["X-Request-ID"]) >= 16
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_proxys_request_id_is_kept_and_a_bad_one_replaced(client):
    assert client.get("/", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    injected = client.get("/", headers={"X-Request-ID": "x\" injected=1 <script>"})
    assert injected.headers["X-Request-ID"] != "x\" injected=1 <script>"


@pytest.fixture
def json_app(database_url):
    app = create_app(config_for(database_url, LOG_FORMAT="json"))
    with app.app_context():
        yield app
        db.session.remove()


def test_each_request_is_logged_as_one_json_line_with_its_id(capsys, json_app):
    client = json_app.test_client()
    response = client.get("/privacy", headers={"X-Request-ID": "trace-0001abcd"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    entry = next(line for line in lines if line.get("path") == "/privacy")
    assert entry["request_id"] == "trace-0001abcd" == response.headers["X-Request-ID"]
    assert entry["status"] == 200 and entry["method"] == "GET" and entry["duration_ms"] >= 0
    assert entry["level"] == "info"


def test_log_lines_written_during_a_request_carry_its_id(capsys, json_app):
    @json_app.route("/test-log")
    def log_something():
        json_app.logger.warning("something odd")
        return "ok"

    json_app.test_client().get("/test-log", headers={"X-Request-ID": "trace-0002abcd"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    odd = next(line for line in lines if line["message"] == "something odd")
    assert odd["request_id"] == "trace-0002abcd" and odd["level"] == "warning"


def test_ready_when_the_database_answers(client):
    response = client.get("/health/ready")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_not_ready_when_the_database_is_down(database_url):
    app = create_app(config_for("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"))
    response = app.test_client().get("/health/ready")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_redis_down_is_reported_but_leaves_the_instance_in_service(database_url):
    app = create_app(config_for(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    response = app.test_client().get("/health/ready")
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "database": "ok", "redis": "unreachable"}
    with app.app_context():
        db.engine.dispose()


def test_rate_limits_fall_back_to_memory_when_redis_is_down(database_url):
    app = create_app(config_for(database_url, REDIS_URL="redis://127.0.0.1:1/0",
                                RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    client = app.test_client()
    statuses = [client.post("/sign-in", data={}).status_code for _ in range(3)]
    assert 500 not in statuses
    assert client.get("/reset-password").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_connection_lost_while_closing_the_session_still_sends_the_page(app, client, monkeypatch):
    # A database restart can cut the connection after the page is made: closing the session
    # then fails. The family must get the page, not the server's bare 500.
    from sqlalchemy.exc import OperationalError

    real_close = type(db.session()).close
    calls = []

    def close_on_a_dead_connection(self):
        if not calls:
            calls.append(1)
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"))
        return real_close(self)

    monkeypatch.setattr(type(db.session()), "close", close_on_a_dead_connection)
    response = client.get("/")
    assert calls and response.status_code == 200
    monkeypatch.undo()
    assert client.get("/").status_code == 200  # the next request gets a working session
