"""Webhooks: a receiver on loopback gets signed events, retried with back-off; a disabled
endpoint gets nothing; events carry no personal data; staff pages register endpoints."""

import base64
import hashlib
import hmac
import json
import os
import uuid
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from feedback.extensions import db
from feedback.models import DeliveryStatus, Role, WebhookDelivery, WebhookEndpoint
from feedback.models.base import utcnow
from feedback.webhooks import services

from .conftest import csrf_token, make_user


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers with the next status
    in `answers` (then 200)."""

    def __init__(self, answers=()):
        self.answers, self.requests = list(answers), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    made = []

    def make(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture(autouse=True)
def loopback(app):
    app.config.update(WEBHOOK_ALLOW_HTTP_LOOPBACK=True, WEBHOOK_RETRY_BASE_SECONDS=0, REDIS_URL=None)


def verify_by_hand(secret: str, headers: dict, body: bytes) -> bool:
    """Standard Webhooks: base64(HMAC-SHA256(key, "id.timestamp.body")), key = base64 after whsec_."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(sig == f"v1,{expected}" for sig in headers["webhook-signature"].split())


def test_a_release_event_is_signed_fails_twice_and_arrives_on_the_third_attempt(app, receivers):
    staff = make_user(Role.STAFF)
    live, off = receivers([500, 503]), receivers()
    endpoint = services.register_endpoint(staff, live.url, "Board dashboard", ["release.published"])
    disabled = services.register_endpoint(staff, off.url, "Old system", ["release.published"])
    services.set_enabled(disabled, False)

    services.emit_event("release.published", {"survey_id": 7, "release": 2, "url": "https://x.example/r/7"})
    db.session.commit()
    assert services.send_due() == 1  # outside a request, deliveries wait for send-due

    assert len(live.requests) == 3 and off.requests == []
    ids = {headers["webhook-id"] for headers, _ in live.requests}
    assert len(ids) == 1 and ids.pop().startswith("msg_")
    for headers, body in live.requests:
        assert verify_by_hand(endpoint.secret, headers, body)
        assert Webhook(endpoint.secret).verify(body, headers)["data"]["release"] == 2
        assert not verify_by_hand(services.new_secret(), headers, body)
    event = json.loads(live.requests[-1][1])
    assert event["type"] == "release.published" and event["data"]["survey_id"] == 7
    delivery = db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 3
    assert db.session.get(WebhookEndpoint, endpoint.id).failures == 0
    assert db.session.scalar(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == disabled.id)) is None


def test_a_tampered_body_fails_verification(app, receivers):
    staff = make_user(Role.STAFF)
    live = receivers()
    endpoint = services.register_endpoint(staff, live.url, "Dashboard", ["wave.closed"])
    services.emit_event("wave.closed", {"survey_id": 1})
    db.session.commit()
    services.send_due()
    headers, body = live.requests[0]
    assert not verify_by_hand(endpoint.secret, headers, body.replace(b'"survey_id": 1', b'"survey_id": 2'))


def test_retries_back_off_exponentially_then_give_up(app, receivers):
    app.config.update(WEBHOOK_RETRY_BASE_SECONDS=30, WEBHOOK_MAX_ATTEMPTS=3)
    staff = make_user(Role.STAFF)
    down = receivers([500] * 10)
    services.register_endpoint(staff, down.url, "Flaky", ["wave.opened"])
    services.emit_event("wave.opened", {"survey_id": 3})
    db.session.commit()
    gaps = []
    for _ in range(3):
        before = utcnow()
        services.send_due()
        delivery = db.session.scalar(select(WebhookDelivery))
        if delivery.next_attempt_at is not None:
            gaps.append(round((delivery.next_attempt_at - before).total_seconds()))
            assert services.send_due() == 0  # not due yet
            delivery.next_attempt_at = utcnow() - timedelta(seconds=1)  # time passes
            db.session.commit()
    assert gaps == [30, 60]
    assert len(down.requests) == 3 and delivery.status == DeliveryStatus.FAILED


def test_repeated_failure_disables_the_endpoint_and_then_it_receives_nothing(app, receivers):
    app.config.update(WEBHOOK_DISABLE_AFTER=4, WEBHOOK_MAX_ATTEMPTS=2)
    staff = make_user(Role.STAFF)
    down = receivers([500] * 4)
    endpoint = services.register_endpoint(staff, down.url, "Gone", ["wave.opened"])
    for n in range(3):
        services.emit_event("wave.opened", {"survey_id": n})
        db.session.commit()
        services.send_due()
    found = db.session.get(WebhookEndpoint, endpoint.id)
    assert not found.enabled and "4 failed attempts" in found.disabled_reason
    assert len(down.requests) == 4
    assert services.emit_event("wave.opened", {"survey_id": 9}) == []


def test_events_refuse_personal_data(app):
    make_user(Role.STAFF)
    for data in ({"email": "a@b.c"}, {"idea": {"author": "Sam"}}, {"people": [{"name": "Sam"}]}):
        with pytest.raises(ValueError):
            services.emit_event("idea.answered", data)
    with pytest.raises(ValueError):
        services.emit_event("no.such.event", {})


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(app, receivers):
    staff = make_user(Role.STAFF)
    live = receivers()
    services.register_endpoint(staff, live.url, "Dashboard", ["wave.closed"])
    services.emit_event("wave.closed", {"survey_id": 1})
    db.session.rollback()
    assert services.send_due() == 0 and live.requests == []


@pytest.mark.parametrize("url", ["http://example.org/hooks", "ftp://127.0.0.1/x", "https://user:pw@example.org/",
                                 "http://10.0.0.1/hooks", "not a url", "https:///nohost"])
def test_only_https_addresses_are_accepted(app, url):
    staff = make_user(Role.STAFF)
    with pytest.raises(services.WebhookError):
        services.register_endpoint(staff, url, "x", ["wave.closed"])


def test_plain_http_to_loopback_needs_the_testing_setting(app):
    app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"] = False
    with pytest.raises(services.WebhookError):
        services.register_endpoint(make_user(Role.STAFF), "http://127.0.0.1:9/hooks", "x", ["wave.closed"])


def test_staff_register_an_endpoint_see_the_secret_once_and_actions_are_delivered(client, auth, receivers):
    staff = auth.sign_in_as(Role.STAFF)
    live = receivers()
    page = client.get("/manage/webhooks/")
    created = client.post("/manage/webhooks/", data={
        "csrf_token": csrf_token(page.text), "url": live.url, "description": "Case system",
        "events": ["action.added", "action.status_changed"]})
    assert created.status_code == 200
    secret = created.text.split('id="secret" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("whsec_")
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert secret not in client.get("/manage/webhooks/").text
    assert secret not in client.get(f"/manage/webhooks/{endpoint.id}").text

    form = client.get("/you-said-we-did/new")
    saved = client.post("/you-said-we-did/new", data={
        "csrf_token": csrf_token(form.text), "you_said": "Nobody rings back", "we_did": "A named caseworker",
        "status": "planned"})
    assert saved.status_code == 302
    headers, body = live.requests[0]  # sent at the end of that request (no Redis)
    event = json.loads(body)
    assert event["type"] == "action.added" and event["data"]["status"] == "planned"
    assert "Nobody rings back" not in body.decode() and staff.email not in body.decode()
    assert Webhook(secret).verify(body, headers)
    log = client.get(f"/manage/webhooks/{endpoint.id}")
    assert "action.added" in log.text and "Delivered</strong> after 1 attempt" in log.text


def test_a_bad_address_is_shown_by_the_field(client, auth):
    auth.sign_in_as(Role.STAFF)
    page = client.get("/manage/webhooks/")
    response = client.post("/manage/webhooks/", data={"csrf_token": csrf_token(page.text), "url": "http://example.org",
                                                      "description": "x", "events": ["wave.closed"]})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert "must start with https://" in response.text
    assert db.session.scalar(select(WebhookEndpoint)) is None


def test_staff_disable_an_endpoint(client, auth):
    staff = auth.sign_in_as(Role.STAFF)
    endpoint = services.register_endpoint(staff, "https://hooks.example.org/in", "x", ["wave.closed"])
    page = client.get(f"/manage/webhooks/{endpoint.id}")
    assert client.post(f"/manage/webhooks/{endpoint.id}/disable",
                       data={"csrf_token": csrf_token(page.text)}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(WebhookEndpoint, endpoint.id).enabled
    assert client.post(f"/manage/webhooks/{endpoint.id}/enable", data={}).status_code == 400  # no CSRF token


def test_staff_closing_a_wave_sends_wave_closed(app, receivers):
    from feedback.surveys.services import close_survey

    from .survey_factories import make_open_survey

    staff = make_user(Role.STAFF)
    live = receivers()
    services.register_endpoint(staff, live.url, "Dashboard", ["wave.closed", "wave.opened"])
    survey = make_open_survey(staff)
    close_survey(survey, staff)
    services.send_due()
    events = [json.loads(body) for _, body in live.requests]
    assert [e["type"] for e in events] == ["wave.opened", "wave.closed"]  # the factory opens it
    event, body = events[-1], live.requests[-1][1]
    assert event["data"]["survey_id"] == survey.id
    assert event["data"]["status"] == "closed" and staff.email not in body.decode()


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL")


@pytest.mark.skipif(not REDIS_TEST_URL, reason="needs a Redis server (REDIS_TEST_URL)")
def test_with_redis_the_worker_delivers_and_retries(app, receivers, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from feedback import jobs

    monkeypatch.setattr(jobs, "QUEUE", f"test-webhooks-{uuid.uuid4().hex[:8]}")
    app.config["REDIS_URL"] = REDIS_TEST_URL
    connection = Redis.from_url(REDIS_TEST_URL)
    queue = Queue(jobs.QUEUE, connection=connection)
    try:
        staff = make_user(Role.STAFF)
        live = receivers([500, 502])
        services.register_endpoint(staff, live.url, "Dashboard", ["release.published"])
        services.emit_event("release.published", {"survey_id": 1, "release": 1})
        db.session.commit()
        assert queue.count == 1 and live.requests == []  # queued after the commit, not sent
        for _ in range(3):
            SimpleWorker([queue], connection=connection).work(burst=True)
            services.send_due()  # queues the retry whose (zero) back-off has passed
        assert len(live.requests) == 3
        assert db.session.scalar(select(WebhookDelivery)).status == DeliveryStatus.DELIVERED
    finally:
        queue.delete(delete_jobs=True)
        for key in connection.scan_iter(f"rq:*{jobs.QUEUE}*"):
            connection.delete(key)


def test_actions_saved_outside_a_request_still_save_and_send(app, receivers):
    """Commands such as seed-demo save actions with no request and no SERVER_NAME."""
    from feedback.actions.services import save_action

    app.config["SERVER_NAME"] = None
    staff = make_user(Role.STAFF)
    live = receivers()
    services.register_endpoint(staff, live.url, "Dashboard", ["action.added"])
    save_action(staff, None, you_said="Nobody rings back", we_did="A named caseworker", due_on=None,
                status="planned", survey_ids=[], theme_ids=[], idea_ids=[])
    services.send_due()
    assert json.loads(live.requests[0][1])["data"]["url"] is None
