"""Webhooks: register endpoints, record events, and deliver them signed as Standard Webhooks
specifies (webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256>").

`emit_event(event_type, data)` records one delivery per subscribed, enabled endpoint in the
caller's transaction; nothing is sent unless that transaction commits. After the commit the
deliveries go to the worker's queue (RQ) or, without Redis, are sent at the end of the request.
A failed attempt is retried with exponential back-off (WEBHOOK_RETRY_BASE_SECONDS, doubling,
at most WEBHOOK_MAX_ATTEMPTS attempts) by `flask webhooks send-due`; an endpoint whose attempts
fail WEBHOOK_DISABLE_AFTER times in a row is disabled."""

from __future__ import annotations

import base64
import ipaddress
import json
import secrets
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from flask import after_this_request, current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from ..extensions import db
from ..models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from ..models.base import utcnow
from ..text import N_

EVENTS = {
    "wave.opened": N_("A survey wave opened to families"),
    "wave.closed": N_("A survey wave closed"),
    "release.published": N_("A release of results was published"),
    "action.added": N_("A “You said, we did” action was added"),
    "action.status_changed": N_("A “You said, we did” action changed status"),
    "idea.answered": N_("The council answered a Youth Forum idea"),
}
# Events carry ids, statuses and addresses, never anything about a person.
PERSONAL_KEYS = {"email", "name", "display_name", "phone", "author", "author_id", "user", "user_id",
                 "created_by", "created_by_id", "body", "answers", "comment", "comments", "ip", "address_line"}
PENDING_KEY = "webhook_deliveries"


class WebhookError(ValueError):
    """An endpoint that cannot be registered as asked."""


def settings() -> dict:
    config = current_app.config
    return {"timeout": float(config.get("WEBHOOK_TIMEOUT_SECONDS", 5)),
            "max_attempts": int(config.get("WEBHOOK_MAX_ATTEMPTS", 6)),
            "base": float(config.get("WEBHOOK_RETRY_BASE_SECONDS", 30)),
            "disable_after": int(config.get("WEBHOOK_DISABLE_AFTER", 15))}


# Endpoints


def check_url(url: str) -> str:
    """HTTPS only; plain HTTP only to this machine (127.0.0.1, ::1, localhost) and only when
    WEBHOOK_ALLOW_HTTP_LOOPBACK is on (tests and local development)."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise WebhookError(_("Enter a full web address, like https://example.org/hooks")) from None
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username or parts.password:
        raise WebhookError(_("Enter a full web address, like https://example.org/hooks"))
    if parts.scheme == "http":
        loopback = parts.hostname == "localhost"
        try:
            loopback = loopback or ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            pass
        if not (loopback and current_app.config.get("WEBHOOK_ALLOW_HTTP_LOOPBACK")):
            raise WebhookError(_("The address must start with https://"))
    if len(url) > 500:
        raise WebhookError(_("The address must be 500 characters or fewer"))
    return url


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def register_endpoint(staff, url: str, description: str, events: list[str]) -> WebhookEndpoint:
    """A new, enabled endpoint with its own secret (shown to the staff member once)."""
    url = check_url(url)
    unknown = set(events) - set(EVENTS)
    if not events or unknown:
        raise WebhookError(_("Choose at least one event"))
    endpoint = WebhookEndpoint(url=url, description=description, events=sorted(events), secret=new_secret(),
                               created_by_id=staff.id)
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def set_enabled(endpoint: WebhookEndpoint, enabled: bool, reason: str = "") -> None:
    endpoint.enabled = enabled
    endpoint.failures = 0 if enabled else endpoint.failures
    endpoint.disabled_reason = "" if enabled else reason
    db.session.commit()


def list_endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.created_at.desc())))


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


# Recording events


def _check_data(value, path="data") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key).lower() in PERSONAL_KEYS:
                raise ValueError(f"{path}.{key}: webhook events carry no personal data")
            _check_data(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            _check_data(item, path)
    elif not isinstance(value, (str, int, float, bool, type(None))):
        raise ValueError(f"{path}: only plain values go into a webhook event")


def emit_event(event_type: str, data: dict) -> list[WebhookDelivery]:
    """Record `event_type` with `data` (ids, statuses, addresses: no personal data) for every
    enabled endpoint that asked for it, in the caller's transaction; sent after it commits."""
    if event_type not in EVENTS:
        raise ValueError(f"Unknown webhook event {event_type!r}")
    _check_data(data)
    endpoints = [e for e in db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.enabled.is_(True)))
                 if event_type in (e.events or [])]
    if not endpoints:
        return []
    now = utcnow()
    message_id = "msg_" + secrets.token_hex(12)
    body = json.dumps({"type": event_type, "timestamp": now.isoformat(), "data": data}, sort_keys=True)
    deliveries = [WebhookDelivery(endpoint_id=e.id, message_id=message_id, event_type=event_type, body=body,
                                  next_attempt_at=now) for e in endpoints]
    db.session.add_all(deliveries)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).extend(d.id for d in deliveries)
    return deliveries


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    ids = session.info.pop(PENDING_KEY, None)
    if ids:
        dispatch(ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(PENDING_KEY, None)  # rolled back: those deliveries never existed


def queue_deliveries(ids: list[int]) -> bool:
    """Put deliveries on the worker's queue; False without Redis or with Redis down."""
    if not current_app.config.get("REDIS_URL"):
        return False
    try:
        jobs = current_app.extensions["job_queue"]()
        for delivery_id in ids:
            jobs.enqueue(deliver_job, delivery_id, job_timeout=60, result_ttl=0, retry=None,
                         description=f"Webhook delivery {delivery_id}")
        return True
    except Exception:
        current_app.logger.warning("Webhook queue unavailable; deliveries %s are sent inline", ids)
        return False


def dispatch(ids: list[int]) -> None:
    """Hand committed deliveries to the worker; without Redis (or with Redis down), send them
    at the end of this request. Outside a request they wait for `flask webhooks send-due`."""
    if not queue_deliveries(ids) and has_request_context():
        @after_this_request
        def send(response):
            send_now(ids)
            return response


def send_now(ids: list[int]) -> None:
    """The inline runner: attempt each delivery, and again while its next attempt is already
    due (a back-off of 0 seconds in tests); later retries wait for `send-due`."""
    for delivery_id in ids:
        try:
            while deliver(delivery_id):
                pass
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Webhook delivery %s failed", delivery_id)


def deliver_job(delivery_id: int) -> None:
    """The RQ job: one attempt; a failure is retried by `send-due` after its back-off."""
    try:
        deliver(delivery_id)
    finally:
        db.session.rollback()  # the worker's session keeps no transaction between jobs


# Sending


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is a failed attempt: the endpoint's address is the one staff gave


_opener = urllib.request.build_opener(_NoRedirects)


def signed_headers(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now) -> dict:
    timestamp = now.replace(microsecond=0)
    return {"Content-Type": "application/json", "User-Agent": "feedback-webhooks/1",
            "webhook-id": delivery.message_id, "webhook-timestamp": str(int(timestamp.timestamp())),
            "webhook-signature": Webhook(endpoint.secret).sign(delivery.message_id, timestamp, delivery.body)}


def deliver(delivery_id: int) -> bool:
    """One attempt at a pending delivery whose time has come. True when another attempt is
    already due (so the inline runner goes on); commits what happened."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    now = utcnow()
    if delivery is None or delivery.status != DeliveryStatus.PENDING or \
            (delivery.next_attempt_at is not None and delivery.next_attempt_at > now):
        return False
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        delivery.status, delivery.last_error, delivery.next_attempt_at = DeliveryStatus.FAILED, "Endpoint disabled", None
        db.session.commit()
        return False
    config = settings()
    delivery.attempts += 1
    error, code = "", None
    request = urllib.request.Request(endpoint.url, data=delivery.body.encode(), method="POST",
                                     headers=signed_headers(endpoint, delivery, now))
    try:
        with _opener.open(request, timeout=config["timeout"]) as reply:  # nosec B310 (https, or loopback when allowed)
            code = reply.status
    except urllib.error.HTTPError as failure:
        code, error = failure.code, f"HTTP {failure.code}"
    except Exception as failure:  # refused, timed out, TLS, DNS: all a failed attempt
        error = f"{type(failure).__name__}: {failure}"[:300]
    delivery.last_status_code = code
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = (
            DeliveryStatus.DELIVERED, utcnow(), None, "")
        endpoint.failures = 0
        db.session.commit()
        return False
    delivery.last_error = error or f"HTTP {code}"
    endpoint.failures += 1
    if endpoint.failures >= config["disable_after"]:
        endpoint.enabled = False
        endpoint.disabled_reason = f"Disabled after {endpoint.failures} failed attempts in a row"
    if delivery.attempts >= config["max_attempts"] or not endpoint.enabled:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = utcnow() + timedelta(seconds=config["base"] * 2 ** (delivery.attempts - 1))
    db.session.commit()
    return delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at <= utcnow()


def send_due() -> int:
    """Queue (with Redis) or send here every pending delivery whose next attempt is due.
    Returns how many there were."""
    ids = list(db.session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= utcnow())
        .order_by(WebhookDelivery.id).limit(500)))
    db.session.commit()
    if ids and not queue_deliveries(ids):
        send_now(ids)
    return len(ids)
