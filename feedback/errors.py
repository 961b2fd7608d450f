"""GOV.UK-styled error pages; no stack trace ever reaches a user. `domain_errors` turns a
feature's domain error into a message by the field or at the top of the next page."""

import functools
from contextlib import contextmanager

from flask import current_app, flash, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

from .problems import API_PREFIX, problem_response
from .extensions import db

PAGES = {
    400: (_l("There is a problem with your request"), "errors/400.html"),
    403: (_l("You do not have permission to see this page"), "errors/403.html"),
    404: (_l("Page not found"), "errors/404.html"),
    405: (_l("There is a problem with your request"), "errors/400.html"),
    413: (_l("What you sent is too large"), "errors/413.html"),
    429: (_l("Too many attempts"), "errors/429.html"),
    500: (_l("Sorry, there is a problem with the service"), "errors/500.html"),
    503: (_l("Sorry, the service is busy"), "errors/503.html"),
}


@contextmanager
def domain_errors(*kinds: type[Exception], field=None, category: str = "info", message=str):
    """For a view: a domain error (one of `kinds`) raised in the block rolls the transaction
    back and shows its message (written for the person) by `field`, a form field (or on a
    whole form, in its `form_errors`; or a function that picks the field from the error), or
    else as a flash message of `category`; the rest of the block is skipped. `message` turns
    the error into its words (surveys translate theirs with `said`). Use it around the service
    call and the success path:

        with domain_errors(services.IdeaError):
            services.support_idea(item, current_user)
            flash("You support this idea.", "success")
        return redirect(...)
    """
    try:
        yield
    except kinds as error:
        db.session.rollback()
        if callable(field) and not hasattr(field, "errors"):
            field = field(error)
        words = message(error)
        if field is not None and hasattr(field, "form_errors"):
            field.form_errors.append(words)
        elif field is not None:
            field.errors = [*field.errors, words]
        else:
            flash(words, category)


FALLBACK_PAGE = (
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Sorry, there is a problem"
    "</title></head><body><h1>Sorry, there is a problem with the service</h1>"
    "<p>Try again later. Anything you had already saved has not been lost.</p></body></html>"
)


def render_error(status: int, **context):
    title, template = PAGES.get(status, PAGES[500])
    try:
        return render_template(template, title=title, status=status, **context), status
    except Exception:  # the page itself failed (say, the database is down): plain HTML
        current_app.logger.exception("Error page failed to render")
        return FALLBACK_PAGE, status


def _api_problem(error, status=None):
    """Errors under /api/ are JSON problem details, not pages (feedback/api/problems.py)."""
    return problem_response(error, status) if request.path.startswith(API_PREFIX) else None


def tolerate_lost_connection_on_teardown(app) -> None:
    """Closing the request's session rolls back on its connection. If the database went away
    while the request ran (a restart), that rollback fails after the page was already made,
    and the exception would escape the app, so the server would send its own bare 500 in place
    of the page. Log it, drop the broken session, and let the page through."""
    funcs = app.teardown_appcontext_funcs
    for index, teardown in enumerate(funcs):
        if getattr(teardown, "__name__", "") == "_teardown_session":
            funcs[index] = _tolerant(teardown)


def _tolerant(teardown):
    @functools.wraps(teardown)
    def close_session(exc):
        try:
            return teardown(exc)
        except DBAPIError as error:
            current_app.logger.warning("Database connection lost while closing the session: %s",
                                       error.__class__.__name__)
            try:
                db.session.invalidate()
            except Exception:  # the connection is already gone; nothing more to release
                pass
            db.session.registry.clear()
    return close_session


def register_error_handlers(app):
    tolerate_lost_connection_on_teardown(app)
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if (problem := _api_problem(error)) is not None:
            return problem
        current_app.logger.warning("CSRF failure: %s", error.description)
        return render_error(400, csrf=True)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host (or X-Forwarded-Host) that is not in TRUSTED_HOSTS.
        current_app.logger.warning("Refused request: %s", error.description)
        if (problem := _api_problem(error, 400)) is not None:
            return problem
        return render_error(400, host=True)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if (problem := _api_problem(error)) is not None:
            return problem
        if error.code in PAGES:
            response = render_error(error.code)
            if error.code == 429:
                retry = getattr(error, "retry_after", None)
                if retry:
                    return response[0], 429, {"Retry-After": str(retry)}
            return response
        return error

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        # The database is restarting or unreachable: nothing was saved by this request, and
        # trying again in a moment will work.
        current_app.logger.warning("Database unavailable: %s", error.__class__.__name__)
        db.session.rollback()
        if (problem := _api_problem(error, 503)) is not None:
            return problem
        page, status = render_error(503)
        return page, status, {"Retry-After": "5"}

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def value_out_of_range(error):
        # A number or text the database cannot hold got past the forms: nothing was saved.
        current_app.logger.exception("Value the database cannot hold")
        db.session.rollback()
        if (problem := _api_problem(error, 400)) is not None:
            return problem
        return render_error(400)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        current_app.logger.exception("Unhandled error")
        if (problem := _api_problem(error, 500)) is not None:
            return problem
        return render_error(500)
