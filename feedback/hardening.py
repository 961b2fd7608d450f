"""Request handling that no single view should have to remember.

- Absolute links (emails, QR codes, links to copy) are built from BASE_URL, never from the
  Host header or X-Forwarded-Host a request arrives with.
- URL numbers above what the database can hold (2^63 - 1) do not match a route: a 404, not
  an overflow in the query.
- `request.args.get(name, type=int)` treats such a number as not a number.
- A NUL character does not match a route segment (so /surveys/a%00b is a 404), and is
  dropped from query strings and form fields, so typed text is kept without it (PostgreSQL
  refuses NUL in text).
"""

from threading import Lock
from urllib.parse import quote, urlsplit

from cachetools import LRUCache
from flask import Flask
from flask import Request as FlaskRequest
from flask.globals import _cv_request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BuildError, IntegerConverter, PathConverter, UnicodeConverter
from werkzeug.utils import cached_property

from .templating import TemplateEnvironment

MAX_ID = 2**63 - 1  # PostgreSQL bigint and SQLite integer
STATIC_URLS = 256  # static files' links kept per process
_static_lock = Lock()


def bounded_int(value) -> int:
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError("too large for the database")
    return number


class QueryArgs(ImmutableMultiDict):
    """Query-string values; `args.get(name, type=int)` gives the default for a number too
    large for the database, as it does for one that is not a number."""

    def get(self, key, default=None, type=None):
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):
        return super().getlist(key, bounded_int if type is int else type)


def without_nul(values: MultiDict) -> MultiDict:
    """The same keys and values with any NUL characters removed."""
    pairs = list(values.items(multi=True))
    if not any("\x00" in key or (isinstance(value, str) and "\x00" in value) for key, value in pairs):
        return values
    return type(values)(
        (key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value)
        for key, value in pairs
    )


class Request(FlaskRequest):
    parameter_storage_class = QueryArgs

    @cached_property
    def args(self):
        return without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = without_nul(self.__dict__["form"])


class BoundedInt(IntegerConverter):
    """<int:...> that only matches numbers the database can store."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class NoNulString(UnicodeConverter):
    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


class NoNulPath(PathConverter):
    regex = "[^/\\x00][^\\x00]*?"


CONVERTERS = {"int": BoundedInt, "default": NoNulString, "string": NoNulString, "path": NoNulPath}


class App(Flask):
    request_class = Request
    jinja_environment = TemplateEnvironment

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before any route is added: rules take their converters from the map when added.
        self.url_map.converters.update(CONVERTERS)

    @cached_property
    def _static_urls(self) -> LRUCache:
        return LRUCache(maxsize=STATIC_URLS)

    def _static_url(self, script_root: str, filename: str) -> str:
        """A static file's link within the site: the same for every request under one script
        root (every page links its stylesheets and icons), so built once per process."""
        key = (script_root, filename)
        with _static_lock:
            link = self._static_urls.get(key)
        if link is None:
            link = super().url_for("static", filename=filename)
            with _static_lock:
                self._static_urls[key] = link
        return link

    def url_for(self, /, endpoint: str, *, _anchor=None, _method=None, _scheme=None, _external=None, **values) -> str:
        """Links within the site as Flask builds them; absolute links from BASE_URL only.
        (`_scheme` is ignored: BASE_URL says whether the site is on https.)"""
        context = _cv_request.get(None)
        if context is not None and context.url_adapter is not None and not _external:
            if endpoint == "static" and _anchor is None and _method is None and values.keys() == {"filename"}:
                return self._static_url(context.request.script_root, values["filename"])
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        # An absolute link, a link built outside a request, or on a request whose host was
        # refused (it has no URL adapter).
        external = _external if context is not None else _external is not False
        if endpoint[:1] == ".":
            blueprint = context.request.blueprint if context is not None else None
            endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
        self.inject_url_defaults(endpoint, values)
        base = urlsplit(self.config["BASE_URL"])
        root = context.request.script_root if context is not None else self.config["APPLICATION_ROOT"]
        adapter = self.url_map.bind(base.netloc, script_name=root or "/", url_scheme=base.scheme)
        try:
            link = adapter.build(endpoint, values, method=_method, force_external=bool(external))
        except BuildError as error:
            values.update(_anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external)
            return self.handle_url_build_error(error, endpoint, values)
        if _anchor is not None:
            link = f"{link}#{quote(_anchor, safe='%!#$&()*+,/:;=?@')}"
        return link
