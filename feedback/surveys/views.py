"""Staff pages for building surveys, running co-design and the survey life cycle."""

import io

import segno
from flask import Blueprint, Response as HttpResponse, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from ..errors import domain_errors
from ..extensions import db
from ..forms import ButtonForm
from ..models import (
    BankQuestion,
    CoDesignPartner,
    DesignComment,
    Organisation,
    OrganisationKind,
    PageRoute,
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
from . import routing, services, translations
from .bank import ensure_question_bank
from .forms import (
    BankForm,
    ChannelForm,
    DeclineForm,
    OpenForm,
    PartnerForm,
    QuestionForm,
    RouteForm,
    SurveyForm,
    WaveForm,
)
from .forms import dimension_names
from .forms import question_form as builder_form
from .kinds import KINDS, kind_of
from .paper import render_paper_pdf

bp = Blueprint("surveys", __name__, url_prefix="/manage/surveys")
add_nav_item("Surveys", "surveys.index", roles=(Role.STAFF,), prefix="/manage")
staff_only = role_required(Role.STAFF)
PARTNER_KINDS = (OrganisationKind.PARENT_CARER_FORUM, OrganisationKind.PARENT_GROUP,
                 OrganisationKind.YOUTH_FORUM, OrganisationKind.HEALTH)


def get_survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


def of_survey(survey: Survey, model, item_id: int):
    """A question, route or suggestion of this survey, or 404."""
    item = db.get_or_404(model, item_id)
    if item.survey_id != survey.id:
        abort(404)
    return item


def get_question(survey: Survey, question_id: int) -> Question:
    return of_survey(survey, Question, question_id)


def to_overview(survey: Survey, done: str | None = None, anchor: str = ""):
    """Back to the survey's overview (at `anchor`), with `done` as a success message if given."""
    if done is not None:
        flash(str(done), "success")
    return redirect(url_for("surveys.overview", survey_id=survey.id) + anchor)


def refused(*kinds: type[Exception], field=None):
    """`domain_errors` for the survey pages: a refusal (a SurveyError unless `kinds` are given)
    rolls back and shows by `field`, or else as an error at the top of the next page (the view
    then goes to the overview), in the reader's language (the state machine's refusals are
    marked with N_ in the models)."""
    return domain_errors(*(kinds or (services.SurveyError,)), field=field, category="error",
                         message=services.said)


def fail(error: services.SurveyError, survey: Survey):
    """A step refused before it starts (a wrong id, an expired form): as `refused`, on the
    overview."""
    db.session.rollback()
    flash(services.said(error), "error")
    return to_overview(survey)


def button_step(survey: Survey, step, done: str | None = None, to: str | None = None, form=None,
                expired: str = _l("Your form expired. Try again."), refusals=()):
    """A POST that takes one step: the form's check (a ButtonForm's CSRF token unless `form` is
    given; `expired` is the refusal when it fails), then `step()`, then `done` (if any) as a
    success message and a redirect to `to` (the overview unless given). A refusal (a
    SurveyError, or one of `refusals`) is `refused`: its reason shows on the overview."""
    if not (form if form is not None else ButtonForm()).validate_on_submit():
        return fail(services.SurveyError(str(expired)), survey)
    with refused(*refusals):
        step()
        if to is None:
            return to_overview(survey, done)
        if done is not None:
            flash(str(done), "success")
        return redirect(to)
    return to_overview(survey)


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
        with refused(field=form.closes_on):
            survey = services.create_survey(current_user, **form.survey_fields())
            return to_overview(survey, _("Survey created. Add questions, then invite partner groups to co-design it."))
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
        routing=services.describe_routing(survey), dimension_names=dimension_names,
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
        with refused(field=form.title):
            services.update_survey(survey, current_user, **form.survey_fields())
            return to_overview(survey, _("Survey details saved."))
    return render_template("surveys/survey_form.html", form=form, survey=survey)


def routing_choices(survey: Survey, keep) -> list[tuple[str, str]]:
    """The answers routing may depend on: "<question id>:<value>" of the questions `keep` allows."""
    numbers = services.question_numbers(survey)
    return [(f"{question.id}:{value}", _("Question %(number)s, ‘%(question)s’: ‘%(answer)s’", number=numbers[question.id],
                                                     question=question.text, answer=label))
            for question in sorted(survey.questions, key=lambda q: q.position) if keep(question)
            for value, label in kind_of(question).answer_choices(question)]


def question_form(survey: Survey, question: Question | None) -> QuestionForm:
    """The builder: on GET the kind comes from ?kind= (or the question's own); on POST from the form."""
    if request.method == "GET":
        kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
        if question is not None:
            rule = routing.Rule.read(question.show_when)
            form = builder_form(question, kind=kind, show_if=routing.rule_choices(rule),
                                show_if_match=rule.match if rule else "all")
        else:
            form = builder_form(kind=kind)
            form.page.data = max((q.page for q in survey.questions), default=1)
    else:
        form = builder_form()
    form.show_if.choices = routing_choices(survey, lambda q: question is None or q.position < question.position)
    return form


def builder_page(form: QuestionForm, survey: Survey, question: Question | None):
    # Choosing the kind is its own step (a GET form), so only that kind's settings are shown.
    choosing = request.method == "GET" and bool(request.args.get("choose")) or form.chosen_kind() is None
    change_kind = url_for(request.endpoint, **request.view_args, kind=form.kind.data, choose=1)
    return render_template("surveys/question_form.html", form=form, survey=survey, question=question,
                           choosing=choosing, change_kind=change_kind)


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@staff_only
def add_question(survey_id: int):
    survey = get_survey(survey_id)
    form = question_form(survey, None)
    if form.validate_on_submit():
        with refused(field=form.show_if):  # a refused routing shows by its field
            services.add_question(survey, current_user, **form.question_fields())
            if request.form.get("another"):
                flash(_("Question added."), "success")
                return redirect(url_for("surveys.add_question", survey_id=survey.id))
            return to_overview(survey, _("Question added."), "#questions")
    return builder_page(form, survey, None)


@bp.route("/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_question(survey_id: int, question_id: int):
    survey = get_survey(survey_id)
    question = get_question(survey, question_id)
    form = question_form(survey, question)
    if form.validate_on_submit():
        with refused(field=form.show_if):
            services.update_question(question, current_user, **form.question_fields())
            return to_overview(survey, _("Question saved."), "#questions")
    return builder_page(form, survey, question)


@bp.route("/<int:survey_id>/questions/<int:question_id>/<any(up, down, delete):action>", methods=["POST"])
@staff_only
def change_question(survey_id: int, question_id: int, action: str):
    survey = get_survey(survey_id)
    question = get_question(survey, question_id)
    to = url_for("surveys.overview", survey_id=survey.id, _anchor="questions")
    if action == "delete":
        return button_step(survey, lambda: services.delete_question(question, current_user), _("Question removed."), to)
    return button_step(survey, lambda: services.move_question(question, current_user, -1 if action == "up" else 1),
                       to=to)


@bp.route("/<int:survey_id>/pages/<int:page>/routes", methods=["GET", "POST"])
@staff_only
def page_routes(survey_id: int, page: int):
    """Routing after one page: its routes in order, and a form to add one."""
    survey = get_survey(survey_id)
    pages = sorted({q.page for q in survey.questions})
    if page not in pages:
        abort(404)
    form = RouteForm()
    form.answers.choices = routing_choices(survey, lambda q: q.page <= page)
    form.goto.choices = [(str(n), _("Go to page %(page)s", page=n)) for n in pages if n > page] + [
        ("end", _("End the survey (go to check answers)"))]
    if survey.is_editable and form.validate_on_submit():
        with refused(services.SurveyError, routing.RoutingError, field=form.answers):
            services.add_route(survey, current_user, page, form.rule(), form.goto_page())
            flash(_("Route added."), "success")
            return redirect(url_for("surveys.page_routes", survey_id=survey.id, page=page))
    described = services.describe_routing(survey)
    routes = [(route, described.routes[route.id]) for route in survey.routes if route.page == page]
    return render_template("surveys/page_routes.html", survey=survey, page=page, form=form, routes=routes,
                           editable=survey.is_editable, button_form=ButtonForm())


@bp.route("/<int:survey_id>/routes/<int:route_id>/delete", methods=["POST"])
@staff_only
def delete_route(survey_id: int, route_id: int):
    survey = get_survey(survey_id)
    route = of_survey(survey, PageRoute, route_id)
    return button_step(survey, lambda: services.delete_route(route, current_user), _("Route removed."),
                       url_for("surveys.page_routes", survey_id=survey.id, page=route.page))


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
        with refused():
            for bank_id in form.questions.data:
                services.add_from_bank(survey, current_user, chosen[bank_id], form.page.data)
            return to_overview(survey, ngettext("%(num)d question added from the bank.",
                                                "%(num)d questions added from the bank.", len(form.questions.data)),
                               "#questions")
        return to_overview(survey)
    return render_template("surveys/bank.html", form=form, survey=survey)


@bp.route("/<int:survey_id>/partners", methods=["POST"])
@staff_only
def invite_partner(survey_id: int):
    survey = get_survey(survey_id)
    form = PartnerForm()
    form.organisation.choices = [(o.id, o.name) for o in db.session.scalars(select(Organisation))]
    if form.validate_on_submit():
        with refused():
            services.invite_partner(survey, current_user, db.session.get(Organisation, form.organisation.data))
            return to_overview(survey, _("Partner group invited to co-design."), "#partners")
        return to_overview(survey)
    flash(_("Select a group to invite."), "error")
    return to_overview(survey, anchor="#partners")


@bp.route("/<int:survey_id>/partners/<int:partner_id>/remove", methods=["POST"])
@staff_only
def remove_partner(survey_id: int, partner_id: int):
    survey = get_survey(survey_id)
    partner = db.get_or_404(CoDesignPartner, partner_id)
    refusal = _("That partner could not be removed")
    if partner.survey_id != survey.id:
        return fail(services.SurveyError(refusal), survey)
    return button_step(survey, lambda: services.remove_partner(survey, current_user, partner),
                       to=url_for("surveys.overview", survey_id=survey.id, _anchor="partners"), expired=refusal)


TRANSITIONS = {
    "co-design": (services.send_for_co_design, _l("Sent to partners for co-design.")),
    "close": (services.close_survey, _l("Survey closed.")),
    "archive": (services.archive_survey, _l("Survey archived.")),
}


@bp.route("/<int:survey_id>/<any('co-design', close, archive):transition>", methods=["POST"])
@staff_only
def change_status(survey_id: int, transition: str):
    survey = get_survey(survey_id)
    action, message = TRANSITIONS[transition]
    return button_step(survey, lambda: action(survey, current_user), message)


@bp.route("/<int:survey_id>/open", methods=["POST"])
@staff_only
def open_survey(survey_id: int):
    survey = get_survey(survey_id)
    form = OpenForm()
    return button_step(survey, lambda: services.open_survey(survey, current_user, form.override_reason.data or ""),
                       _("The survey is open. Share its link or QR code."), form=form,
                       expired=_("Check the reason: it must be 1000 characters or fewer"))


@bp.route("/<int:survey_id>/suggestions/<int:suggestion_id>/accept", methods=["POST"])
@staff_only
def accept_suggestion(survey_id: int, suggestion_id: int):
    survey = get_survey(survey_id)
    suggestion = of_survey(survey, WordingSuggestion, suggestion_id)
    if suggestion.language:
        accept, done = translations.accept_suggestion, _("Suggestion accepted: it is now the version's wording.")
        to = url_for("versions.edit", survey_id=survey.id, language=suggestion.language) + "#suggestions"
    else:
        accept, done = services.accept_suggestion, _("Suggestion accepted and the survey changed.")
        to = url_for("surveys.overview", survey_id=survey.id, _anchor="suggestions")
    return button_step(survey, lambda: accept(suggestion, current_user), done, to,
                       expired=_("That suggestion could not be accepted"),
                       refusals=(services.SurveyError, translations.TranslationError))


@bp.route("/<int:survey_id>/suggestions/<int:suggestion_id>/decline", methods=["GET", "POST"])
@staff_only
def decline_suggestion(survey_id: int, suggestion_id: int):
    survey = get_survey(survey_id)
    suggestion = db.get_or_404(WordingSuggestion, suggestion_id)
    if suggestion.survey_id != survey.id:
        return fail(services.SurveyError(_("That suggestion is not part of this survey")), survey)
    form = DeclineForm()
    if form.validate_on_submit():
        with refused():
            services.decline_suggestion(suggestion, current_user, form.reason.data)
            done = _("Suggestion declined. The group can see your reason.")
            if suggestion.language:
                flash(done, "success")
                return redirect(url_for("versions.edit", survey_id=survey.id, language=suggestion.language) + "#suggestions")
            return to_overview(survey, done, "#suggestions")
        return to_overview(survey)
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
        return to_overview(wave, _("New wave created with the same questions. Partners are asked to confirm it."))
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

        with refused(responses.ResponseError):
            return begin(survey, responses.start_response(survey, channel=form.channel.data, entered_by=current_user))
        return to_overview(survey)
    return render_template("surveys/assisted_entry.html", form=form, survey=survey)
