"""Self-serve tracking: a family enters its reference (POST, so it stays out of addresses and
logs) and sees what happened since. Rate-limited per address so references cannot be guessed."""

from flask import Blueprint, render_template
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..extensions import limiter
from ..forms import STRIP
from . import services

bp = Blueprint("tracking", __name__)


class ReferenceForm(FlaskForm):
    reference = StringField("Your reference", description="It starts with FB-, for example FB-AB3DE5GH. It was on the page after you sent your answers.",
                            widget=GovTextInput(), filters=STRIP,
                            validators=[DataRequired(message="Enter your reference"),
                                        Length(max=40, message="Your reference must be 40 characters or fewer")])
    submit = SubmitField("Find what happened", widget=GovSubmitInput())


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def track():
    form = ReferenceForm()
    found = None
    if form.validate_on_submit():
        found = services.track(form.reference.data)
        if found is None:
            form.reference.errors = list(form.reference.errors) + [
                "We could not find that reference. Check it and try again"]
    return render_template("tracking/track.html", form=form, found=found)
