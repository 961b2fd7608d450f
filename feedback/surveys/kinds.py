"""Question kinds: one small class per kind with the same interface.

Each kind knows how to make its answer field, turn what was entered into stored rows
(value, number), show an answer back, and list its possible answers for results.
Adding a kind means one class here and one entry in KINDS.
"""

import math
import re
from datetime import date

from flask_babel import format_date, gettext as _, lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import DateField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import STRIP
from ..widgets import GovCheckboxesInput, GovDateInput, GovRadioInput

DONT_KNOW = "dont_know"
PREFER_NOT = "prefer_not"
SPECIAL_LABELS = {DONT_KNOW: _l("Don't know"), PREFER_NOT: _l("Prefer not to say")}
DEFAULT_TEXT_LIMIT = 2000
Row = tuple[str, float | None]


def _size(kind: str, heading: bool) -> str:
    return f"govuk-{kind}--{'l' if heading else 'm'}" if kind == "label" else f"govuk-fieldset__legend--{'l' if heading else 'm'}"


def _shown(question) -> str:
    """The question as its label or legend shows it: optional ones say so, as GOV.UK does."""
    return question.text if question.required else _("%(question)s (optional)", question=question.text)


def _legend(question, heading: bool) -> dict:
    return {"fieldset": {"legend": {"text": _shown(question), "isPageHeading": heading, "classes": _size("legend", heading)}}}


def _worded(question, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Answer labels as the question's version words them (surveys.translations); the
    values, which are what is stored, never change."""
    labels = dict(getattr(question, "option_labels", ()) or ())
    return [(value, labels.get(value) or label) for value, label in choices] if labels else choices


class QuestionKind:
    name = ""
    label = ""
    has_options = False
    offers_specials = False  # "Don't know" / "Prefer not to say" make sense for this kind

    def required_message(self, question) -> str:
        return _l("Select an answer")

    def field_params(self, question, heading: bool) -> dict:
        """GOV.UK macro settings for showing the field; the question is the page heading
        when it is alone on its page."""
        return {
            "label": {"text": _shown(question), "isPageHeading": heading, "classes": _size("label", heading)},
            "classes": "govuk-input--width-10",
            "inputmode": "decimal",
        }

    def field(self, question):
        raise NotImplementedError

    def to_rows(self, question, data) -> list[Row]:
        if data in (None, "", []):
            return []
        return [(str(data), None)]

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


class ChoiceKind(QuestionKind):
    offers_specials = True
    numbers: dict[str, float] = {}

    def options(self, question) -> list[tuple[str, str]]:
        raise NotImplementedError

    def answer_choices(self, question):
        return _worded(question, self.options(question) + self._specials(question))

    def field(self, question):
        return RadioField(
            question.text,
            description=question.hint,
            choices=self.answer_choices(question),
            widget=GovRadioInput(),
            validators=self._validators(question),
            validate_choice=True,
        )

    def required_message(self, question):
        return _l("Select an answer to ‘%(question)s’", question=question.text)

    def field_params(self, question, heading):
        params = _legend(question, heading)
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


class SingleChoice(ChoiceKind):
    name, label, has_options = "single_choice", "Single choice", True

    def options(self, question):
        return [(option, option) for option in question.options]


class YesNo(ChoiceKind):
    name, label = "yes_no", "Yes or no"
    numbers = {"yes": 1.0, "no": 0.0}

    def options(self, question):
        return [("yes", _l("Yes")), ("no", _l("No"))]


LIKERT = [
    ("strongly_agree", _l("Strongly agree"), 5.0),
    ("agree", _l("Agree"), 4.0),
    ("neither", _l("Neither agree nor disagree"), 3.0),
    ("disagree", _l("Disagree"), 2.0),
    ("strongly_disagree", _l("Strongly disagree"), 1.0),
]


class Likert(ChoiceKind):
    name, label = "likert5", "Agreement (five-point scale)"
    numbers = {value: number for value, _, number in LIKERT}
    positive = {"strongly_agree", "agree"}

    def options(self, question):
        return [(value, text) for value, text, _ in LIKERT]


class Rating(ChoiceKind):
    name, label = "rating", "Rating from 0 to 10"

    def options(self, question):
        return [(str(n), str(n)) for n in range(11)]

    def field_params(self, question, heading):
        params = _legend(question, heading)
        params["classes"] = "govuk-radios--inline"
        params["hint"] = {"text": question.hint or _("0 is the worst, 10 is the best")}
        return params

    def to_rows(self, question, data):
        if not data:
            return []
        return [(data, float(data) if data.isdigit() else None)]


class MultiChoice(QuestionKind):
    name, label, has_options = "multi_choice", "Multiple choice", True

    def required_message(self, question):
        return _l("Select at least one answer to ‘%(question)s’", question=question.text)

    def answer_choices(self, question):
        return _worded(question, [(option, option) for option in question.options])

    def field_params(self, question, heading):
        return _legend(question, heading)

    def field(self, question):
        return SelectMultipleField(
            question.text,
            description=question.hint or _l("Select all that apply."),
            choices=self.answer_choices(question),
            widget=GovCheckboxesInput(),
            validators=self._validators(question),
        )

    def to_rows(self, question, data):
        chosen = set(data or [])
        # Keep the order of the options, whatever order the browser sent.
        return [(option, None) for option in question.options if option in chosen]

    def to_data(self, question, rows):
        return [value for value, _ in rows]


class FreeText(QuestionKind):
    name, label = "free_text", "Free text"

    def required_message(self, question):
        return _l("Enter your answer to ‘%(question)s’", question=question.text)

    def limit(self, question) -> int:
        return question.max_length or DEFAULT_TEXT_LIMIT

    def field_params(self, question, heading):
        return {
            "label": {"text": _shown(question), "isPageHeading": heading, "classes": _size("label", heading)},
            "maxlength": self.limit(question),
            "rows": 6,
        }

    def field(self, question):
        limit = self.limit(question)
        return TextAreaField(
            question.text,
            description=question.hint,
            widget=GovCharacterCount(),
            filters=STRIP,
            validators=self._validators(question)
            + [Length(max=limit, message=_l("Your answer must be %(limit)s characters or fewer", limit=limit))],
        )


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


class Number(QuestionKind):
    name, label = "number", "Number"

    def required_message(self, question):
        return _l("Enter a number for ‘%(question)s’", question=question.text)

    def field(self, question):
        return StringField(
            question.text,
            description=question.hint,
            widget=GovTextInput(),
            filters=STRIP,
            validators=self._validators(question) + [self._number_check(question)],
        )

    @staticmethod
    def _number_check(question):
        def check(form, field):
            if not field.data:
                return
            try:
                number = parse_number(field.data)
            except ValueError:
                if "," in field.data:
                    raise ValidationError(_("‘%(question)s’ must be a number, like 3 or 12.5: use a full "
                                            "stop for decimals, and commas only between thousands, like 1,250",
                                            question=question.text)) from None
                raise ValidationError(_("‘%(question)s’ must be a number, like 3 or 12.5", question=question.text)) from None
            if question.min_value is not None and number < question.min_value:
                raise ValidationError(_("‘%(question)s’ must be %(number)s or more", question=question.text,
                                        number="%g" % question.min_value))
            if question.max_value is not None and number > question.max_value:
                raise ValidationError(_("‘%(question)s’ must be %(number)s or less", question=question.text,
                                        number="%g" % question.max_value))

        return check

    def to_rows(self, question, data):
        if data in (None, ""):
            return []
        number = parse_number(data)
        return [(f"{number:g}", number)]


class GovDateField(DateField):
    """Day, month and year boxes with GOV.UK error messages."""

    SHAPE_ERROR = _l("Enter the date as a day, month and year, like 27 3 2024")
    wrong_shape = False

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
            missing = [str(name) for name, part in zip((_l("day"), _l("month"), _l("year")), parts) if not part]
            raise ValueError(_("The date must include a %(parts)s", parts=_(" and ").join(missing)))
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(_("The date must be a real date, like 27 3 2024")) from None

    def post_validate(self, form, validation_stopped):
        # After the validators: Optional() on an optional question clears errors for blank boxes.
        if self.wrong_shape and self.SHAPE_ERROR not in self.errors:
            self.errors.append(self.SHAPE_ERROR)


class Date(QuestionKind):
    name, label = "date", "Date"

    def required_message(self, question):
        return _l("Enter a date for ‘%(question)s’", question=question.text)

    def field_params(self, question, heading):
        return _legend(question, heading)

    def field(self, question):
        return GovDateField(
            question.text,
            description=question.hint or _l("For example, 27 3 2024"),
            widget=GovDateInput(),
            format="%d %m %Y",
            validators=self._validators(question),
        )

    def to_rows(self, question, data):
        return [(data.isoformat(), None)] if data else []

    def to_data(self, question, rows):
        return date.fromisoformat(rows[0][0]) if rows else None

    def display(self, question, rows):
        return format_date(date.fromisoformat(rows[0][0]), "d MMMM y") if rows else _("Not answered")


KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (SingleChoice(), MultiChoice(), Likert(), YesNo(), Rating(), FreeText(), Number(), Date())
}


def kind_of(question) -> QuestionKind:
    return KINDS[question.kind]
