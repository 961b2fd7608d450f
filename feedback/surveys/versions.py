"""Staff pages for a wave's versions in other languages and in Easy Read (wording and
pictures), and the Easy Read review by co-design partners."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSelect, GovSubmitInput
from wtforms import BooleanField, FileField, SelectField, SubmitField

from ..errors import domain_errors
from ..extensions import db
from ..forms import ButtonForm, text_field
from ..models import EASY_READ, Question, Role, Survey
from ..security import role_required
from . import services, translations
from .kinds import kind_of

bp = Blueprint("versions", __name__, url_prefix="/manage/surveys")
review_bp = Blueprint("easy_read", __name__, url_prefix="/co-design")
staff_only = role_required(Role.STAFF)


def get_survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def get_language(language: str) -> str:
    if language not in translations.version_codes():
        abort(404)
    return language


def version_form(survey: Survey, language: str, head, rows, formdata=None):
    """A form with the English beside a box for each piece of wording in this version."""
    name = translations.version_name(language)

    class VersionForm(FlaskForm):
        title = text_field(_("Title in %(version)s", version=name), 200, _("Enter the title in %(version)s", version=name),
                           hint=_("In English: %(words)s", words=survey.title),
                           too_long_error=_("Title in %(version)s must be %%(max)d characters or fewer", version=name))
        purpose = text_field(_("Introduction in %(version)s (optional)", version=name), 5000,
                             hint=_("Shown on the start page"), area=True,
                             too_long_error=_("Introduction in %(version)s must be %%(max)d characters or fewer", version=name))
        submit = SubmitField(_("Save this version"), widget=GovSubmitInput())

    fields = []
    data = {"title": head.title if head else "", "purpose": head.purpose if head else ""}
    for number, question in enumerate(survey.questions, start=1):
        row = rows.get(question.id)
        entry = {"question": question, "number": number, "text": f"q{question.id}_text",
                 "hint": f"q{question.id}_hint", "options": []}
        setattr(VersionForm, entry["text"], text_field(
            _("Question %(number)s in %(version)s", number=number, version=name), 500,
            _("Enter question %(number)s in %(version)s", number=number, version=name),
            hint=_("In English: %(words)s", words=question.text),
            too_long_error=_("Question %(number)s in %(version)s must be %%(max)d characters or fewer", number=number, version=name)))
        setattr(VersionForm, entry["hint"], text_field(
            _("Hint for question %(number)s in %(version)s (optional)", number=number, version=name), 500,
            hint=_("In English: %(words)s", words=question.hint) if question.hint else "",
            too_long_error=_("The hint for question %(number)s in %(version)s must be %%(max)d characters or fewer",
                             number=number, version=name)))
        data[entry["text"]], data[entry["hint"]] = (row.text, row.hint) if row else ("", "")
        for index, (value, label) in enumerate(translations.choice_labels(question)):
            field_name = f"q{question.id}_o{index}"
            required = kind_of(question).own_options
            setattr(VersionForm, field_name, text_field(
                _("Answer ‘%(answer)s’ in %(version)s", answer=label, version=name) if required
                else _("Answer ‘%(answer)s’ in %(version)s (optional)", answer=label, version=name), 200,
                _("Enter the answer ‘%(answer)s’ in %(version)s", answer=label, version=name) if required else None,
                too_long_error=_("The answer ‘%(answer)s’ in %(version)s must be %%(max)d characters or fewer",
                                 answer=label, version=name)))
            data[field_name] = (row.option_labels or {}).get(value, "") if row else ""
            entry["options"].append((value, field_name))
        fields.append(entry)
    form = VersionForm(formdata=formdata, data=data) if formdata is not None else VersionForm(data=data)
    return form, fields


class PictureForm(FlaskForm):
    picture = FileField(_l("Picture (PNG or JPEG)"), widget=GovFileInput())
    alt = text_field(_l("Describe the picture for people who cannot see it"), 300,
                     _l("Describe the picture for people who cannot see it"),
                     too_long_error=_l("The description must be %(max)d characters or fewer"))
    option = SelectField(_l("What the picture is for"), widget=GovSelect(), validate_choice=True)
    submit = SubmitField(_l("Add the picture"), widget=GovSubmitInput())


def picture_form(question: Question, formdata=None) -> PictureForm:
    form = PictureForm(formdata=formdata, prefix=f"q{question.id}") if formdata is not None else PictureForm(
        prefix=f"q{question.id}")
    form.option.choices = [("", _("The question"))] + [
        (value, _("The answer ‘%(answer)s’", answer=label)) for value, label in translations.choice_labels(question)]
    return form


@bp.route("/<int:survey_id>/versions")
@staff_only
def index(survey_id: int):
    survey = get_survey(survey_id)
    return render_template("surveys/versions.html", survey=survey, versions=translations.status(survey),
                           reviews=translations.reviews(survey))


@bp.route("/<int:survey_id>/versions/<language>", methods=["GET", "POST"])
@staff_only
def edit(survey_id: int, language: str):
    survey = get_survey(survey_id)
    language = get_language(language)
    head, rows = translations.version_rows(survey, language)
    form, fields = version_form(survey, language, head, rows, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        questions = {
            entry["question"].id: {"text": form[entry["text"]].data, "hint": form[entry["hint"]].data or "",
                                   "options": {value: form[name].data or "" for value, name in entry["options"]}}
            for entry in fields
        }
        with domain_errors(translations.TranslationError, field=form.title, message=services.said):
            translations.save_version(survey, language, form.title.data, form.purpose.data or "", questions, current_user)
            flash(_("The %(version)s version is saved.", version=translations.version_name(language)), "success")
            return redirect(url_for("versions.edit", survey_id=survey.id, language=language))
    pictures = {entry["question"].id: picture_form(entry["question"]) for entry in fields} if language == EASY_READ else {}
    return render_template("surveys/version_form.html", survey=survey, form=form, fields=fields, rows=rows,
                           language=language, name=translations.version_name(language), pictures=pictures,
                           suggestions=translations.suggestions_for(survey, language), button=ButtonForm(),
                           lang=translations.version_lang(language)), 200 if request.method == "GET" or not form.errors else 400


@bp.route("/<int:survey_id>/versions/easy-read/questions/<int:question_id>/picture", methods=["POST"])
@staff_only
def add_picture(survey_id: int, question_id: int):
    survey = get_survey(survey_id)
    question = db.get_or_404(Question, question_id)
    if question.survey_id != survey.id:
        abort(404)
    form = picture_form(question, request.form)
    if form.validate_on_submit():
        upload = request.files.get(form.picture.name)
        with domain_errors(translations.PictureError, category="error", message=services.said):
            translations.set_picture(survey, question, form.option.data or None, upload.read() if upload else b"",
                                     form.alt.data, current_user)
            flash(_("The picture is added."), "success")
    else:
        flash(next(iter(form.errors.values()))[0] if form.errors else _("The picture was not added."), "error")
    return redirect(url_for("versions.edit", survey_id=survey.id, language=EASY_READ))


class ReviewForm(FlaskForm):
    body = text_field(_l("Your comments on the Easy Read version"), 2000, area=True,
                      too_long_error=_l("Your comments must be %(max)d characters or fewer"))
    signed_off = BooleanField(_l("Our group signs off the Easy Read version"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Send"), widget=GovSubmitInput())


@review_bp.route("/<int:survey_id>/easy-read", methods=["GET", "POST"])
@login_required
def review(survey_id: int):
    """Co-design partners (the Youth Forum especially) read the Easy Read version, comment
    on it and sign it off for their group."""
    survey = get_survey(survey_id)
    if not services.can_co_design(current_user, survey):
        abort(403)
    head, rows = translations.version_rows(survey, EASY_READ)
    form = ReviewForm()
    if form.validate_on_submit():
        if not form.body.data and not form.signed_off.data:
            form.body.errors.append(_("Write a comment or sign off the Easy Read version"))
        else:
            organisation = next((m.organisation_id for m in current_user.memberships
                                 if m.organisation_id in {p.organisation_id for p in survey.partners}), None)
            translations.add_review(survey, current_user, organisation, form.body.data or "", form.signed_off.data)
            flash(_("Thank you: your review of the Easy Read version is sent."), "success")
            return redirect(url_for("easy_read.review", survey_id=survey.id))
    return render_template("surveys/easy_read_review.html", survey=survey, head=head, rows=rows, form=form,
                           reviews=translations.reviews(survey))


# Co-design partners suggest a version's wording (staff decide on the version's page)


class TranslationSuggestionForm(FlaskForm):
    suggested_text = text_field(_l("Your suggested wording"), 500, _l("Enter your suggested wording"), area=True)
    reason = text_field(_l("Anything the council team should know (optional)"), 1000, area=True)
    submit = SubmitField(_l("Send the suggestion"), widget=GovSubmitInput())


def partner_survey(survey_id: int) -> Survey:
    survey = get_survey(survey_id)
    if not services.can_co_design(current_user, survey):
        abort(403)
    return survey


@review_bp.route("/<int:survey_id>/versions/<language>")
@login_required
def translation(survey_id: int, language: str):
    """A version's wording beside the English, for partners to suggest better words."""
    survey = partner_survey(survey_id)
    language = get_language(language)
    return render_template("co_design/version.html", survey=survey, language=language,
                           name=translations.version_name(language), lang=translations.version_lang(language),
                           parts=translations.version_parts(survey, language),
                           suggestions=translations.suggestions_for(survey, language))


@review_bp.route("/<int:survey_id>/versions/<language>/suggest", methods=["GET", "POST"])
@login_required
def suggest_translation(survey_id: int, language: str):
    survey = partner_survey(survey_id)
    language = get_language(language)
    part = translations.find_part(survey, language, request.args.get("part", ""), request.args.get("question", type=int))
    if part is None:
        abort(404)
    form = TranslationSuggestionForm()
    if request.method == "GET" and part["now"]:
        form.suggested_text.data = part["now"]
    if form.validate_on_submit():
        with domain_errors(translations.TranslationError, field=form.suggested_text, message=services.said):
            translations.suggest_translation(survey, current_user, language, part, form.suggested_text.data,
                                             form.reason.data or "")
            flash(_("Thank you. Your suggested wording has been sent to the council team."), "success")
            return redirect(url_for("easy_read.translation", survey_id=survey.id, language=language))
    return render_template("co_design/suggest_translation.html", survey=survey, language=language, part=part,
                           name=translations.version_name(language), lang=translations.version_lang(language),
                           form=form), 200 if not form.errors else 400
