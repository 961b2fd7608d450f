"""A number, with optional smallest and largest; results count answers in bands."""

from flask_babel import lazy_gettext as _l, gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from sqlalchemy import case, literal
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import Optional, ValidationError

from ...forms import STRIP
from .base import ANSWERED, BLANK, NoSettings, QuestionKind, largest, most_common, parse_number, setting, special_sentences
from ...text import N_

BANDS = [("below_0", "Less than 0"), ("0", "0"), ("1_2", "1 or 2"), ("3_5", "3 to 5"),
         ("6_10", "6 to 10"), ("over_10", "More than 10")]
WIDTH = {"classes": "govuk-input--width-5", "inputmode": "numeric"}


def whole_numbers_only(question) -> bool:
    """A number question takes whole numbers only unless staff allowed decimals."""
    return setting(question, "whole_numbers", True) is not False


class Number(QuestionKind):
    name, label = "number", N_("Number")

    class Settings(NoSettings):
        PARAMS = {"min_value": WIDTH, "max_value": WIDTH}
        min_value = IntegerField(_l("Smallest number allowed (optional)"), widget=GovTextInput(), validators=[Optional()])
        max_value = IntegerField(_l("Largest number allowed (optional)"), widget=GovTextInput(), validators=[Optional()])
        whole_numbers = BooleanField(_l("Whole numbers only"), widget=GovCheckboxInput(), default=True,
                                     description=_l("Untick this if people may give a decimal, like 2.5"))

        def validate_max_value(self, field):
            if field.data is not None and self.min_value.data is not None and field.data < self.min_value.data:
                raise ValidationError(_("The largest number must be more than the smallest"))

    def settings_data(self, question):
        data = super().settings_data(question)
        data["whole_numbers"] = whole_numbers_only(question)
        return data

    def required_message(self, question):
        return _l("Enter a number for ‘%(question)s’", question=question.text)

    def field_params(self, question, heading):
        params = super().field_params(question, heading)
        return {**params, "inputmode": "numeric"} if whole_numbers_only(question) else params

    def field(self, question):
        return StringField(
            question.text,
            description=question.hint,
            widget=GovTextInput(),
            filters=STRIP,
            validators=self._validators(question) + [self.field_check(question)],
        )

    def problem(self, question, data):
        if data in (None, ""):
            return None
        text = str(data)
        whole = whole_numbers_only(question)
        try:
            number = parse_number(text)
        except ValueError:
            if whole:
                if "," in text:
                    return _("‘%(question)s’ must be a whole number, like 3 or 1,250", question=question.text)
                return _("‘%(question)s’ must be a number, like 3", question=question.text)
            if "," in text:
                return _("‘%(question)s’ must be a number, like 3 or 12.5: use a full stop for decimals, and "
                         "commas only between thousands, like 1,250", question=question.text)
            return _("‘%(question)s’ must be a number, like 3 or 12.5", question=question.text)
        if whole and not number.is_integer():
            return _("‘%(question)s’ must be a whole number, like 3", question=question.text)
        if question.min_value is not None and number < question.min_value:
            return _("‘%(question)s’ must be %(number)s or more", question=question.text,
                     number="%g" % question.min_value)
        if question.max_value is not None and number > question.max_value:
            return _("‘%(question)s’ must be %(number)s or less", question=question.text,
                     number="%g" % question.max_value)
        return None

    def to_rows(self, question, data):
        if data in (None, ""):
            return []
        number = parse_number(data)
        return [(f"{number:g}", number)]

    def counted_value(self, answer_table):
        n = answer_table.number
        return case((n.is_(None), literal(ANSWERED)), (n < 0, literal("below_0")), (n == 0, literal("0")),
                    (n <= 2, literal("1_2")), (n <= 5, literal("3_5")), (n <= 10, literal("6_10")),
                    else_=literal("over_10"))

    def result_rows(self, question, observed):
        return [{"key": v, "label": text, "special": False} for v, text in BANDS] + [
            {"key": BLANK, "label": "No answer", "special": True}]

    def summary(self, question, rows, n):
        answers = [r for r, spec in zip(rows, question["rows"]) if not spec["special"]]
        top = largest(rows, n, answers)
        parts = [most_common(top, n)] if top else []
        return " ".join(parts + special_sentences(question, rows))
