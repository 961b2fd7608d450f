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

import re
import secrets
from threading import Lock

from cachetools import LRUCache
from flask import current_app, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField

from ..i18n import current_language
from ..models import EASY_READ, Channel
from ..security import csp_nonce
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


def shortcuts() -> bool:
    """Skeletons and page frames are used (QUESTION_PAGE_SHORTCUTS, on unless set False: the
    tests compare pages drawn both ways)."""
    return current_app.config.get("QUESTION_PAGE_SHORTCUTS", True)


def render_answer_field(question, field, heading: bool = False) -> Markup:
    if isinstance(field, _Slot):
        return Markup(field.mark)  # nosec B704: a slot mark of letters, digits and hyphens
    if not shortcuts():
        return _full(question, field, heading)
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


# A whole question page, drawn from a frame.
#
# Everything on a question page but a few values is the same for every family on that page:
# the layout, header and footer, the survey's title, the questions' words. So for a family
# who is not signed in, answering online, on a page with no errors and no messages, the page
# is rendered once per process *from its key alone* (the questions, the page, the version,
# the interface language and the path) with a slot mark where each per-request value goes,
# and each request puts its own values into the slots: the CSP nonce, the CSRF token, the
# back link, the page's position, and each answer field (drawn as render_answer_field draws
# it, from its own skeleton). The frames are kept in a cachetools LRU bounded by count and
# never hold an answer, a token or a nonce: those are only ever slots. Anything else (staff
# entering a paper reply, errors, a flashed message, a draft's questions, the co-design
# preview) is rendered in full. tests/test_question_pages.py checks both ways give the same
# HTML, for every kind, language and Easy Read, with hostile answers.

FRAMES = 1024  # question pages kept per process: each open survey's pages in each version and language
_frames: LRUCache = LRUCache(maxsize=FRAMES)
_frames_lock = Lock()
_MARK = f"fbslot{secrets.token_hex(8)}"  # unknown outside this process: no text can contain it
_SLOT = re.compile(re.escape(_MARK) + r"-([a-z0-9]+)-")
_SCALARS = ("nonce", "csrf", "back", "position", "total")


def _mark(name: str) -> str:
    return f"{_MARK}-{name}-"


class _Slot:
    """An answer field's place in a frame (render_answer_field draws its mark)."""

    def __init__(self, mark: str):
        self.mark = mark


class _FrameForm:
    """What page.html reads of its form while a frame is drawn: no errors, the CSRF field
    with a mark for its token, and a slot for each answer field."""

    errors: dict = {}

    def __init__(self, csrf_field, names):
        self.csrf_token = Markup(csrf_field(value=_mark("csrf")))  # nosec B704: WTForms' escaped widget output
        self._slots = {name: _Slot(_mark(f"field{index}")) for index, name in enumerate(names)}

    def __getitem__(self, name):
        return self._slots[name]


class PageOf:
    """The two things page.html reads of a response: its version and how it was entered."""

    __slots__ = ("language", "channel")

    def __init__(self, language, channel):
        self.language, self.channel = language, channel


def _frame(template: str, key: tuple, csrf_field):
    questions, heading, number, language, survey_title, content_lang, has_free_text, channel = key[1:9]
    html = render_template(
        template, form=_FrameForm(csrf_field, [f"q{q.id}" for q in questions]), questions=questions,
        number=number, response=PageOf(language, channel), survey_title=survey_title, content_lang=content_lang,
        has_free_text=has_free_text, paper={}, csp_nonce=_mark("nonce"), back=_mark("back"),
        position=_mark("position"), total=_mark("total"))
    parts = _SLOT.split(html)
    names = parts[1::2]
    fields = [f"field{index}" for index in range(len(questions))]
    # Every slot where the full render puts its value, each field and the token exactly once
    # (a mark changed on its way through a template would leave a slot unfilled): else no frame.
    if (set(names) != {*_SCALARS, *fields} or any(names.count(name) != 1 for name in ("csrf", "back", *fields))):
        return None
    return tuple(parts)


def render_question_page(template: str, *, form, questions, heading: bool, number: int, response,
                         survey_title: str, content_lang: str, has_free_text: bool, back: str,
                         position: int, total: int, **context) -> str:
    """A question page (responses/page.html) for this request: from its frame when it can be
    (see above), else rendered in full with the same values."""
    page_context = dict(form=form, questions=questions, number=number, response=response,
                        survey_title=survey_title, content_lang=content_lang, has_free_text=has_free_text,
                        back=back, position=position, total=total)
    questions = tuple(questions)
    if (context.get("paper") or context.get("preview") or form.errors or response.channel != Channel.ONLINE
            or not shortcuts() or "_flashes" in session or current_user.is_authenticated
            or not all(isinstance(q, FixedQuestion) for q in questions)):
        return render_template(template, **page_context, **context)
    key = (template, questions, heading, number, response.language, survey_title, content_lang, has_free_text,
           response.channel, current_language(), request.script_root, request.path)
    with _frames_lock:
        frame = _frames.get(key, False)
    if frame is False:
        frame = _frame(template, key, form.csrf_token)
        with _frames_lock:
            _frames[key] = frame
    if frame is None:
        return render_template(template, **page_context, **context)
    values = {"nonce": str(escape(csp_nonce())), "csrf": str(escape(form.csrf_token.current_token)),
              "back": str(escape(back)), "position": str(position), "total": str(total)}
    for index, question in enumerate(questions):
        values[f"field{index}"] = str(render_answer_field(question, form[f"q{question.id}"], heading))
    html = [frame[0]]
    for at in range(1, len(frame), 2):
        html.append(values[frame[at]])
        html.append(frame[at + 1])
    return "".join(html)
