"""Errors of the JSON API as problem details (RFC 9457, application/problem+json).

Every error under /api/ is answered here, including those raised before a view runs (no such
route, a method the route does not take, a request body too large, a rate limit): the app's
error handlers hand any request whose path starts with API_PREFIX to `problem_response`."""

from __future__ import annotations

import json

from flask import current_app
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"

DETAILS = {
    400: "The request could not be understood. Check the parameters against the API description.",
    401: "A valid API token is needed. Send it as 'Authorization: Bearer <token>'.",
    403: "This token may not read that.",
    404: "There is nothing at this address, or the survey has no results yet.",
    405: "This address does not take that method. The Allow header lists the methods it takes.",
    413: "The request is too large.",
    429: "Too many requests. Wait for the number of seconds in Retry-After, then try again.",
    500: "Something went wrong on our side. Try again later.",
    503: "The service is busy or restarting. Try again in a few seconds.",
}


def problem(status: int, detail: str | None = None, headers: dict | None = None):
    """A problem-details response: type, title, status and detail, as the OpenAPI
    document's Problem schema says."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail or DETAILS.get(status, DETAILS[500] if status >= 500 else DETAILS[400])}
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_response(error: Exception | None, status: int | None = None):
    """The problem response for an exception (an HTTPException keeps its status; anything
    else is a 500 or the given status)."""
    headers = {}
    if isinstance(error, HTTPException) and error.code:
        status = error.code
    status = status or 500
    detail = None
    if isinstance(error, HTTPException) and error.description != type(error).description:
        detail = error.description  # a reason the view gave, e.g. abort(400, "page must be ...")
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(set(error.valid_methods)))
    if status == 429:
        headers["Retry-After"] = str(getattr(error, "retry_after", None) or 60)
    if status == 503:
        headers["Retry-After"] = "5"
    return problem(status, detail, headers)
