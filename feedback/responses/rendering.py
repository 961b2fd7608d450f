"""Drawing a question's answer field: each kind gives its GOV.UK macro parameters
(QuestionKind.field_params) and the field renders them.

Rendering GOV.UK macros is most of a question page's time, and a field's HTML differs
between families only where their answer goes: which radio or checkbox is ` checked`, or the
text in the box. So for an open survey's question (a FixedQuestion, which cannot change) the
field is rendered once per process *without any answer* into a skeleton, and each request
puts its own answer into the skeleton's slots, escaped as the macro would. The skeletons
are kept in a cachetools LRU bounded by count, keyed by the question (with its version:
another language's or Easy Read's words, option labels and pictures) and the interface
language, and never hold an answer: each is made from a field with no data (or a placeholder).

Anything else is rendered in full: a field with errors or with what was just sent (shown
once, kept nowhere), a draft's question, and field types whose answer changes more than a
slot (dates, drop-downs). Easy Read's options (words, pictures and, on an agreement scale,
faces) are macro parameters like any other, so they go through the skeleton too.
tests/test_rendering.py checks that both ways give the same HTML.
"""

from threading import Lock

from cachetools import LRUCache
from flask import url_for
from markupsafe import Markup, escape
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField

from ..i18n import current_language
from ..models import EASY_READ
from ..surveys.kinds import kind_of
from ..surveys.kinds.base import offers_other
from .services import FixedQuestion

SLOT = "feedback-answer-slot-7f3a"  # a placeholder no answer is expected to contain
SKELETONS = 2048  # questions kept per process: a few dozen open surveys' questions
_skeletons: LRUCache = LRUCache(maxsize=SKELETONS)
_lock = Lock()


def _full(question, field, heading: bool) -> Markup:
    return field(params=_field_params(question, heading))


def _with_data(question, field, heading: bool, data) -> str:
    kept = field.data
    field.data = data
    try:
        return str(_full(question, field, heading))
    finally:
        field.data = kept


def _choice_skeleton(question, field, heading: bool):
    """(pieces, values): the HTML cut where ` checked` may go, and the value at each cut."""
    html = _with_data(question, field, heading, [] if isinstance(field, SelectMultipleField) else None)
    cuts = []
    for value, _ in field.choices:
        mark = f'value="{escape(value)}"'
        if html.count(mark) != 1:
            return None
        cuts.append((html.index(mark) + len(mark), value))
    cuts.sort()
    pieces, start = [], 0
    for at, _ in cuts:
        pieces.append(html[start:at])
        start = at
    pieces.append(html[start:])
    return "choice", tuple(pieces), tuple(value for _, value in cuts)


def _text_skeleton(question, field, heading: bool):
    """(empty, before, after): the field with no answer, and cut where an answer goes."""
    empty = _with_data(question, field, heading, None)
    filled = _with_data(question, field, heading, SLOT)
    if filled.count(SLOT) != 1:
        return None
    before, after = filled.split(SLOT)
    return "text", empty, before, after


def _skeleton(question, field, heading: bool):
    if isinstance(field, (RadioField, SelectMultipleField)):
        return _choice_skeleton(question, field, heading)
    if isinstance(field, (StringField, TextAreaField)):
        return _text_skeleton(question, field, heading)
    return None


def _fill(skeleton, field) -> Markup:
    if skeleton[0] == "choice":
        _, pieces, values = skeleton
        data = field.data
        chosen = set(data or ()) if isinstance(field, SelectMultipleField) else ({data} if data else set())
        html = [pieces[0]]
        for value, piece in zip(values, pieces[1:]):
            html.append(" checked" if value in chosen else "")
            html.append(piece)
        return Markup("".join(html))  # nosec B704: pieces of autoescaped macro output
    _, empty, before, after = skeleton
    value = field._value()
    if not value:
        return Markup(empty)  # nosec B704: autoescaped macro output
    return Markup(before + str(escape(value)) + after)  # nosec B704: the answer is escaped


# Easy Read's five-point scale: a face beside each label (the words carry the meaning; the
# faces are hidden from screen readers).
SMILEYS = {"strongly_agree": "\U0001F600", "agree": "\U0001F642", "neither": "\U0001F610",
           "disagree": "\U0001F641", "strongly_disagree": "\U0001F61E"}


def _field_params(question, heading: bool) -> dict:
    params = kind_of(question).field_params(question, heading)
    kind = kind_of(question)
    if getattr(question, "version", "en") != EASY_READ or not kind.easy_read_options:
        return params
    pictures = {value: (picture, alt) for value, picture, alt in getattr(question, "option_pictures", ())}
    items = []
    for value, label in kind.answer_choices(question):
        html = escape(label)
        if kind.smiley_scale and value in SMILEYS:
            html = Markup('<span class="app-smiley" aria-hidden="true">{}</span>{}').format(SMILEYS[value], label)
        if value in pictures:
            picture, alt = pictures[value]
            html = Markup('<img class="app-easy-read__option-picture" src="{}" alt="{}">{}').format(
                url_for("responses.easy_read_picture", picture_id=picture), alt, html)
        items.append({"html": html})
    params["items"] = items
    return params


def render_answer_field(question, field, heading: bool = False) -> Markup:
    if field.errors or field.raw_data or not isinstance(question, FixedQuestion) or offers_other(question):
        # (An "Other" box holds words the skeleton has no place for: drawn in full.)
        return _full(question, field, heading)
    # The question (a frozen copy, compared field by field: its words, options, version and
    # the version's labels and pictures) and the interface language name everything the
    # skeleton shows.
    key = (question, heading, current_language())
    with _lock:
        skeleton = _skeletons.get(key, False)
    if skeleton is False:
        skeleton = _skeleton(question, field, heading)
        with _lock:
            _skeletons[key] = skeleton
    if skeleton is None:
        return _full(question, field, heading)
    return _fill(skeleton, field)

