"""Forms for Youth Forum consent and priority ballots (no JavaScript needed: ranking is one
drop-down per choice)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import STRIP
from ..models import AgeGroup


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class ConsentForm(FlaskForm):
    age_group = RadioField("How old are you?", choices=[(AgeGroup.THIRTEEN_OR_OVER.value, "13 or over"),
                                                         (AgeGroup.UNDER_THIRTEEN.value, "Under 13")],
                           widget=GovRadioInput(), validators=[DataRequired(message="Choose how old you are")])
    parent_email = StringField(
        "Your parent’s or carer’s email address", description="Only if you are under 13. We email them to ask if it is OK.",
        widget=GovTextInput(), filters=STRIP, validators=[Optional(), Length(max=254, message="Email address must be 254 characters or fewer")])
    agree = SelectMultipleField("Do you agree?", choices=[("yes", "I have read this and I want to take part")],
                                widget=GovCheckboxesInput(), validators=[DataRequired(message="Tick the box to say you agree")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ParentConsentForm(FlaskForm):
    agree = SelectMultipleField("Do you agree?", choices=[("yes", "I am their parent or carer and I agree")],
                                widget=GovCheckboxesInput(), validators=[DataRequired(message="Tick the box to say you agree")])
    submit = SubmitField("I agree", widget=GovSubmitInput())


class BallotForm(FlaskForm):
    title = StringField("What the ballot is called", description="For example: What should the council take up in 2027?",
                        widget=GovTextInput(), filters=STRIP,
                        validators=[DataRequired(message="Enter what the ballot is called"),
                                    Length(max=200, message="The name must be 200 characters or fewer")])
    ideas = SelectMultipleField("Ideas on the ballot", coerce=int, widget=GovCheckboxesInput(),
                                validators=[DataRequired(message="Choose at least 3 ideas")])
    submit = SubmitField("Open the ballot", widget=GovSubmitInput())


def vote_form(options, ranks: int):
    """One drop-down per choice: first, second, third…"""
    ordinals = ["first", "second", "third", "fourth", "fifth"]

    class VoteForm(FlaskForm):
        pass

    choices = [("", "Choose an idea")] + [(o.id, o.title) for o in options]
    for number in range(ranks):
        label = f"Your {ordinals[number]} choice"
        validators = [DataRequired(message="Choose your first choice")] if number == 0 else [Optional()]
        setattr(VoteForm, f"choice_{number + 1}", SelectField(
            label, choices=choices, coerce=optional_id, widget=GovSelect(), validators=validators,
            description="The idea that matters most to you" if number == 0 else "Optional"))
    VoteForm.submit = SubmitField("Send my vote", widget=GovSubmitInput())
    return VoteForm()
