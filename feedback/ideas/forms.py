"""Forms for putting forward, discussing, moderating and answering ideas."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from ..analysis.themes import SEED_TAXONOMY
from ..forms import text_field
from ..models.ideas import OTHER_CATEGORY, IdeaStatus
from ..text import N_
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
        _l("Give your idea a short title"), TITLE_MAX, _l("Give your idea a title"),
        hint=_l("For example: Quiet rooms in every secondary school"),
        too_long_error=_l("The title must be %(max)d characters or fewer"),
    )
    body = text_field(
        _l("What is your idea, and why does it matter?"), BODY_MAX, _l("Tell us what your idea is"),
        hint=_l("Say what you would like to change and who it would help. "
                "Do not put your full name, address or phone number."), area=True,
        too_long_error=_l("Your idea must be %(max)d characters or fewer"),
    )
    category = choice(
        _l("What is your idea about?"), _l("Choose what your idea is about"), [(name, name) for name in CATEGORIES]
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ChangeIdeaForm(IdeaForm):
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class CommentForm(FlaskForm):
    body = text_field(
        _l("Add a comment"), COMMENT_MAX, _l("Write your comment"),
        hint=_l("Be kind. Do not share anyone's name, address or phone number."), area=True,
        too_long_error=_l("Your comment must be %(max)d characters or fewer"),
    )
    submit = SubmitField(_l("Add comment"), widget=GovSubmitInput())


# Kept in English: the reason is stored with the report for staff (see ReportForm for the labels shown).
REPORT_REASONS = [
    ("unkind", N_("It is unkind or rude")),
    ("unsafe", N_("Someone might not be safe")),
    ("personal", N_("It shares someone's personal details")),
    ("other", N_("Something else")),
]


class ReportForm(FlaskForm):
    reason = choice(_l("What is wrong?"), _l("Choose what is wrong"),
                    [(key, _l(label)) for key, label in REPORT_REASONS])
    details = text_field(_l("Tell us more (optional)"), REASON_MAX, area=True,
                         too_long_error=_l("This must be %(max)d characters or fewer"))
    submit = SubmitField(_l("Send report"), widget=GovSubmitInput())


class RemoveForm(FlaskForm):
    reason = text_field(
        _l("Why is it being removed?"), REASON_MAX, _l("Enter why it is being removed"),
        hint=_l("The person who wrote it will see this. Be kind and say what they could do instead."),
        area=True, too_long_error=_l("The reason must be %(max)d characters or fewer"),
    )
    submit = SubmitField(_l("Remove"), widget=GovSubmitInput())


class RespondForm(FlaskForm):
    status = choice(_l("What is happening with this idea?"), _l("Choose what is happening with this idea"))  # see set_choices
    text = text_field(
        _l("Your update"), UPDATE_MAX, _l("Write your update"),
        hint=_l("Everyone who can see the idea will read this. Use plain words and say what happens next."),
        area=True, too_long_error=_l("The update must be %(max)d characters or fewer"),
    )
    submit = SubmitField(_l("Publish update"), widget=GovSubmitInput())

    def set_choices(self, statuses):
        self.status.choices = [(s.value, _(IdeaStatus(s).label)) for s in statuses]
