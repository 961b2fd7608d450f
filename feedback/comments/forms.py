"""Forms for correcting analyses and editing the theme taxonomy."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovSubmitInput
from wtforms import BooleanField, RadioField, SelectField, SubmitField

from ..forms import text_field
from ..widgets import GovRadioInput

SENTIMENT_CHOICES = [("negative", "Negative"), ("neutral", "Neutral"), ("positive", "Positive")]


def split_terms(text: str | None) -> list[str]:
    return [term.strip().lower() for term in (text or "").replace("\n", ",").split(",") if term.strip()]


class ThemeForm(FlaskForm):
    name = text_field("Name", 120, "Enter a name for the theme")
    description = text_field("Description", 1000, "Describe the theme in a sentence", area=True)
    keywords = text_field("Keywords", 4000, hint="Separate with commas. Word endings are matched too: ‘reply’ finds ‘replied’.", area=True)
    phrases = text_field("Phrases", 4000, hint="Separate with commas, for example ‘no reply’, ‘passed around’", area=True)
    active = BooleanField("Use this theme when analysing comments", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save theme", widget=GovSubmitInput())

    def theme_fields(self) -> dict:
        return {"name": self.name.data, "description": self.description.data,
                "keywords": split_terms(self.keywords.data), "phrases": split_terms(self.phrases.data),
                "active": self.active.data}


class SentimentForm(FlaskForm):
    label = RadioField("Sentiment", choices=SENTIMENT_CHOICES, widget=GovRadioInput())
    submit = SubmitField("Correct sentiment", widget=GovSubmitInput())


class AddThemeForm(FlaskForm):
    theme = SelectField("Add a theme", coerce=int, widget=GovSelect())
    submit = SubmitField("Add theme", widget=GovSubmitInput())


class PromoteForm(FlaskForm):
    name = text_field("Name for the new theme", 120, "Enter a name for the theme")
    description = text_field("Description", 1000, "Describe the theme in a sentence", area=True)
    keywords = text_field("Keywords", 4000, "Give at least one keyword", area=True)
    submit = SubmitField("Add to the taxonomy", widget=GovSubmitInput())


class NameForm(FlaskForm):
    name = text_field("Name to remove from comments", 120, "Enter a name",
                      "For example, a school or a member of staff. It becomes [name] wherever it appears.")
    submit = SubmitField("Add name", widget=GovSubmitInput())


class RedactFragmentForm(FlaskForm):
    fragment = text_field("Words to remove from this comment", 200, "Enter the words to remove",
                          "Copy them exactly as they appear above. They become [removed] here, and stay removed when the comment is analysed again.")
    submit = SubmitField("Remove these words", widget=GovSubmitInput())
