"""GOV.UK-styled error pages; no stack trace ever reaches a user."""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .api.problems import API_PREFIX, problem_response
from .extensions import db

PAGES = {
    400: ("There is a problem with your request", "errors/400.html"),
    403: ("You do not have permission to see this page", "errors/403.html"),
    404: ("Page not found", "errors/404.html"),
    405: ("There is a problem with your request", "errors/400.html"),
    413: ("What you sent is too large", "errors/400.html"),
    429: ("Too many attempts", "errors/429.html"),
    500: ("Sorry, there is a problem with the service", "errors/500.html"),
    503: ("Sorry, the service is busy", "errors/503.html"),
}


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


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if (problem := _api_problem(error)) is not None:
            return problem
        current_app.logger.warning("CSRF failure: %s", error.description)
        return render_error(400, csrf=True)

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

    @app.errorhandler(Exception)
    def unexpected_error(error):
        current_app.logger.exception("Unhandled error")
        if (problem := _api_problem(error, 500)) is not None:
            return problem
        return render_error(500)
