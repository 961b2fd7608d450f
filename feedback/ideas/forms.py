"""Forms for putting forward, discussing, moderating and answering ideas."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

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


class IdeaForm(FlaskForm):
    title = StringField(
        "Give your idea a short title",
        widget=GovTextInput(),
        description="For example: Quiet rooms in every secondary school",
        filters=[strip],
        validators=[
            InputRequired(message="Give your idea a title"),
            Length(max=TITLE_MAX, message=f"The title must be {TITLE_MAX} characters or fewer"),
        ],
    )
    body = TextAreaField(
        "What is your idea, and why does it matter?",
        widget=GovTextArea(),
        description="Say what you would like to change and who it would help. "
        "Do not put your full name, address or phone number.",
        filters=[strip],
        validators=[
            InputRequired(message="Tell us what your idea is"),
            Length(max=BODY_MAX, message=f"Your idea must be {BODY_MAX} characters or fewer"),
        ],
    )
    category = RadioField(
        "What is your idea about?",
        widget=GovRadioInput(),
        choices=[(name, name) for name in CATEGORIES],
        validators=[InputRequired(message="Choose what your idea is about")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChangeIdeaForm(IdeaForm):
    submit = SubmitField("Save changes", widget=GovSubmitInput())



class CommentForm(FlaskForm):
    body = TextAreaField(
        "Add a comment",
        widget=GovTextArea(),
        description="Be kind. Do not share anyone's name, address or phone number.",
        filters=[strip],
        validators=[
            InputRequired(message="Write your comment"),
            Length(max=COMMENT_MAX, message=f"Your comment must be {COMMENT_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Add comment", widget=GovSubmitInput())


REPORT_REASONS = [
    ("unkind", "It is unkind or rude"),
    ("unsafe", "Someone might not be safe"),
    ("personal", "It shares someone's personal details"),
    ("other", "Something else"),
]


class ReportForm(FlaskForm):
    reason = RadioField(
        "What is wrong?",
        widget=GovRadioInput(),
        choices=REPORT_REASONS,
        validators=[InputRequired(message="Choose what is wrong")],
    )
    details = TextAreaField(
        "Tell us more (optional)",
        widget=GovTextArea(),
        filters=[strip],
        validators=[Optional(), Length(max=REASON_MAX, message=f"This must be {REASON_MAX} characters or fewer")],
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = TextAreaField(
        "Why is it being removed?",
        widget=GovTextArea(),
        description="The person who wrote it will see this. Be kind and say what they could do instead.",
        filters=[strip],
        validators=[
            InputRequired(message="Enter why it is being removed"),
            Length(max=REASON_MAX, message=f"The reason must be {REASON_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Remove", widget=GovSubmitInput())


class RespondForm(FlaskForm):
    status = RadioField(
        "What is happening with this idea?",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose what is happening with this idea")],
    )
    text = TextAreaField(
        "Your update",
        widget=GovTextArea(),
        description="Everyone who can see the idea will read this. Use plain words and say what happens next.",
        filters=[strip],
        validators=[
            InputRequired(message="Write your update"),
            Length(max=UPDATE_MAX, message=f"The update must be {UPDATE_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Publish update", widget=GovSubmitInput())

    def set_choices(self, statuses):
        self.status.choices = [(s.value, IdeaStatus(s).label) for s in statuses]
