"""What every question kind is: one class with the same interface, from the question builder
to the results.

A kind owns, for its questions:
- the question builder's settings (`Settings`, a small form: only its own settings are shown
  and checked) and how they are stored (`stored_settings`, `settings_data`);
- the answer field (`field`, `field_params`), what was entered (`entered`) and its checks;
- storage as answer rows (`stored_rows`: value, number, slot) and back (`to_data`);
- the check-answers display (`display`) and the answers routing can test (`answer_choices`);
- free text: rows it stores in TEXT_SLOT are analysed and redacted; `whole_answer_is_text`
  (the answer is text) or `has_free_text` (some of it is: the page asks for no names);
- results: how the database counts an answer (`counted_value`), the rows of its table
  (`result_rows`), how the table is protected (`result_parts`), its summary sentence
  (`summary`), and which answers count as positive for the indicator (`positive`);
- the anonymised export's columns (`export_headers`, `export_cells`).

Each kind lives in its own module of this package and is listed in the registry
(`feedback/surveys/kinds/__init__.py`); no other code names a kind.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date

from flask import render_template_string
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovTextArea
from markupsafe import Markup
from sqlalchemy import literal
from wtforms import BooleanField, DateField, Field, Form, RadioField, SelectMultipleField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Optional, StopValidation, ValidationError

from ...models.surveys import TEXT_SLOT
from ...text import N_
from ...widgets import GovCheckboxesInput, GovRadioInput
from .keys import ANSWERED, BLANK, DONT_KNOW, NOT_CHOSEN, PREFER_NOT

OTHER = "__other__"
SPECIAL_LABELS = {DONT_KNOW: _l("Don't know"), PREFER_NOT: _l("Prefer not to say")}
OTHER_LABEL = N_("Other")
OTHER_TEXT_LIMIT = 500
# A stored value of a kind with parts (a grid's statement, a ranked option): "part|answer".
PART = "|"
DEFAULT_TEXT_LIMIT = 2000
Row = tuple[str, float | None]
HIDDEN = "hidden"

# The Question columns a kind's settings may fill; any other setting is kept in question.settings.
SETTING_COLUMNS = {"options": list, "allow_dont_know": bool, "allow_prefer_not": bool,
                   "max_length": None, "min_value": None, "max_value": None}


def _size(kind: str, heading: bool) -> str:
    return f"govuk-{kind}--{'l' if heading else 'm'}" if kind == "label" else f"govuk-fieldset__legend--{'l' if heading else 'm'}"


def shown_text(question) -> str:
    """The question as its label or legend shows it: optional ones say so, as GOV.UK does."""
    return question.text if question.required else _("%(question)s (optional)", question=question.text)


def worded(question, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Answer labels as the question's version words them (surveys.translations); the
    values, which are what is stored, never change."""
    labels = dict(getattr(question, "option_labels", ()) or ())
    return [(value, labels.get(value) or label) for value, label in choices] if labels else choices


def legend(question, heading: bool) -> dict:
    return {"fieldset": {"legend": {"text": shown_text(question), "isPageHeading": heading,
                                    "classes": _size("legend", heading)}}}


def label(question, heading: bool) -> dict:
    return {"text": shown_text(question), "isPageHeading": heading, "classes": _size("label", heading)}


def setting(question, name: str, default=None):
    """One of the kind's own settings of a question (kept in question.settings)."""
    return (getattr(question, "settings", None) or {}).get(name, default)


class FrozenSettings(dict):
    """A question's settings as fixed questions keep them: hashable, so a fixed question can
    key a cache. Never changed once made."""

    def __hash__(self):
        return hash(json.dumps(self, sort_keys=True, default=str))


def render_macro(component: str, macro: str, params: dict) -> Markup:
    """A GOV.UK Frontend component drawn from Python (for fields made of several parts)."""
    return Markup(render_template_string(  # nosec B704: autoescaped macro output; component and macro are our names
        "{% from 'govuk_frontend_jinja/components/" + component + "/macro.html' import " + macro + " %}"
        "{{ " + macro + "(params) }}", params=params))


def split_part(value: str) -> tuple[str, str]:
    part, _, answer = value.rpartition(PART)
    return part, answer


def part_value(part: str, answer: str) -> str:
    return f"{part}{PART}{answer}"


# Results helpers: a kind's summary says only what the published counts certainly show.

def shown(value, suffix: str = "") -> str:
    return HIDDEN if value is None else f"{value}{suffix}"


def percent(count: int | None, base: int | None) -> int | None:
    if count is None or not base:
        return None
    return round(100 * count / base)


def largest(rows: list[list], total: int | None, candidates: list[list] | None = None) -> list | None:
    """The row that is certainly the largest: shown, above 0, above every other shown row
    and above anything the hidden rows could hold (``total`` minus the shown rows; None when
    the rows do not add up to a total, so any hidden row could be larger). Else None."""
    candidates = rows if candidates is None else candidates
    ordered = sorted((r for r in candidates if r[1] is not None), key=lambda r: r[1], reverse=True)
    if not ordered or ordered[0][1] <= 0 or (len(ordered) > 1 and ordered[1][1] == ordered[0][1]):
        return None
    if any(r[1] is None for r in rows):
        if total is None:
            return None
        hidden_at_most = total - sum(r[1] for r in rows if r[1] is not None)
        if ordered[0][1] <= hidden_at_most:
            return None
    return ordered[0]


def row_label(label: str) -> str:
    """A results row's label as a release stores it (in English), in the reader's language
    where the catalogues have it ("No answer", "Yes"); an option's own wording stays as written."""
    return _(label) if label else label


def most_common(top: list, n: int) -> str:
    return _("The most common answer was ‘%(answer)s’: %(count)s of %(n)s (%(percent)s%%).",
             answer=top[0], count=top[1], n=n, percent=top[2])


def special_sentences(question: dict, rows: list[list]) -> list[str]:
    return [_("%(answer)s: %(count)s.", answer=r[0], count=shown(r[1]))
            for r, spec in zip(rows, question["rows"]) if spec["special"]]


# The question builder: each kind's settings are a small form of their own.

class LinesField(TextAreaField):
    """One entry on each line (options, statements, points of a scale); its data is a list."""

    def __init__(self, label, hint, **kwargs):
        super().__init__(label, description=hint, widget=GovTextArea(), **kwargs)

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]

    def process_data(self, value):
        self.data = list(value or [])

    def _value(self):
        return "\n".join(self.data or [])


# What the builder says about the lines of each kind of list, whole sentences for the catalogues.
LINES_ERRORS = {
    "options": {
        "few": N_("Enter at least %(least)s options, one on each line"),
        "many": N_("Enter %(most)s options or fewer"),
        "same": N_("Each of the options must be different"),
        "long": N_("Each of the options must be %(longest)s characters or fewer"),
        "part": N_("The options cannot contain the character %(character)s"),
    },
    "statements": {
        "few": N_("Enter at least %(least)s statements, one on each line"),
        "many": N_("Enter %(most)s statements or fewer"),
        "same": N_("Each of the statements must be different"),
        "long": N_("Each of the statements must be %(longest)s characters or fewer"),
        "part": N_("The statements cannot contain the character %(character)s"),
    },
    "answers on the scale": {
        "few": N_("Enter at least %(least)s answers on the scale, one on each line"),
        "many": N_("Enter %(most)s answers on the scale or fewer"),
        "same": N_("Each of the answers on the scale must be different"),
        "long": N_("Each of the answers on the scale must be %(longest)s characters or fewer"),
        "part": N_("The answers on the scale cannot contain the character %(character)s"),
    },
}


def check_lines(field, what: str, least: int = 2, most: int = 50, longest: int = 200):
    """`what`: "options", "statements" or "answers on the scale" (LINES_ERRORS)."""
    lines = field.data or []
    errors = LINES_ERRORS[what]

    def refuse(problem):
        raise ValidationError(_(errors[problem], least=least, most=most, longest=longest, character=PART))

    if len(lines) < least:
        refuse("few")
    if len(lines) > most:
        refuse("many")
    if len(set(lines)) != len(lines):
        refuse("same")
    if any(len(line) > longest for line in lines):
        refuse("long")
    if any(PART in line or line == OTHER for line in lines):
        refuse("part")


class NoSettings(Form):
    """A kind with nothing to set beyond the question itself. A kind's settings form is made
    of these parts; PARAMS are GOV.UK macro settings for its fields."""

    PARAMS: dict = {}


class Specials(NoSettings):
    """Closed questions may offer "Don't know" and "Prefer not to say"."""

    allow_dont_know = BooleanField(_l("Offer ‘Don't know’"), widget=GovCheckboxInput())
    allow_prefer_not = BooleanField(_l("Offer ‘Prefer not to say’"), widget=GovCheckboxInput())


class Options(NoSettings):
    PARAMS = {"options": {"rows": 5}}
    options = LinesField(_l("Options"), _l("One option on each line"))

    def validate_options(self, field):
        check_lines(field, "options")


class Other(NoSettings):
    allow_other = BooleanField(_l("Offer ‘Other (please specify)’"), widget=GovCheckboxInput(),
                               description=_l("Adds an ‘Other’ option with a box to say what it is. "
                                              "What people type there is analysed and redacted like free text."))


class QuestionKind:
    name = ""
    label = ""
    offers_specials = False  # "Don't know" / "Prefer not to say" make sense for this kind
    Settings: type[Form] = NoSettings
    # Results: "single" (one table), "each_row" (several answers can be chosen: each row is
    # protected on its own) or "grouped" (one table per part: a grid's statement, a ranked option).
    result_parts = "single"
    result_heading = N_("Responses")  # translated where shown (results.tables)
    result_notes: list[str] = []
    positive: frozenset = frozenset()  # answers that count as positive for the indicator
    positive_sentence = ""  # how the summary speaks of positive answers, e.g. "%(count)s (%(percent)s%%) said yes."
    whole_answer_is_text = False  # the answer is free text (analysed, redacted)
    # Versions in other languages and Easy Read (surveys/translations.py): a version words the
    # options (worded_options); it must word each when they are the survey's own (own_options).
    worded_options = False
    own_options = False
    # Easy Read shows each option as words with its picture (responses/rendering.py)
    easy_read_options = False
    smiley_scale = False  # ... and a face beside each point of the scale

    # The question builder

    def stored_settings(self, form: Form) -> dict:
        """The question's fields from its settings form: the kind's own settings, and every
        other kind's setting back to its default (so a changed kind leaves nothing behind)."""
        fields = {name: (default() if default else None) for name, default in SETTING_COLUMNS.items()}
        extra = {}
        for name, field in form._fields.items():
            if name in SETTING_COLUMNS:
                fields[name] = field.data
            else:
                extra[name] = field.data
        fields["settings"] = extra
        return fields

    def settings_data(self, question) -> dict:
        """What the settings form shows for a saved question."""
        return {name: getattr(question, name) if name in SETTING_COLUMNS else setting(question, name)
                for name in self.Settings()._fields}

    # Answering

    def required_message(self, question) -> str:
        return _l("Select an answer")

    def field_params(self, question, heading: bool) -> dict:
        """GOV.UK macro settings for showing the field; the question is the page heading
        when it is alone on its page."""
        return {"label": label(question, heading), "classes": "govuk-input--width-10", "inputmode": "decimal"}

    def field(self, question):
        raise NotImplementedError

    def entered(self, question, field):
        """What was entered in the field, as `to_rows` takes it."""
        return field.data

    def problem(self, question, data) -> str | None:
        """What is wrong with an answer (as `entered` gives it), or None. The answer field
        checks it, and so does every path that stores answers (responses.services.save_page),
        so an answer the field would refuse is never stored."""
        return None

    def field_check(self, question):
        """A validator for the answer field that asks `problem`."""
        def check(form, field):
            if field.data not in (None, "", [], {}):
                error = self.problem(question, self.entered(question, field))
                if error:
                    raise ValidationError(error)
        return check

    def to_rows(self, question, data) -> list[Row]:
        if data in (None, "", []):
            return []
        return [(str(data), None)]

    def slot(self, question, value: str) -> str:
        """Where an answer row sits in its response: the database keeps one row per slot."""
        return TEXT_SLOT if self.whole_answer_is_text else ""

    def stored_rows(self, question, data) -> list[tuple[str, float | None, str]]:
        return [(value, number, self.slot(question, value)) for value, number in self.to_rows(question, data)]

    def to_data(self, question, rows: list[Row]):
        return rows[0][0] if rows else None

    def display(self, question, rows: list[Row]) -> str:
        if not rows:
            return _("Not answered")
        return ", ".join(str(SPECIAL_LABELS.get(value, value)) for value, _ in rows)

    def answer_choices(self, question) -> list[tuple[str, str]]:
        """The possible answers (value, label), for routing and results; empty if open."""
        return []

    def _specials(self, question) -> list[tuple[str, str]]:
        specials = []
        if self.offers_specials and question.allow_dont_know:
            specials.append((DONT_KNOW, SPECIAL_LABELS[DONT_KNOW]))
        if self.offers_specials and question.allow_prefer_not:
            specials.append((PREFER_NOT, SPECIAL_LABELS[PREFER_NOT]))
        return specials

    def _validators(self, question):
        if question.required:
            return [InputRequired(message=self.required_message(question))]
        return [Optional()]

    # Free text

    def has_free_text(self, question) -> bool:
        """Whether families may type words here (the page then asks them not to name anyone)."""
        return self.whole_answer_is_text

    # Results

    def counted_value(self, answer_table):
        """How the database counts one answer row (by its value, or just as answered)."""
        return literal(ANSWERED)

    def result_rows(self, question, observed: set[str]) -> list[dict]:
        """The rows of the question's results table, blank ("No answer") rows included."""
        return [{"key": ANSWERED, "label": "Answered", "special": False},
                {"key": BLANK, "label": "No answer", "special": True}]

    def summary(self, question: dict, rows: list[list], n: int) -> str:
        """One or two sentences on what the published counts show (`rows`: label, count, per cent)."""
        return " ".join([_("%(count)s of %(n)s people answered.", count=shown(rows[0][1]), n=n)]
                        + special_sentences(question, rows))

    # The anonymised export

    def export_headers(self, question) -> list[str]:
        return [f"{question.position}. {question.text}"]

    def export_cells(self, question, rows: list[Row], redacted: str | None, redact) -> list[str]:
        """The answer in the export; `redacted` is the analysed, redacted text of the answer's
        free text (if analysed yet), `redact` redacts text that was not analysed yet."""
        if self.whole_answer_is_text:
            return [(redacted or redact(rows[0][0])) if rows else ""]
        labels = dict(self.answer_choices(question))
        return ["; ".join(str(labels.get(value, value)) for value, _ in rows)]


class ChoiceKind(QuestionKind):
    """One answer from a list: radios, with "Don't know" / "Prefer not to say" if chosen."""

    offers_specials = True
    numbers: dict[str, float] = {}

    def options(self, question) -> list[tuple[str, str]]:
        raise NotImplementedError

    def answer_choices(self, question):
        return worded(question, self.options(question) + self._specials(question))

    def field(self, question):
        field_class, widget = (OtherRadioField, OtherRadioWidget) if offers_other(question) else (RadioField, GovRadioInput)
        return field_class(
            question.text,
            description=question.hint,
            choices=self.answer_choices(question),
            widget=widget(),
            validators=self._validators(question),
            validate_choice=True,
        )

    def required_message(self, question):
        return _l("Select an answer to ‘%(question)s’", question=question.text)

    def field_params(self, question, heading):
        params = legend(question, heading)
        if question.allow_dont_know or question.allow_prefer_not:
            params["classes"] = "govuk-radios--small"
        return params

    def to_rows(self, question, data):
        if not data:
            return []
        return [(data, self.numbers.get(data))]

    def display(self, question, rows):
        labels = dict(self.answer_choices(question))
        return ", ".join(str(labels.get(value, value)) for value, _ in rows) if rows else _("Not answered")

    def counted_value(self, answer_table):
        return answer_table.value

    def result_rows(self, question, observed):
        choices = self.answer_choices(question)
        known = {value for value, _ in choices}
        # Answers to options that were reworded after people answered still count.
        choices += [(value, value) for value in sorted(observed - known - {DONT_KNOW, PREFER_NOT, OTHER})]
        if OTHER in observed and OTHER not in known:
            choices.append((OTHER, OTHER_LABEL))
        for special, text in SPECIAL_LABELS.items():
            if special in observed and special not in known:
                choices.append((special, text))
        rows = [{"key": v, "label": str(text), "special": v in SPECIAL_LABELS} for v, text in choices]
        return rows + [{"key": BLANK, "label": "No answer", "special": True}]

    def summary(self, question, rows, n):
        answers = [r for r, spec in zip(rows, question["rows"]) if not spec["special"]]
        parts = []
        top = largest(rows, n, answers)
        if top:
            parts.append(most_common(top, n))
        if self.positive:
            positive = [r for r, spec in zip(rows, question["rows"]) if spec["key"] in self.positive]
            if positive and all(r[1] is not None for r in positive):
                total = sum(r[1] for r in positive)
                parts.append(_(self.positive_sentence, count=total, percent=percent(total, n)))
        return " ".join(parts + special_sentences(question, rows))


# "Other (please specify)": a setting of choice kinds that adds an "Other" option with a box.

def offers_other(question) -> bool:
    return bool(setting(question, "allow_other"))


class _OtherBox:
    """A choice field with an "Other" option and a box (name `<field>-other`) to say what it is."""

    other = ""
    other_error = None

    def process(self, formdata, data=unset_value, extra_filters=None):
        if isinstance(data, tuple):
            data, self.other = data
        super().process(formdata, data, extra_filters=extra_filters)
        if formdata is not None:
            self.other = (formdata.get(f"{self.name}-other") or "").strip()

    def _chose_other(self) -> bool:
        return OTHER in (self.data if isinstance(self.data, list) else [self.data])

    def post_validate(self, form, validation_stopped):
        self.other_error = None
        if self._chose_other() and not self.other:
            self.other_error = _("Enter what your other answer is")
        elif self.other and len(self.other) > OTHER_TEXT_LIMIT:
            self.other_error = _("Your other answer must be %(max)s characters or fewer", max=OTHER_TEXT_LIMIT)
        if self.other_error and not self.errors:
            self.errors.append(self.other_error)


class _OtherBoxWidget:
    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        # The box sits under the options, always shown: a conditional reveal needs JavaScript
        # (and GOV.UK Frontend's marks a radio aria-expanded, which radios may not have).
        box = {"id": f"{field.name}-other", "name": f"{field.name}-other", "value": field.other,
               "label": {"text": _("If you chose ‘%(other)s’, say what it is", other=_(OTHER_LABEL))}, "spellcheck": True,
               "classes": "govuk-!-width-two-thirds", "formGroup": {"classes": "govuk-!-margin-top-4 govuk-!-margin-bottom-0"},
               "attributes": {"maxlength": OTHER_TEXT_LIMIT}}
        if field.other_error:
            box["errorMessage"] = {"text": field.other_error}
            params.pop("errorMessage", None)  # shown by the box it is about
        params["formGroup"] = {**params.get("formGroup", {}),
                               "afterInputs": {"html": render_macro("input", "govukInput", box)}}
        return params


class OtherRadioWidget(_OtherBoxWidget, GovRadioInput):
    pass


class OtherCheckboxesWidget(_OtherBoxWidget, GovCheckboxesInput):
    pass


class OtherRadioField(_OtherBox, RadioField):
    pass


class OtherMultipleField(_OtherBox, SelectMultipleField):
    pass


class OtherChoice:
    """What "Other (please specify)" adds to a choice kind; mixed in before the kind's class."""

    def other_choice(self, question) -> list[tuple[str, str]]:
        return [(OTHER, OTHER_LABEL)] if offers_other(question) else []

    def entered(self, question, field):
        data = super().entered(question, field)
        return (data, field.other) if offers_other(question) else data

    def stored_rows(self, question, data):
        text = ""
        if isinstance(data, tuple):
            data, text = data
        rows = super().stored_rows(question, data)
        chosen = {value for value, _, _ in rows}
        if OTHER in chosen and text:
            rows.append((text, None, TEXT_SLOT))
        return rows

    @staticmethod
    def _split(rows: list[Row]) -> tuple[list[Row], str]:
        """(the choices, the other text): the text is the row after the "Other" choice."""
        values = [value for value, _ in rows]
        if OTHER in values and values.index(OTHER) + 1 < len(values):
            at = values.index(OTHER)
            return rows[:at + 1] + rows[at + 2:], rows[at + 1][0]
        return rows, ""

    def to_data(self, question, rows):
        choices, text = self._split(rows)
        data = super().to_data(question, choices)
        return (data, text) if offers_other(question) else data

    def display(self, question, rows):
        choices, text = self._split(rows)
        if not choices:
            return _("Not answered")
        labels = {**SPECIAL_LABELS, **dict(self.answer_choices(question)), OTHER: OTHER_LABEL}
        return ", ".join(f"{OTHER_LABEL}: {text}" if value == OTHER and text else str(labels.get(value, value))
                         for value, _ in choices)

    def export_cells(self, question, rows, redacted, redact):
        choices, text = self._split(rows)
        cells = super().export_cells(question, choices, None, redact)
        return [cells[0] + (f" ({redacted or redact(text)})" if text else "")]

    def has_free_text(self, question):
        return offers_other(question)


# Numbers and dates, also used by other forms

MISSING_PARTS = {("day",): _l("day"), ("month",): _l("month"), ("year",): _l("year"),
                 ("day", "month"): _l("day and month"), ("day", "year"): _l("day and year"),
                 ("month", "year"): _l("month and year")}

# Commas only as thousands separators: "1,250" is 1250, "12,5" is refused (not read as 125).
NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d*)?")


def parse_number(text: str) -> float:
    """The number typed, or ValueError; infinity and "not a number" are refused."""
    text = text.strip()
    if not text or not NUMBER.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise ValueError(text)
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


class GovDateField(DateField):
    """Day, month and year boxes with GOV.UK error messages. With `named` (a question's
    words) the messages name the field, as GOV.UK's do: "‘When…?’ must include a month"."""

    SHAPE_ERROR = _l("Enter the date as a day, month and year, like 27 3 2024")
    wrong_shape = False

    def __init__(self, *args, named: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.named = named

    def process_formdata(self, valuelist):
        # The form always sends day, month and year; one, two or four parts were not typed
        # into it, so they are an error (see post_validate), never "no date", which would
        # erase a saved one.
        self.wrong_shape = bool(valuelist) and len(valuelist) != 3
        if len(valuelist) != 3:
            self.raw_data = ["", "", ""]  # the GOV.UK widget redraws three boxes from raw_data
        if self.wrong_shape:
            self.data = None
            return
        if not valuelist or not any(part.strip() for part in valuelist):
            self.data = None
            return
        parts = [part.strip() for part in valuelist]
        if not all(parts):
            self.data = None
            missing = [name for name, part in zip(("day", "month", "year"), parts) if not part]
            if self.named:
                raise ValueError(_("‘%(question)s’ must include a %(missing)s", question=self.named,
                                   missing=str(MISSING_PARTS[tuple(missing)])))
            raise ValueError(f"The date must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            if self.named:
                raise ValueError(_("‘%(question)s’ must be a real date, like 27 3 2024", question=self.named)) from None
            raise ValueError(_("The date must be a real date, like 27 3 2024")) from None

    def blank(self) -> bool:
        return not any((part or "").strip() for part in (self.raw_data or []))

    def post_validate(self, form, validation_stopped):
        # After the validators: Optional() on an optional question clears errors for blank boxes.
        if self.wrong_shape and self.SHAPE_ERROR not in self.errors:
            self.errors.append(self.SHAPE_ERROR)



class DateOptional(Optional):
    """An optional date: left alone only when every box is empty. (WTForms' Optional looks
    at the first box only, the day, so a month and year without a day would go unchecked.)"""

    def __call__(self, form, field):
        if field.blank() and not field.wrong_shape:
            field.errors[:] = []
            raise StopValidation()


# Kinds whose answer has parts (a grid's statements, a ranking's options): one control per
# part, named `<field>-<index>`, each with its own error message beside it.

class PartsField(Field):
    """The answer to each part of a question, as {part: answer}; errors per part index."""

    def __init__(self, question, parts: list[str], required_message: str, **kwargs):
        super().__init__(question.text, description=question.hint, **kwargs)
        self.parts, self.required, self.required_message = parts, question.required, required_message
        self.part_errors: dict[int, str] = {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors, self.raw_data = [], []
        self.data = dict(data) if isinstance(data, dict) else {}
        if formdata is not None:
            self.data = {}
            for index, part in enumerate(self.parts):
                value = (formdata.get(f"{self.name}-{index}") or "").strip()
                if value:
                    self.data[part] = value
                    self.raw_data.append(value)

    def check_part(self, index: int, part: str, value: str) -> str | None:
        """The error for one part's answer, or None."""
        return None

    def check_whole(self) -> None:
        """Errors that concern several parts (fills part_errors)."""

    def pre_validate(self, form):
        self.part_errors = {}
        for index, part in enumerate(self.parts):
            value = self.data.get(part)
            if value is None:
                if self.required:
                    self.part_errors[index] = self.required_message % {"part": part}
            else:
                error = self.check_part(index, part, value)
                if error:
                    self.part_errors[index] = error
        if not self.part_errors:
            self.check_whole()
        if self.part_errors:
            raise ValidationError(self.part_errors[min(self.part_errors)])


def parts_html(field, params: dict, controls: list[Markup], grouped: bool) -> Markup:
    """The question (page heading when alone), its hint, then one control per part. With
    `grouped` the controls sit in one fieldset (selects); otherwise each control is a
    fieldset of its own (a row of radios per statement), under the question as a heading."""
    heading = bool(params.get("heading"))
    text = params.get("text", field.label.text)
    hint = params.get("hint") or field.description
    hint_html = Markup('<div class="govuk-hint" id="{}-hint">{}</div>').format(field.name, hint) if hint else ""
    error_class = " govuk-form-group--error" if field.errors else ""
    body = Markup("").join(controls)
    if grouped:
        size = f"govuk-fieldset__legend--{'l' if heading else 'm'}"
        title = Markup('<h1 class="govuk-fieldset__heading">{}</h1>').format(text) if heading else text
        described = Markup(' aria-describedby="{}-hint"').format(field.name) if hint else ""
        return Markup('<div class="govuk-form-group{}" id="{}"><fieldset class="govuk-fieldset"{}>'
                      '<legend class="govuk-fieldset__legend {}">{}</legend>{}{}</fieldset></div>').format(
            error_class, field.name, described, size, title, hint_html, body)
    tag, size = (Markup("h1"), "govuk-heading-l") if heading else (Markup("h2"), "govuk-heading-m")
    return Markup('<div class="govuk-form-group{}" id="{}"><{} class="{}">{}</{}>{}{}</div>').format(
        error_class, field.name, tag, size, text, tag, hint_html, body)


def part_error(field, index: int) -> dict | None:
    return {"text": field.part_errors[index]} if index in field.part_errors else None


class PartsKind(QuestionKind):
    """Shared by kinds whose answer has parts: stored as one row "part|answer" per part."""

    result_parts = "grouped"

    def parts(self, question) -> list[str]:
        return list(question.options)

    def field_params(self, question, heading):
        return {"heading": heading, "text": shown_text(question)}

    def to_rows(self, question, data):
        data = data or {}
        return [(part_value(part, str(data[part])), self.number(question, part, data[part]))
                for part in self.parts(question) if part in data]

    def number(self, question, part: str, answer) -> float | None:
        return None

    def slot(self, question, value):
        return split_part(value)[0]

    def to_data(self, question, rows):
        return dict(split_part(value) for value, _ in rows)

    def counted_value(self, answer_table):
        return answer_table.value

    def answer_labels(self, question) -> list[tuple[str, str]]:
        """Each possible answer of a part (value, label)."""
        raise NotImplementedError

    def result_rows(self, question, observed):
        """Per part: one row per answer and "No answer"; answers given to parts or with
        values since reworded still count, under their own rows."""
        parts = self.parts(question)
        answers = self.answer_labels(question)
        seen: dict[str, list[str]] = {}
        for value in sorted(observed):
            part, answer = split_part(value)
            seen.setdefault(part, []).append(answer)
        rows = []
        for part in parts + sorted(set(seen) - set(parts)):
            known = {value for value, _ in answers}
            labels = answers + [(a, a) for a in seen.get(part, []) if a not in known]
            rows += [{"key": part_value(part, value), "label": f"{part}: {text}", "special": False, "group": part}
                     for value, text in labels]
            rows.append({"key": part_value(part, BLANK), "label": f"{part}: {self.blank_label}", "special": True,
                         "group": part})
        return rows

    blank_label = "No answer"

    def export_headers(self, question):
        return [f"{question.position}. {question.text}: {part}" for part in self.parts(question)]

    def export_cells(self, question, rows, redacted, redact):
        data = self.to_data(question, rows)
        labels = dict(self.answer_labels(question))
        return [labels.get(data[part], data[part]) if part in data else "" for part in self.parts(question)]
