"""Co-design for partner groups: preview the draft as families will see it, comment,
suggest wording, and sign off for the group."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import CoDesignPartner, DesignComment, Membership, Survey, WordingSuggestion
from ..templating import add_nav_item
from . import services, translations
from ..forms import ButtonForm
from .forms import NEW_OPTION, CommentForm, OptionSuggestionForm, SuggestionForm
from .kinds import kind_of
from .views import get_question, refused


def analyse_design_comment(comment: DesignComment) -> None:
    """Co-design comments go through the same analysis as every free text (a partner may
    disclose something too); the comment is already saved, so a failure here loses nothing."""
    from ..comments.services import TextSource, analyse_sources

    names = (comment.author.display_name,) if comment.author and comment.author.display_name else ()
    analyse_sources([TextSource("design_comment", comment.id, comment.body, survey_id=comment.survey_id,
                                question_id=comment.question_id, names=names)])
    db.session.commit()

bp = Blueprint("co_design", __name__, url_prefix="/co-design")
add_nav_item("Co-design", "co_design.index", roles=("forum_member", "youth_member"), prefix="/co-design")


def get_survey_for_partner(survey_id: int) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if not services.can_co_design(current_user, survey):
        abort(403)
    return survey


@bp.route("/")
@login_required
def index():
    organisation_ids = [m.organisation_id for m in current_user.memberships]
    surveys = db.session.scalars(
        select(Survey).join(CoDesignPartner).where(CoDesignPartner.organisation_id.in_(organisation_ids))
        .order_by(Survey.updated_at.desc()).distinct()
    ).all()
    return render_template("co_design/index.html", surveys=surveys)


def preview_fields(survey: Survey):
    """Each question's answer field, rendered exactly as families will see it."""
    from flask_wtf import FlaskForm

    class Preview(FlaskForm):
        class Meta:
            csrf = False

    for question in survey.questions:
        setattr(Preview, f"q{question.id}", kind_of(question).field(question))
    form = Preview(formdata=None)
    return {question.id: form[f"q{question.id}"] for question in survey.questions}


def preview_versions(survey: Survey) -> list[dict]:
    """The versions whose whole journey partners can preview: English, and every language or
    Easy Read version staff have started (an unfinished one shows English where it has no wording)."""
    versions = [{"code": "en", "name": "English", "complete": True}]
    return versions + [{"code": v["code"], "name": v["name"], "complete": v["complete"]}
                       for v in translations.status(survey) if v["done"]]


@bp.route("/<int:survey_id>")
@login_required
def survey(survey_id: int):
    survey = get_survey_for_partner(survey_id)
    my_partner_orgs = services.partner_organisations_of(current_user, survey)
    can_sign = [
        p for p in survey.partners
        if p.organisation in my_partner_orgs and current_user.leads(p.organisation)
    ]
    comments = db.session.scalars(
        select(DesignComment).where(DesignComment.survey_id == survey.id, DesignComment.parent_id.is_(None))
        .order_by(DesignComment.created_at)
    ).all()
    suggestions = db.session.scalars(
        select(WordingSuggestion).where(WordingSuggestion.survey_id == survey.id).order_by(WordingSuggestion.created_at)
    ).all()
    pages = {}
    for question in survey.questions:
        pages.setdefault(question.page, []).append(question)
    return render_template(
        "co_design/survey.html", survey=survey, pages=sorted(pages.items()), fields=preview_fields(survey),
        comments=comments, suggestions=suggestions, can_sign=can_sign, button_form=ButtonForm(),
        open_for_co_design=survey.is_editable, routing=services.describe_routing(survey),
        numbers=services.question_numbers(survey),
        versions=[(code, translations.version_name(code)) for code in translations.version_codes()],
        option_questions={q.id for q in survey.questions if kind_of(q).own_options},
        journey=preview_versions(survey),
    )


@bp.route("/<int:survey_id>/comments", methods=["GET", "POST"])
@login_required
def comment(survey_id: int):
    survey = get_survey_for_partner(survey_id)
    question_id = request.args.get("question", type=int)
    question = get_question(survey, question_id) if question_id else None
    parent_id = request.args.get("reply_to", type=int)
    parent = db.get_or_404(DesignComment, parent_id) if parent_id else None
    if parent is not None and parent.survey_id != survey.id:
        abort(404)
    form = CommentForm()
    if form.validate_on_submit():
        with refused():
            analyse_design_comment(services.add_comment(survey, current_user, form.body.data, question=question,
                                                        parent=parent))
            flash(_("Comment added."), "success")
        return redirect(back_to(survey) + "#comments")
    return render_template("co_design/comment.html", form=form, survey=survey, question=question, parent=parent)


@bp.route("/<int:survey_id>/comments/<int:comment_id>/resolve", methods=["POST"])
@login_required
def resolve(survey_id: int, comment_id: int):
    survey = get_survey_for_partner(survey_id)
    comment = db.get_or_404(DesignComment, comment_id)
    if comment.survey_id != survey.id or not ButtonForm().validate_on_submit():
        abort(400)
    if not (current_user.is_staff or comment.author_id == current_user.id):
        abort(403)
    services.resolve_comment(comment, current_user)
    flash(_("Comment marked as resolved."), "success")
    return redirect(back_to(survey) + "#comments")


@bp.route("/<int:survey_id>/questions/<int:question_id>/suggest", methods=["GET", "POST"])
@login_required
def suggest(survey_id: int, question_id: int):
    survey = get_survey_for_partner(survey_id)
    question = get_question(survey, question_id)
    form = SuggestionForm()
    if request.method == "GET":
        form.suggested_text.data = question.text
    if form.validate_on_submit():
        with refused():
            services.suggest_wording(survey, current_user, question, form.suggested_text.data, form.reason.data or "")
            flash(_("Thank you. Your suggested wording has been sent to the council team."), "success")
        return redirect(url_for("co_design.survey", survey_id=survey.id) + "#suggestions")
    return render_template("co_design/suggest.html", form=form, survey=survey, question=question)


@bp.route("/<int:survey_id>/questions/<int:question_id>/suggest-option", methods=["GET", "POST"])
@login_required
def suggest_option(survey_id: int, question_id: int):
    """Propose new wording for one of a question's options, or a new option."""
    survey = get_survey_for_partner(survey_id)
    question = get_question(survey, question_id)
    if not kind_of(question).own_options:
        abort(404)
    form = OptionSuggestionForm()
    form.option.choices = [(option, option) for option in question.options] + [(NEW_OPTION, _("A new option"))]
    if request.method == "GET" and request.args.get("option") in question.options:
        form.option.data = form.suggested_text.data = request.args["option"]
    if form.validate_on_submit():
        option = None if form.option.data == NEW_OPTION else form.option.data
        with refused(field=form.suggested_text):
            services.suggest_option(survey, current_user, question, option, form.suggested_text.data,
                                    form.reason.data or "")
            flash(_("Thank you. Your suggestion has been sent to the council team."), "success")
            return redirect(url_for("co_design.survey", survey_id=survey.id) + "#suggestions")
    return render_template("co_design/suggest_option.html", form=form, survey=survey, question=question)


@bp.route("/<int:survey_id>/sign-off/<int:organisation_id>", methods=["POST"])
@login_required
def sign_off(survey_id: int, organisation_id: int):
    survey = get_survey_for_partner(survey_id)
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == current_user.id, Membership.organisation_id == organisation_id))
    if membership is None or not ButtonForm().validate_on_submit():
        abort(403)
    with refused():
        try:
            services.sign_off(survey, current_user, membership.organisation)
        except services.NotPartnerLead:  # a SurveyError, but not a message: the step is refused
            abort(403)
        flash(_("You have signed off this survey for %(group)s.", group=membership.organisation.name), "success")
    return redirect(url_for("co_design.survey", survey_id=survey.id))


@bp.route("/<int:survey_id>/history")
@login_required
def history(survey_id: int):
    return render_template("surveys/history.html", survey=get_survey_for_partner(survey_id))


def back_to(survey: Survey) -> str:
    if current_user.is_staff:
        return url_for("surveys.overview", survey_id=survey.id)
    return url_for("co_design.survey", survey_id=survey.id)
