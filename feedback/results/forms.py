"""Forms for results: staff publishing controls (the filter is a plain GET form)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

PUBLISH_CHOICES = ("publish", "unpublish", "make_public", "withdraw_public")


class PublishForm(FlaskForm):
    change = HiddenField(validators=[AnyOf(PUBLISH_CHOICES)])
