"""Template globals: service name, navigation by role, CSP nonce, GOV.UK form helpers."""

from collections import ChainMap
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request, url_for
from flask.templating import Environment as FlaskEnvironment
from flask_babel import format_date, gettext
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from markupsafe import Markup

from .i18n import current_language, language_switch
from .security import csp_nonce, set_security_headers


class _Globals(ChainMap):
    """A template's globals (its own, then the environment's), as Jinja chains them, with
    `keys()` a plain set. Each `{% from ... import %}` (GOV.UK macros import one another
    inside their bodies, so a page makes a dozen or more) asks which of the importing
    template's globals the imported one lacks; over ChainMap's own key view that is a
    Python-level lookup per name in every map, about a tenth of a question page's time."""

    def keys(self):
        return set().union(*self.maps)


class TemplateEnvironment(FlaskEnvironment):
    """Flask's Jinja environment; templates' globals are a _Globals (the same names and
    values, looked up the same way)."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    roles: tuple[str, ...]  # empty: everyone signed in
    prefix: str  # the nav item is "current" for paths under this prefix
    public: bool = False  # shown to everyone, signed in or not


NAVIGATION: list[NavItem] = []


def add_nav_item(text: str, endpoint: str, roles: tuple[str, ...] = (), prefix: str | None = None,
                 public: bool = False):
    """Blueprints add their own entry to the service navigation (once, however many apps).
    A public entry is shown to everyone; the others only to signed-in people (with `roles`).
    `text` is English, marked for the catalogues by the call itself (`add_nav_item` is an
    extraction keyword) and translated when the navigation is shown."""
    if any(item.endpoint == endpoint for item in NAVIGATION):
        return
    NAVIGATION.append(NavItem(text, endpoint, roles, prefix or "", public))


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def navigation_for(user) -> list[dict]:
    """The entries this person sees. At most one is "current": the one whose prefix is the
    longest match for this page (/manage/comments is Comments, not also Surveys). Worked out
    once per request and person (every template rendered in the request asks for it)."""
    key = user.get_id() if user.is_authenticated else None
    known = request.environ.get("feedback.navigation")
    if known is not None and known[0] == key:
        return known[1]
    items = _navigation(user)
    request.environ["feedback.navigation"] = (key, items)
    return items


def _navigation(user) -> list[dict]:
    items, prefixes = [], []
    signed_in = user.is_authenticated  # once: `user` is usually the current_user proxy
    for item in NAVIGATION:
        if not item.public and (not signed_in or (item.roles and not user.has_role(*item.roles))):
            continue
        href = url_for(item.endpoint)
        items.append({"text": gettext(item.text), "href": href, "active": False})
        prefixes.append(item.prefix or href)
    matches = [i for i, prefix in enumerate(prefixes) if _under(request.path, prefix)]
    if matches:
        best = items[max(matches, key=lambda i: len(prefixes[i]))]
        best["active"] = True
        best["current"] = request.path == best["href"]  # aria-current="page" rather than "true"
    return items


LONDON = ZoneInfo("Europe/London")


def local_date(value) -> str:
    """A date, or a moment's day in London, as "1 December 2026", in the page's language (month
    names from Babel)."""
    if not value:
        return ""
    return format_date(value.astimezone(LONDON).date() if isinstance(value, datetime) else value, "d MMMM y")


def local_datetime(value) -> str:
    return value.astimezone(LONDON).strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm") if value else ""


SWITCH_MARK = "\x00language-switch\x00"


def page_chrome(name: str) -> Markup:
    """The header, phase banner or footer. They are the same for everyone not signed in, so
    that HTML is rendered once per process and language; signed-in pages carry a per-session
    sign-out form. The language switch links to this page, so it is put back per request."""
    if current_user.is_authenticated:
        # An autoescaped template's output is already safe HTML.
        return Markup(render_template(f"partials/{name}.html"))  # nosec B704: autoescaped template output
    cache = current_app.extensions.setdefault("page_chrome", {})
    # The public navigation marks the current entry, so the header is kept once per entry.
    key = (name, current_language(),
           tuple((item["href"], item["current"]) for item in navigation_for(current_user) if item["active"]))
    switch = language_switch()
    if key not in cache:
        html = render_template(f"partials/{name}.html")
        cache[key] = html.replace(switch, SWITCH_MARK)
    return Markup(cache[key].replace(SWITCH_MARK, switch))  # nosec B704: autoescaped template output


def register_templating(app):
    WTFormsHelpers(app)
    app.add_template_filter(local_date)
    app.add_template_filter(local_datetime)
    app.add_template_global(page_chrome)

    @app.context_processor
    def service_context():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
            "support_email": app.config["SUPPORT_EMAIL"],
            "csp_nonce": csp_nonce(),
            "service_navigation": navigation_for(current_user),
        }

    @app.after_request
    def security_headers(response):
        return set_security_headers(response, hsts=app.config["HSTS"])
