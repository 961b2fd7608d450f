"""Request ids, one JSON log line per request, and the readiness check load balancers use.

Every request gets an id: the X-Request-ID a proxy sent (if it looks like one) or a new one.
It is sent back in the response and added to every log line written during the request,
so one request can be followed from the proxy's log to the app's.
"""

import json
import logging
import re
import sys
import time
import uuid

from flask import Blueprint, current_app, g, has_request_context, jsonify, request
from sqlalchemy import text

from .extensions import db, limiter

REQUEST_ID_HEADER = "X-Request-ID"
# Accept ids from a proxy only if short and plain: they end up in logs.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

bp = Blueprint("observability", __name__)


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JSONFormatter(logging.Formatter):
    """One JSON object a line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            entry["request_id"] = rid
        for key in ("method", "path", "status", "duration_ms", "remote_addr", "user_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JSONFormatter.converter = time.gmtime


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (gunicorn and test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure_logging(app) -> None:
    """JSON lines on stderr (for journald, Docker or a log shipper) unless LOG_FORMAT=text."""
    if app.config.get("LOG_FORMAT", "json") != "json":
        return
    handler = StderrHandler()
    handler.setFormatter(JSONFormatter())
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.propagate = False
    # Alembic's logging.config.fileConfig disables loggers that exist when migrations run.
    app.logger.disabled = False


def _start_request():
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response):
    rid = g.get("request_id")
    if rid:
        response.headers[REQUEST_ID_HEADER] = rid
    started = g.get("request_started")
    if started is not None and request.endpoint not in ("static", "main.live"):
        duration = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(g, "_login_user", None)
        current_app.logger.info(
            "%s %s %s", request.method, request.path, response.status_code,
            extra={"method": request.method, "path": request.path, "status": response.status_code,
                   "duration_ms": duration, "remote_addr": request.remote_addr,
                   "user_id": getattr(user, "id", None)},
        )
    return response


def check_redis(url: str) -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # any Redis failure means "not ready"
        return False


@bp.route("/health/ready")
@limiter.exempt
def ready():
    """200 when this instance can serve families, 503 when the database does not answer.
    Redis is reported but does not fail the check: without it rate limits fall back to
    memory and analysis runs inline, so taking every instance out would be worse."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # any database failure means "not ready", whatever the driver
        db.session.rollback()
        checks["database"] = "unreachable"
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = "ok" if check_redis(current_app.config["REDIS_URL"]) else "unreachable"
    if checks["database"] != "ok":
        return jsonify(status="unavailable", **checks), 503
    return jsonify(status="ok" if all(v == "ok" for v in checks.values()) else "degraded", **checks), 200


def init_observability(app) -> None:
    configure_logging(app)
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.register_blueprint(bp)
