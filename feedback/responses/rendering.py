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
from flask import session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..i18n import current_language
from ..models import EASY_READ
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
        getattr(question, "version", "en"), getattr(question, "option_labels", ()),
        getattr(question, "option_pictures", ()),
    )


# Easy Read's five-point scale: a face beside each label (the words carry the meaning; the
# faces are hidden from screen readers).
SMILEYS = {"strongly_agree": "\U0001F600", "agree": "\U0001F642", "neither": "\U0001F610",
           "disagree": "\U0001F641", "strongly_disagree": "\U0001F61E"}


def _field_params(question, heading: bool) -> dict:
    params = kind_of(question).field_params(question, heading)
    if getattr(question, "version", "en") != EASY_READ or question.kind not in ("single_choice", "multi_choice",
                                                                                 "likert5", "yes_no"):
        return params
    pictures = {value: (picture, alt) for value, picture, alt in getattr(question, "option_pictures", ())}
    items = []
    for value, label in kind_of(question).answer_choices(question):
        html = escape(label)
        if question.kind == "likert5" and value in SMILEYS:
            html = Markup('<span class="app-smiley" aria-hidden="true">{}</span>{}').format(SMILEYS[value], label)
        if value in pictures:
            picture, alt = pictures[value]
            html = Markup('<img class="app-easy-read__option-picture" src="{}" alt="{}">{}').format(
                url_for("responses.easy_read_picture", picture_id=picture), alt, html)
        items.append({"html": html})
    params["items"] = items
    return params


def render_answer_field(question, field, heading: bool = False) -> Markup:
    if field.errors or field.raw_data:
        # What was just sent (perhaps refused, perhaps huge) is shown once and never kept.
        return field(params=_field_params(question, heading))
    key = (_question_key(question), current_language(), heading, field.name, json.dumps(field.data, default=str, sort_keys=True))
    html = _fields.get(key)
    if html is None:
        html = field(params=_field_params(question, heading))
        _fields.put(key, html)
    return html
