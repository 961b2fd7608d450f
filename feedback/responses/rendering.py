"""Rendering answer fields, with a small cache of the HTML.

A question's field looks the same for everyone who has given the same answer, so its HTML
is kept (per process, bounded) and reused: rendering GOV.UK macros is most of the cost of a
question page. Anything that changes the HTML is part of the key, so nothing stale is shown.
"""

import json
from collections import OrderedDict

from markupsafe import Markup

from ..surveys.kinds import kind_of

MAX_ENTRIES = 2048
_cache: OrderedDict = OrderedDict()


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
        _cache[key] = html
        if len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return html
