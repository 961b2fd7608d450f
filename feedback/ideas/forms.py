"""Forms for putting forward, discussing, moderating and answering ideas."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..analysis.themes import SEED_TAXONOMY
from ..forms import ButtonForm as ConfirmForm  # noqa: F401  (used by this feature's views)
from ..models.ideas import OTHER_CATEGORY, IdeaStatus
from ..widgets import GovRadioInput

TITLE_MAX = 100
BODY_MAX = 2000
COMMENT_MAX = 1000
REASON_MAX = 500
UPDATE_MAX = 2000

CATEGORIES = [theme.name for theme in SEED_TAXONOMY] + [OTHER_CATEGORY]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def written(label, limit, too_long, required="", hint="", short=False):
    """Words someone types, stripped and limited to `limit` characters; `too_long` starts
    the error for more ("Your idea"), `required` is the error for none (optional if empty).
    DataRequired checks the stripped value, so a field of spaces counts as empty."""
    validators = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=limit, message=f"{too_long} must be {limit} characters or fewer"))
    field_class, widget = (StringField, GovTextInput()) if short else (TextAreaField, GovTextArea())
    return field_class(label, widget=widget, description=hint, filters=[strip], validators=validators)


def choice(label, required, choices=None):
    """One of a list of radios; `required` is the error when none is chosen."""
    return RadioField(label, widget=GovRadioInput(), choices=choices, validators=[InputRequired(message=required)])


class IdeaForm(FlaskForm):
    title = written(
        "Give your idea a short title", TITLE_MAX, "The title", required="Give your idea a title",
        hint="For example: Quiet rooms in every secondary school", short=True,
    )
    body = written(
        "What is your idea, and why does it matter?", BODY_MAX, "Your idea", required="Tell us what your idea is",
        hint="Say what you would like to change and who it would help. "
        "Do not put your full name, address or phone number.",
    )
    category = choice(
        "What is your idea about?", "Choose what your idea is about", [(name, name) for name in CATEGORIES]
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChangeIdeaForm(IdeaForm):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = written(
        "Add a comment", COMMENT_MAX, "Your comment", required="Write your comment",
        hint="Be kind. Do not share anyone's name, address or phone number.",
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())


REPORT_REASONS = [
    ("unkind", "It is unkind or rude"),
    ("unsafe", "Someone might not be safe"),
    ("personal", "It shares someone's personal details"),
    ("other", "Something else"),
]


class ReportForm(FlaskForm):
    reason = choice("What is wrong?", "Choose what is wrong", REPORT_REASONS)
    details = written("Tell us more (optional)", REASON_MAX, "This")
    submit = SubmitField("Send report", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = written(
        "Why is it being removed?", REASON_MAX, "The reason", required="Enter why it is being removed",
        hint="The person who wrote it will see this. Be kind and say what they could do instead.",
    )
    submit = SubmitField("Remove", widget=GovSubmitInput())


class RespondForm(FlaskForm):
    status = choice("What is happening with this idea?", "Choose what is happening with this idea")  # see set_choices
    text = written(
        "Your update", UPDATE_MAX, "The update", required="Write your update",
        hint="Everyone who can see the idea will read this. Use plain words and say what happens next.",
    )
    submit = SubmitField("Publish update", widget=GovSubmitInput())

    def set_choices(self, statuses):
        self.status.choices = [(s.value, IdeaStatus(s).label) for s in statuses]
