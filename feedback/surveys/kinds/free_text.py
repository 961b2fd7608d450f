"""Free text: analysed for sentiment and themes, redacted, checked for safeguarding."""

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ...forms import STRIP
from .base import DEFAULT_TEXT_LIMIT, NoSettings, QuestionKind, label
from ...text import N_


class FreeText(QuestionKind):
    name, label = "free_text", N_("Free text")
    whole_answer_is_text = True

    class Settings(NoSettings):
        PARAMS = {"max_length": {"classes": "govuk-input--width-5", "inputmode": "numeric"}}
        max_length = IntegerField(_l("Most characters allowed (optional)"), widget=GovTextInput(),
                                  description=_l("If you leave this empty, the most is %(most)s", most=DEFAULT_TEXT_LIMIT),
                                  validators=[Optional(), NumberRange(min=10, max=5000,
                                                                      message=_l("Between 10 and 5000 characters"))])

    def required_message(self, question):
        return _l("Enter your answer to ‘%(question)s’", question=question.text)

    def limit(self, question) -> int:
        return question.max_length or DEFAULT_TEXT_LIMIT

    def field_params(self, question, heading):
        return {"label": label(question, heading), "maxlength": self.limit(question), "rows": 6}

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
