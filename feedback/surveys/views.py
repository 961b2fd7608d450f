"""Staff pages for building surveys, running co-design and the survey life cycle."""

import io

import segno
from flask import Blueprint, Response as HttpResponse, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..forms import ButtonForm
from ..models import (
    BankQuestion,
    CoDesignPartner,
    DesignComment,
    Organisation,
    OrganisationKind,
    Question,
    Response,
    ResponseStatus,
    Role,
    Survey,
    SurveyStatus,
    WordingSuggestion,
)
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .bank import ensure_question_bank
from .forms import (
    BankForm,
    ChannelForm,
    DeclineForm,
    OpenForm,
    PartnerForm,
    QuestionForm,
    SurveyForm,
    WaveForm,
)
from .kinds import KINDS, kind_of
from .paper import render_paper_pdf

bp = Blueprint("surveys", __name__, url_prefix="/manage/surveys")
add_nav_item("Surveys", "surveys.index", roles=(Role.STAFF,), prefix="/manage")
staff_only = role_required(Role.STAFF)
PARTNER_KINDS = (OrganisationKind.PARENT_CARER_FORUM, OrganisationKind.PARENT_GROUP,
                 OrganisationKind.YOUTH_FORUM, OrganisationKind.HEALTH)


def get_survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def get_question(survey: Survey, question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if question.survey_id != survey.id:
        abort(404)
    return question


def fail(error: services.SurveyError, survey: Survey):
    """A refused step: nothing it started is kept; its reason shows on the overview."""
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for("surveys.overview", survey_id=survey.id))


@bp.route("/")
@staff_only
def index():
    status = request.args.get("status", "")
    query = select(Survey).order_by(Survey.created_at.desc())
    if status in set(SurveyStatus):
        query = query.where(Survey.status == status)
    surveys = db.session.scalars(query).all()
    counts = dict(db.session.execute(
        select(Response.survey_id, func.count()).where(Response.status == ResponseStatus.SUBMITTED)
        .group_by(Response.survey_id)
    ).all())
    return render_template("surveys/index.html", surveys=surveys, counts=counts, status=status,
                           statuses=list(SurveyStatus))


@bp.route("/new", methods=["GET", "POST"])
@staff_only
def create():
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            survey = services.create_survey(current_user, **form.survey_fields())
        except services.SurveyError as error:
            form.closes_on.errors.append(str(error))
        else:
            flash("Survey created. Add questions, then invite partner groups to co-design it.", "success")
            return redirect(url_for("surveys.overview", survey_id=survey.id))
    return render_template("surveys/survey_form.html", form=form, survey=None)


@bp.route("/<int:survey_id>")
@staff_only
def overview(survey_id: int):
    survey = get_survey(survey_id)
    suggestions = db.session.scalars(
        select(WordingSuggestion).where(WordingSuggestion.survey_id == survey.id).order_by(WordingSuggestion.created_at)
    ).all()
    comments = db.session.scalars(
        select(DesignComment).where(DesignComment.survey_id == survey.id, DesignComment.parent_id.is_(None))
        .order_by(DesignComment.created_at)
    ).all()
    submitted = db.session.scalar(select(func.count()).select_from(Response).where(
        Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED))
    partner_form = PartnerForm()
    existing = {p.organisation_id for p in survey.partners}
    partner_form.organisation.choices = [
        (o.id, o.name) for o in db.session.scalars(
            select(Organisation).where(Organisation.kind.in_(PARTNER_KINDS)).order_by(Organisation.name))
        if o.id not in existing
    ]
    return render_template(
        "surveys/overview.html", survey=survey, kinds=KINDS, suggestions=suggestions, comments=comments,
        submitted=submitted, partner_form=partner_form, button_form=ButtonForm(), open_form=OpenForm(),
        accepting=services.accepting_responses(survey), editable=survey.is_editable,
    )


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(survey_id: int):
    survey = get_survey(survey_id)
    if request.method == "GET":
        form = SurveyForm(obj=survey, opens_on=survey.opens_at.date(), closes_on=survey.closes_at.date())
    else:
        form = SurveyForm()
    if form.validate_on_submit():
        try:
            services.update_survey(survey, current_user, **form.survey_fields())
        except services.SurveyError as error:
            form.title.errors.append(str(error))
        else:
            flash("Survey details saved.", "success")
            return redirect(url_for("surveys.overview", survey_id=survey.id))
    return render_template("surveys/survey_form.html", form=form, survey=survey)


def routing_choices(survey: Survey, exclude: Question | None = None):
    choices = [("", "Always show it")]
    for question in survey.questions:
        if exclude is not None and question.position >= exclude.position:
            continue
        for value, label in kind_of(question).answer_choices(question):
            choices.append((f"{question.id}:{value}", f"‘{question.text}’ is answered ‘{label}’"))
    return choices


def question_form(survey: Survey, question: Question | None) -> QuestionForm:
    if request.method == "GET" and question is not None:
        form = QuestionForm(obj=question, options="\n".join(question.options),
                            show_if=f"{question.show_if_question_id}:{question.show_if_value}"
                            if question.show_if_question_id else "")
    else:
        form = QuestionForm()
        if request.method == "GET":
            form.kind.data = request.args.get("kind") if request.args.get("kind") in KINDS else None
            form.page.data = max((q.page for q in survey.questions), default=1)
    form.show_if.choices = routing_choices(survey, question)
    return form


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@staff_only
def add_question(survey_id: int):
    survey = get_survey(survey_id)
    form = question_form(survey, None)
    if form.validate_on_submit():
        try:
            services.add_question(survey, current_user, **form.question_fields())
        except services.SurveyError as error:
            return fail(error, survey)
        flash("Question added.", "success")
        if request.form.get("another"):
            return redirect(url_for("surveys.add_question", survey_id=survey.id))
        return redirect(url_for("surveys.overview", survey_id=survey.id) + "#questions")
    return render_template("surveys/question_form.html", form=form, survey=survey, question=None)


@bp.route("/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_question(survey_id: int, question_id: int):
    survey = get_survey(survey_id)
    question = get_question(survey, question_id)
    form = question_form(survey, question)
    if form.validate_on_submit():
        try:
            services.update_question(question, current_user, **form.question_fields())
        except services.SurveyError as error:
            return fail(error, survey)
        flash("Question saved.", "success")
        return redirect(url_for("surveys.overview", survey_id=survey.id) + "#questions")
    return render_template("surveys/question_form.html", form=form, survey=survey, question=question)


@bp.route("/<int:survey_id>/questions/<int:question_id>/<any(up, down, delete):action>", methods=["POST"])
@staff_only
def change_question(survey_id: int, question_id: int, action: str):
    survey = get_survey(survey_id)
    question = get_question(survey, question_id)
    if not ButtonForm().validate_on_submit():
        return fail(services.SurveyError("Your form expired. Try again."), survey)
    try:
        if action == "delete":
            services.delete_question(question, current_user)
            flash("Question removed.", "success")
        else:
            services.move_question(question, current_user, -1 if action == "up" else 1)
    except services.SurveyError as error:
        return fail(error, survey)
    return redirect(url_for("surveys.overview", survey_id=survey.id) + "#questions")


@bp.route("/<int:survey_id>/bank", methods=["GET", "POST"])
@staff_only
def bank(survey_id: int):
    survey = get_survey(survey_id)
    ensure_question_bank()
    bank_questions = db.session.scalars(select(BankQuestion).order_by(BankQuestion.id)).all()
    form = BankForm()
    form.questions.choices = [(b.id, b.text) for b in bank_questions]
    if request.method == "GET":
        form.page.data = max((q.page for q in survey.questions), default=0) + 1
    if form.validate_on_submit():
        chosen = {b.id: b for b in bank_questions}
        try:
            for bank_id in form.questions.data:
                services.add_from_bank(survey, current_user, chosen[bank_id], form.page.data)
        except services.SurveyError as error:
            return fail(error, survey)
        flash(f"{len(form.questions.data)} questions added from the bank.", "success")
        return redirect(url_for("surveys.overview", survey_id=survey.id) + "#questions")
    return render_template("surveys/bank.html", form=form, survey=survey)


@bp.route("/<int:survey_id>/partners", methods=["POST"])
@staff_only
def invite_partner(survey_id: int):
    survey = get_survey(survey_id)
    form = PartnerForm()
    form.organisation.choices = [(o.id, o.name) for o in db.session.scalars(select(Organisation))]
    if form.validate_on_submit():
        try:
            services.invite_partner(survey, current_user, db.session.get(Organisation, form.organisation.data))
        except services.SurveyError as error:
            return fail(error, survey)
        flash("Partner group invited to co-design.", "success")
    else:
        flash("Select a group to invite.", "error")
    return redirect(url_for("surveys.overview", survey_id=survey.id) + "#partners")


@bp.route("/<int:survey_id>/partners/<int:partner_id>/remove", methods=["POST"])
@staff_only
def remove_partner(survey_id: int, partner_id: int):
    survey = get_survey(survey_id)
    partner = db.get_or_404(CoDesignPartner, partner_id)
    if partner.survey_id != survey.id or not ButtonForm().validate_on_submit():
        return fail(services.SurveyError("That partner could not be removed"), survey)
    try:
        services.remove_partner(survey, current_user, partner)
    except services.SurveyError as error:
        return fail(error, survey)
    return redirect(url_for("surveys.overview", survey_id=survey.id) + "#partners")


TRANSITIONS = {
    "co-design": (services.send_for_co_design, "Sent to partners for co-design."),
    "close": (services.close_survey, "Survey closed."),
    "archive": (services.archive_survey, "Survey archived."),
}


@bp.route("/<int:survey_id>/<any('co-design', close, archive):transition>", methods=["POST"])
@staff_only
def change_status(survey_id: int, transition: str):
    survey = get_survey(survey_id)
    if not ButtonForm().validate_on_submit():
        return fail(services.SurveyError("Your form expired. Try again."), survey)
    action, message = TRANSITIONS[transition]
    try:
        action(survey, current_user)
    except services.SurveyError as error:
        return fail(error, survey)
    flash(message, "success")
    return redirect(url_for("surveys.overview", survey_id=survey.id))


@bp.route("/<int:survey_id>/open", methods=["POST"])
@staff_only
def open_survey(survey_id: int):
    survey = get_survey(survey_id)
    form = OpenForm()
    if not form.validate_on_submit():
        return fail(services.SurveyError("Check the reason: it must be 1000 characters or fewer"), survey)
    try:
        services.open_survey(survey, current_user, form.override_reason.data or "")
    except services.SurveyError as error:
        return fail(error, survey)
    flash("The survey is open. Share its link or QR code.", "success")
    return redirect(url_for("surveys.overview", survey_id=survey.id))


@bp.route("/<int:survey_id>/suggestions/<int:suggestion_id>/accept", methods=["POST"])
@staff_only
def accept_suggestion(survey_id: int, suggestion_id: int):
    survey = get_survey(survey_id)
    suggestion = db.get_or_404(WordingSuggestion, suggestion_id)
    if suggestion.survey_id != survey.id or not ButtonForm().validate_on_submit():
        return fail(services.SurveyError("That suggestion could not be accepted"), survey)
    try:
        services.accept_suggestion(suggestion, current_user)
    except services.SurveyError as error:
        return fail(error, survey)
    flash("Suggestion accepted and the question reworded.", "success")
    return redirect(url_for("surveys.overview", survey_id=survey.id) + "#suggestions")


@bp.route("/<int:survey_id>/suggestions/<int:suggestion_id>/decline", methods=["GET", "POST"])
@staff_only
def decline_suggestion(survey_id: int, suggestion_id: int):
    survey = get_survey(survey_id)
    suggestion = db.get_or_404(WordingSuggestion, suggestion_id)
    if suggestion.survey_id != survey.id:
        return fail(services.SurveyError("That suggestion is not part of this survey"), survey)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline_suggestion(suggestion, current_user, form.reason.data)
        except services.SurveyError as error:
            return fail(error, survey)
        flash("Suggestion declined. The group can see your reason.", "success")
        return redirect(url_for("surveys.overview", survey_id=survey.id) + "#suggestions")
    return render_template("surveys/decline.html", form=form, survey=survey, suggestion=suggestion)


@bp.route("/<int:survey_id>/new-wave", methods=["GET", "POST"])
@staff_only
def new_wave(survey_id: int):
    survey = get_survey(survey_id)
    form = WaveForm()
    if form.validate_on_submit():
        from .forms import local_midnight

        wave = services.new_wave(survey, current_user, form.wave_label.data,
                                 local_midnight(form.opens_on.data), local_midnight(form.closes_on.data))
        flash("New wave created with the same questions. Partners are asked to confirm it.", "success")
        return redirect(url_for("surveys.overview", survey_id=wave.id))
    return render_template("surveys/new_wave.html", form=form, survey=survey)


@bp.route("/<int:survey_id>/history")
@staff_only
def history(survey_id: int):
    return render_template("surveys/history.html", survey=get_survey(survey_id))


@bp.route("/<int:survey_id>/qr.<any(png, svg):fmt>")
@staff_only
def qr_code(survey_id: int, fmt: str):
    survey = get_survey(survey_id)
    link = url_for("responses.short_link", code=survey.short_code, _external=True)
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind=fmt, scale=10 if fmt == "png" else 4, border=4)
    mimetype = "image/png" if fmt == "png" else "image/svg+xml"
    return HttpResponse(buffer.getvalue(), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{survey.slug}-qr.{fmt}"'})


@bp.route("/<int:survey_id>/paper.pdf")
@staff_only
def paper_pdf(survey_id: int):
    """The paper version to print or post; `?print=large` for large print."""
    from ..responses.services import survey_questions

    survey = get_survey(survey_id)
    large = request.args.get("print") == "large"
    pdf = render_paper_pdf(survey, survey_questions(survey), large_print=large)
    name = f"{survey.slug}{'-large-print' if large else ''}.pdf"
    return HttpResponse(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:survey_id>/enter", methods=["GET", "POST"])
@staff_only
def assisted_entry(survey_id: int):
    """Staff enter a reply given by phone, on paper or at an event, through the same questions."""
    survey = get_survey(survey_id)
    form = ChannelForm()
    if form.validate_on_submit():
        from ..responses import services as responses
        from ..responses.views import begin

        try:
            response = responses.start_response(survey, channel=form.channel.data, entered_by=current_user)
        except responses.ResponseError as error:
            return fail(services.SurveyError(str(error)), survey)
        return begin(survey, response)
    return render_template("surveys/assisted_entry.html", form=form, survey=survey)
