"""Rendering question pages and answer fields, with small caches of the HTML.

A question's field looks the same for everyone who has given the same answer, so its HTML
is kept (per process, bounded by size) and reused: rendering GOV.UK macros is most of the cost of a
question page. Anything that changes the HTML is part of the key, so nothing stale is shown.

A whole question page is the same for every visitor who is not signed in and has the same
answers on it, apart from the form's CSRF token and the CSP nonce: `cached_page` keeps that
page with the two marked, and puts this request's values back in.
"""

import json
from collections.abc import Callable, Hashable
from threading import Lock

from cachetools import LRUCache
from flask import session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..i18n import current_language
from ..security import csp_nonce
from ..surveys.kinds import kind_of

TOKEN_MARK, NONCE_MARK = "\x00csrf-token\x00", "\x00csp-nonce\x00"


class SizedCache:
    """Least recently used entries go first once keys and values together pass `max_chars`
    characters, so a few huge entries cannot grow a process either; safe across threads."""

    def __init__(self, max_chars: int):
        self._entries = LRUCache(maxsize=max_chars, getsizeof=lambda entry: entry[1])
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
        return None if entry is None else entry[0]

    def put(self, key, value: str) -> None:
        size = len(value) + len(repr(key))
        if size > self._entries.maxsize:
            return
        with self._lock:
            self._entries[key] = (value, size)

    def chars(self) -> int:
        return self._entries.currsize

    def values(self) -> list:
        with self._lock:
            return [value for value, _ in self._entries.values()]


_fields = SizedCache(8 * 1024 * 1024)
_pages = SizedCache(32 * 1024 * 1024)


def cached_page(key: Hashable, render: Callable[[], str]) -> str:
    """The page `render()` makes, reused for visitors who are not signed in. `key` must name
    everything the page shows except the CSRF token and the CSP nonce."""
    if current_user.is_authenticated or session.get("_flashes"):
        return render()
    token, nonce = generate_csrf(), csp_nonce()
    key = (key, current_language())  # the same page in each language is kept apart
    page = _pages.get(key)
    if page is None:
        html = render()
        _pages.put(key, html.replace(token, TOKEN_MARK).replace(nonce, NONCE_MARK))
        return html
    return page.replace(TOKEN_MARK, token).replace(NONCE_MARK, nonce)


def _question_key(question) -> tuple:
    return (
        question.id, question.kind, question.text, question.hint, tuple(question.options or ()),
        question.allow_dont_know, question.allow_prefer_not, question.max_length,
        question.min_value, question.max_value, question.required,
    )


def render_answer_field(question, field, heading: bool = False) -> Markup:
    if field.errors or field.raw_data:
        # What was just sent (perhaps refused, perhaps huge) is shown once and never kept.
        return field(params=kind_of(question).field_params(question, heading))
    key = (_question_key(question), current_language(), heading, field.name, json.dumps(field.data, default=str, sort_keys=True))
    html = _fields.get(key)
    if html is None:
        html = field(params=kind_of(question).field_params(question, heading))
        _fields.put(key, html)
    return html
