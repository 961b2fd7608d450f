"""Forms for putting forward, discussing, moderating and answering ideas."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from ..analysis.themes import SEED_TAXONOMY
from ..forms import text_field
from ..models.ideas import OTHER_CATEGORY, IdeaStatus
from ..widgets import GovRadioInput

TITLE_MAX = 100
BODY_MAX = 2000
COMMENT_MAX = 1000
REASON_MAX = 500
UPDATE_MAX = 2000

CATEGORIES = [theme.name for theme in SEED_TAXONOMY] + [OTHER_CATEGORY]


def choice(label, required, choices=None):
    """One of a list of radios; `required` is the error when none is chosen."""
    return RadioField(label, widget=GovRadioInput(), choices=choices, validators=[InputRequired(message=required)])


class IdeaForm(FlaskForm):
    title = text_field(
        "Give your idea a short title", TITLE_MAX, "Give your idea a title",
        hint="For example: Quiet rooms in every secondary school", too_long="The title",
    )
    body = text_field(
        "What is your idea, and why does it matter?", BODY_MAX, "Tell us what your idea is",
        hint="Say what you would like to change and who it would help. "
        "Do not put your full name, address or phone number.", area=True, too_long="Your idea",
    )
    category = choice(
        "What is your idea about?", "Choose what your idea is about", [(name, name) for name in CATEGORIES]
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChangeIdeaForm(IdeaForm):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = text_field(
        "Add a comment", COMMENT_MAX, "Write your comment",
        hint="Be kind. Do not share anyone's name, address or phone number.", area=True, too_long="Your comment",
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
    details = text_field("Tell us more (optional)", REASON_MAX, area=True, too_long="This")
    submit = SubmitField("Send report", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = text_field(
        "Why is it being removed?", REASON_MAX, "Enter why it is being removed",
        hint="The person who wrote it will see this. Be kind and say what they could do instead.",
        area=True, too_long="The reason",
    )
    submit = SubmitField("Remove", widget=GovSubmitInput())


class RespondForm(FlaskForm):
    status = choice("What is happening with this idea?", "Choose what is happening with this idea")  # see set_choices
    text = text_field(
        "Your update", UPDATE_MAX, "Write your update",
        hint="Everyone who can see the idea will read this. Use plain words and say what happens next.",
        area=True, too_long="The update",
    )
    submit = SubmitField("Publish update", widget=GovSubmitInput())

    def set_choices(self, statuses):
        self.status.choices = [(s.value, IdeaStatus(s).label) for s in statuses]
