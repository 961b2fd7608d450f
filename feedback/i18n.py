"""Languages of the interface: Flask-Babel, with gettext catalogues in feedback/translations.

Templates and Python code mark text with ``_()`` (templates) or ``gettext``/``lazy_gettext``
(``from flask_babel import gettext as _``). The language of a request is, in order: a
``?lang=`` link from the language switch (remembered in the ``lang`` cookie), that cookie,
the browser's Accept-Language, then BABEL_DEFAULT_LOCALE. Only languages in LANGUAGES are
offered; see docs/languages.md.
"""

from dataclasses import dataclass
from threading import Lock
from urllib.parse import urlencode

from cachetools import LRUCache
from flask import current_app, has_request_context, request
from flask_babel import Babel, get_locale
from markupsafe import Markup

babel = Babel()

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_DAYS = 365
# Each language's own name for itself, as the switch shows it.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg", "pl": "Polski", "pt": "Português"}
DEFAULT_LANGUAGES = "en,cy,pl,pt"
# Translations drafted without a human translator's check yet (docs/languages.md).
MACHINE_DRAFTED = frozenset({"cy", "pl", "pt"})


@dataclass(frozen=True)
class Language:
    code: str
    name: str


def languages(config=None) -> list[Language]:
    """The interface languages offered, the default first."""
    config = config if config is not None else current_app.config
    codes = config.get("LANGUAGES") or ["en"]
    return [Language(code, LANGUAGE_NAMES.get(code, code)) for code in codes]


def language_codes(config=None) -> list[str]:
    return [language.code for language in languages(config)]


def parse_languages(value: str | None) -> list[str]:
    """LANGUAGES as set ("en,cy,pl"): known codes only, English always offered."""
    codes = [code.strip().lower() for code in (value or DEFAULT_LANGUAGES).split(",") if code.strip()]
    unknown = [code for code in codes if code not in LANGUAGE_NAMES]
    if unknown:
        raise ValueError(f"LANGUAGES may name only {', '.join(LANGUAGE_NAMES)}, not {', '.join(unknown)}")
    return ["en"] + [code for code in dict.fromkeys(codes) if code != "en"]


def requested_language() -> str | None:
    """The language a ?lang= link asks for, if it is one we offer."""
    code = request.args.get("lang", "").strip().lower()
    return code if code in language_codes() else None


def select_locale() -> str:
    """The language of this request (see the module's docstring)."""
    if not has_request_context():  # commands, jobs and emails sent outside a request
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    offered = language_codes()
    chosen = requested_language() or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")


def current_language() -> str:
    return str(get_locale() or "en")


def remember_language(response):
    """A ?lang= link sets the cookie, so every later page is in that language."""
    code = requested_language()
    if code and request.cookies.get(LANGUAGE_COOKIE) != code:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def switch_links() -> list[dict]:
    """One link per other language: this page with ?lang=<code> (other query parameters are
    left out, so the links are the same for everyone on this page), under the path the site
    is served at."""
    here = current_language()
    return [
        {"code": language.code, "name": language.name, "href": f"{request.script_root}{request.path}?{urlencode({'lang': language.code})}"}
        for language in languages() if language.code != here
    ]


SWITCHES = 1024  # pages' language switches kept per process (each page's path, each language)
_switch_lock = Lock()


def language_switch() -> Markup:
    """The switch's HTML for this page. It depends only on the page's path and language, so
    it is kept per process in a cachetools LRU bounded by count (it holds links, never
    anything a family typed)."""
    from flask import render_template

    key = (current_language(), request.script_root, request.path)
    cache = current_app.extensions.setdefault("language_switch", LRUCache(maxsize=SWITCHES))
    with _switch_lock:
        html = cache.get(key)
    if html is None:
        html = Markup(render_template("partials/language_switch.html", links=switch_links()))  # nosec B704: autoescaped template output
        with _switch_lock:
            cache[key] = html
    return html


def init_i18n(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    app.config["LANGUAGES"] = parse_languages(",".join(app.config.get("LANGUAGES") or ["en"]))
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_language)
    app.add_template_global(current_language)
    app.add_template_global(language_switch)
    app.add_template_global(lambda code: code in MACHINE_DRAFTED, "machine_drafted")
    app.add_template_global(lambda: languages(), "interface_languages")
