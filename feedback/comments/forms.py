"""Forms for correcting analyses and editing the theme taxonomy."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput
from wtforms import BooleanField, RadioField, SelectField, SubmitField

from ..forms import text_field
from ..widgets import GovRadioInput

SENTIMENT_CHOICES = [("negative", _l("Negative")), ("neutral", _l("Neutral")), ("positive", _l("Positive"))]


def split_terms(text: str | None) -> list[str]:
    return [term.strip().lower() for term in (text or "").replace("\n", ",").split(",") if term.strip()]


class ThemeForm(FlaskForm):
    name = text_field(_l("Name"), 120, _l("Enter a name for the theme"), too_long_error=_l("The name must be %(max)d characters or fewer"))
    description = text_field(_l("Description"), 1000, _l("Describe the theme in a sentence"), area=True, too_long_error=_l("The description must be %(max)d characters or fewer"))
    keywords = text_field(_l("Keywords"), 4000, hint=_l("Separate with commas. Word endings are matched too: ‘reply’ finds ‘replied’."), area=True, too_long_error=_l("The keywords must be %(max)d characters or fewer"))
    phrases = text_field(_l("Phrases"), 4000, hint=_l("Separate with commas, for example ‘no reply’, ‘passed around’"), area=True, too_long_error=_l("The phrases must be %(max)d characters or fewer"))
    active = BooleanField(_l("Use this theme when analysing comments"), widget=GovCheckboxInput(), default=True)
    submit = SubmitField(_l("Save theme"), widget=GovSubmitInput())

    def theme_fields(self) -> dict:
        return {"name": self.name.data, "description": self.description.data,
                "keywords": split_terms(self.keywords.data), "phrases": split_terms(self.phrases.data),
                "active": self.active.data}


class SentimentForm(FlaskForm):
    label = RadioField(_l("Sentiment"), choices=SENTIMENT_CHOICES, widget=GovRadioInput())
    submit = SubmitField(_l("Correct sentiment"), widget=GovSubmitInput())


class AddThemeForm(FlaskForm):
    theme = SelectField(_l("Add a theme"), coerce=int, widget=GovSelect())
    submit = SubmitField(_l("Add theme"), widget=GovSubmitInput())


class PromoteForm(FlaskForm):
    name = text_field(_l("Name for the new theme"), 120, _l("Enter a name for the theme"), too_long_error=_l("The name must be %(max)d characters or fewer"))
    description = text_field(_l("Description"), 1000, _l("Describe the theme in a sentence"), area=True, too_long_error=_l("The description must be %(max)d characters or fewer"))
    keywords = text_field(_l("Keywords"), 4000, _l("Give at least one keyword"), area=True, too_long_error=_l("The keywords must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Add to the taxonomy"), widget=GovSubmitInput())


class NameForm(FlaskForm):
    name = text_field(_l("Name to remove from comments"), 120, _l("Enter a name"),
                      _l("For example, a school or a member of staff. It becomes [name] wherever it appears."), too_long_error=_l("The name must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Add name"), widget=GovSubmitInput())


class RedactFragmentForm(FlaskForm):
    fragment = text_field(_l("Words to remove from this comment"), 200, _l("Enter the words to remove"),
                          _l("Copy them exactly as they appear above. They become [removed] here, and stay removed when the comment is analysed again."), too_long_error=_l("The words must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Remove these words"), widget=GovSubmitInput())
