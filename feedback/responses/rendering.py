"""Rendering question pages and answer fields, with small caches of the HTML.

A question's field looks the same for everyone who has given the same answer, so its HTML
is kept (per process, bounded) and reused: rendering GOV.UK macros is most of the cost of a
question page. Anything that changes the HTML is part of the key, so nothing stale is shown.

A whole question page is the same for every visitor who is not signed in and has the same
answers on it, apart from the form's CSRF token and the CSP nonce: `cached_page` keeps that
page with the two marked, and puts this request's values back in.
"""

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..security import csp_nonce
from ..surveys.kinds import kind_of

MAX_ENTRIES = 2048
_cache: OrderedDict = OrderedDict()
MAX_PAGES = 1024
_pages: OrderedDict = OrderedDict()
TOKEN_MARK, NONCE_MARK = "\x00csrf-token\x00", "\x00csp-nonce\x00"


def _remember(cache: OrderedDict, key, value, limit: int) -> None:
    cache[key] = value
    if len(cache) > limit:
        try:
            cache.popitem(last=False)
        except KeyError:  # another thread emptied it first
            pass


def _touch(cache: OrderedDict, key) -> None:
    """Mark an entry recently used; another thread may have evicted it since it was read."""
    try:
        cache.move_to_end(key)
    except KeyError:
        pass


def cached_page(key: Hashable, render: Callable[[], str]) -> str:
    """The page `render()` makes, reused for visitors who are not signed in. `key` must name
    everything the page shows except the CSRF token and the CSP nonce."""
    if current_user.is_authenticated or session.get("_flashes"):
        return render()
    token, nonce = generate_csrf(), csp_nonce()
    page = _pages.get(key)
    if page is None:
        html = render()
        _remember(_pages, key, html.replace(token, TOKEN_MARK).replace(nonce, NONCE_MARK), MAX_PAGES)
        return html
    _touch(_pages, key)
    return page.replace(TOKEN_MARK, token).replace(NONCE_MARK, nonce)


def _question_key(question) -> tuple:
    return (
        question.id, question.kind, question.text, question.hint, tuple(question.options or ()),
        question.allow_dont_know, question.allow_prefer_not, question.max_length,
        question.min_value, question.max_value, question.required,
    )


def render_answer_field(question, field, heading: bool = False) -> Markup:
    key = (
        _question_key(question), heading, field.name,
        json.dumps(field.data, default=str, sort_keys=True),
        tuple(field.errors), tuple(field.raw_data) if field.raw_data else None,
    )
    html = _cache.get(key)
    if html is None:
        html = field(params=kind_of(question).field_params(question, heading))
        _remember(_cache, key, html, MAX_ENTRIES)
    else:
        _touch(_cache, key)
    return html
