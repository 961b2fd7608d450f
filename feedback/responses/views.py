"""Answering a survey: start page, question pages, about you, check answers, submit,
confirmation, and save and resume. No account needed."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..forms import ButtonForm
from ..models import Response, ResponseStatus, Role, Survey, SurveyStatus
from ..security import role_required
from ..surveys.kinds import kind_of
from ..surveys.services import accepting_responses, credited_partners
from ..templating import add_nav_item
from . import contact, services
from . import demo  # noqa: F401  (registers the demo contact requests with seed-demo)
from .forms import AboutYouForm, ContactForm, ResumeForm, SaveForm, StartForm, SubmitForm, page_form
from .rendering import cached_page

bp = Blueprint("responses", __name__)
add_nav_item("Contact requests", "responses.contact_requests", roles=(Role.STAFF,), prefix="/manage/contact-requests")
PUBLIC_STATUSES = (SurveyStatus.OPEN, SurveyStatus.CLOSED)


def get_public_survey(slug: str) -> Survey:
    survey = db.session.scalar(select(Survey).where(Survey.slug == slug))
    if survey is None or survey.status not in PUBLIC_STATUSES:
        abort(404)
    return survey


def begin(survey: Survey, response: Response):
    """Remember the response in this browser's session and go to the first page."""
    responses = session.get("responses", {})
    responses[survey.slug] = response.id
    session["responses"] = responses
    plan = services.page_plan(survey, services.answers_by_question(response))
    if not plan:
        return redirect(url_for("responses.check", slug=survey.slug))
    return redirect(url_for("responses.page", slug=survey.slug, number=plan[0].number))


def closed_page(survey: Survey):
    return render_template("responses/closed.html", survey=survey), 410


def survey_and_response(slug: str) -> tuple[Survey, Response | None]:
    """The public survey and this browser's response to it, read together in one query."""
    response_id = session.get("responses", {}).get(slug)
    if response_id:
        row = db.session.execute(
            select(Survey, Response).join(Response, Response.survey_id == Survey.id)
            .where(Survey.slug == slug, Response.id == response_id)
        ).first()
        if row is not None:
            if row.Survey.status not in PUBLIC_STATUSES:
                abort(404)
            return row.Survey, row.Response
    return get_public_survey(slug), None


def in_progress_or_redirect(slug: str):
    """(survey, response) for an answer page, or a response to return instead."""
    survey, response = survey_and_response(slug)
    if response is None:
        return survey, None, redirect(url_for("responses.start", slug=slug))
    if response.status == ResponseStatus.SUBMITTED:
        return survey, response, redirect(url_for("responses.confirmation", slug=slug))
    if not accepting_responses(survey):
        return survey, response, closed_page(survey)
    return survey, response, None


@bp.route("/s/<code>")
def short_link(code: str):
    survey = db.session.scalar(select(Survey).where(Survey.short_code == code.lower()))
    if survey is None or survey.status not in PUBLIC_STATUSES:
        abort(404)
    return redirect(url_for("responses.start", slug=survey.slug))


@bp.route("/surveys/<slug>", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def start(slug: str):
    survey, existing = survey_and_response(slug)
    form = StartForm()
    if not accepting_responses(survey):
        return closed_page(survey)
    if form.validate_on_submit():
        if form.website.data:
            # Looks like a bot: show the same next step without storing anything.
            return redirect(url_for("responses.start", slug=slug))
        if existing is not None and existing.status == ResponseStatus.IN_PROGRESS:
            return begin(survey, existing)
        try:
            response = services.start_response(survey)
        except services.SurveyClosed:
            return closed_page(survey)
        return begin(survey, response)
    pages = len(services.page_plan(survey, {}))
    partners = credited_partners(survey)
    continuing = existing is not None and existing.status == ResponseStatus.IN_PROGRESS

    def show():
        return render_template("responses/start.html", survey=survey, form=form, pages=pages,
                               partners=partners, continuing=continuing)

    if request.method == "GET":
        return cached_page(("start", survey.id, survey.updated_at, pages, tuple(partners), continuing), show)
    return show()


def neighbours(plan, number):
    """(this page's index in the plan, the page before it or None)."""
    numbers = [p.number for p in plan]
    index = numbers.index(number)
    return index, numbers[index - 1] if index > 0 else None


@bp.route("/surveys/<slug>/pages/<int:number>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def page(slug: str, number: int):
    survey, response, early = in_progress_or_redirect(slug)
    if early:
        return early
    answers = services.answers_by_question(response)
    plan = services.page_plan(survey, answers)
    current = next((p for p in plan if p.number == number), None)
    if current is None:
        # Routing skips this page now: go to the next one that applies.
        later = [p.number for p in plan if p.number > number]
        if later:
            return redirect(url_for("responses.page", slug=slug, number=later[0]))
        return redirect(url_for("responses.about_you", slug=slug))
    changing = request.args.get("change") == "1"
    index, previous = neighbours(plan, number)
    back = (url_for("responses.check", slug=slug) if changing else
            url_for("responses.page", slug=slug, number=previous) if previous else
            url_for("responses.start", slug=slug))

    def show(form):
        return render_template(
            "responses/page.html", survey=survey, form=form, questions=current.questions, number=number,
            position=index + 1, total=len(plan), back=back, response=response,
            has_free_text=any(q.kind == "free_text" for q in current.questions),
        )

    if request.method == "GET":
        shown = tuple((q.id, tuple(answers.get(q.id, ()))) for q in current.questions)
        key = (survey.id, survey.updated_at, number, shown, index, len(plan), back, response.channel)
        return cached_page(key, lambda: show(page_form(current.questions, {
            f"q{q.id}": kind_of(q).to_data(q, answers.get(q.id, [])) for q in current.questions})))
    form = page_form(current.questions)
    if not form.validate_on_submit():
        return show(form)
    entered = {q.id: form[f"q{q.id}"].data for q in current.questions}
    questions = services.survey_questions(survey)  # before the commit, which expires `survey`
    try:
        answers = services.save_page(response, current.questions, entered, answers)
    except services.SurveyClosed:
        return closed_page(survey)
    if request.form.get("save"):
        return saved_page(survey, response)
    plan = services.plan_pages(questions, answers)
    following = [p.number for p in plan if p.number > number]
    if changing and not services.missing_required(response) and response.about_you_done:
        return redirect(url_for("responses.check", slug=slug))
    if following:
        return redirect(url_for("responses.page", slug=slug, number=following[0], **({"change": 1} if changing else {})))
    return redirect(url_for("responses.about_you", slug=slug))


@bp.route("/surveys/<slug>/about-you", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def about_you(slug: str):
    survey, response, early = in_progress_or_redirect(slug)
    if early:
        return early
    form = AboutYouForm(obj=response if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_about_you(response, form.respondent_type.data, form.locality.data,
                                form.child_age_band.data, form.consent_to_quote.data)
        return redirect(url_for("responses.check", slug=slug))
    plan = services.page_plan(survey, services.answers_by_question(response))
    back = url_for("responses.page", slug=slug, number=plan[-1].number) if plan else url_for("responses.start", slug=slug)
    if request.args.get("change") == "1":
        back = url_for("responses.check", slug=slug)
    return render_template("responses/about_you.html", survey=survey, form=form, back=back)


@bp.route("/surveys/<slug>/check")
def check(slug: str):
    survey, response, early = in_progress_or_redirect(slug)
    if early:
        return early
    answers = services.answers_by_question(response)
    plan = services.page_plan(survey, answers)
    rows = [
        (page.number, question, kind_of(question).display(question, answers.get(question.id, [])))
        for page in plan for question in page.questions
    ]
    return render_template(
        "responses/check.html", survey=survey, rows=rows, response=response, form=SubmitForm(),
        missing=services.missing_required(response), respondent_types=services.RESPONDENT_TYPES,
        back=url_for("responses.about_you", slug=slug),
    )


@bp.route("/surveys/<slug>/submit", methods=["POST"])
@limiter.limit("20 per minute")
def submit(slug: str):
    survey, response = survey_and_response(slug)
    form = SubmitForm()
    if response is None:
        return redirect(url_for("responses.start", slug=slug))
    if not form.validate_on_submit():
        return redirect(url_for("responses.check", slug=slug))
    if response.status == ResponseStatus.IN_PROGRESS and services.missing_required(response):
        return redirect(url_for("responses.check", slug=slug))
    try:
        services.submit_response(response.id)
    except services.SurveyClosed:
        return closed_page(survey)
    # Redirect after POST: a refresh shows the confirmation, never a second submission.
    return redirect(url_for("responses.confirmation", slug=slug))


@bp.route("/surveys/<slug>/confirmation")
def confirmation(slug: str):
    survey, response = submitted_response(slug)
    if response is None:
        return redirect(url_for("responses.start", slug=slug))
    assisted = current_user.is_authenticated and current_user.is_staff and response.entered_by_id is not None
    # Help at the point of disclosure: the stored flags, or the check run now if analysis has
    # not reached this response yet.
    from ..comments.services import response_disclosed_harm

    return render_template("responses/confirmation.html", survey=survey, response=response, assisted=assisted,
                           help_needed=response_disclosed_harm(response.id),
                           help=current_app.config["SAFEGUARDING_HELP"])


def submitted_response(slug: str):
    """(survey, response) for this browser's submitted response, or (survey, None)."""
    survey, response = survey_and_response(slug)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return survey, None
    return survey, response


def _contact_sent(response) -> bool:
    """Deduct from the rate limit only for a request actually stored (a redirect), so families
    at one event sharing an address are not locked out by each other's typing mistakes."""
    return response.status_code == 302


@bp.route("/surveys/<slug>/contact", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"], deduct_when=_contact_sent)
def contact_me(slug: str):
    survey, response = submitted_response(slug)
    if response is None:
        return redirect(url_for("responses.start", slug=slug))
    if response.id in session.get("contact_requested", []):
        return render_template("responses/contact_sent.html", survey=survey)
    form = ContactForm()
    if form.validate_on_submit():
        contact.request_contact(survey, response, form.name.data, form.email.data, form.phone.data,
                                form.about.data, form.share_answers.data)
        session["contact_requested"] = [*session.get("contact_requested", []), response.id]
        return redirect(url_for("responses.contact_me", slug=slug))
    return render_template("responses/contact.html", survey=survey, form=form)


@bp.route("/manage/contact-requests")
@role_required(Role.STAFF)
def contact_requests():
    waiting, done = contact.contact_requests(current_user)
    return render_template("responses/contact_requests.html", waiting=waiting, done=done, form=ButtonForm())


@bp.route("/manage/contact-requests/<int:request_id>/contacted", methods=["POST"])
@role_required(Role.STAFF)
def contacted(request_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if contact.mark_contacted(request_id, current_user) is None:
        abort(404)
    flash("The request is marked as contacted.", "success")
    return redirect(url_for("responses.contact_requests"))


@bp.route("/manage/contact-requests/<int:request_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def delete_contact_request(request_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not contact.delete_request(request_id, current_user):
        abort(404)
    flash("The request and the family's contact details are deleted.", "success")
    return redirect(url_for("responses.contact_requests"))


@bp.route("/surveys/<slug>/save", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def save(slug: str):
    survey, response, early = in_progress_or_redirect(slug)
    if early:
        return early
    form = SaveForm()
    if form.validate_on_submit():
        return saved_page(survey, response)
    return render_template("responses/save.html", survey=survey, form=form,
                           days=current_app.config.get("RESUME_DAYS", 90))


def saved_page(survey: Survey, response: Response):
    code, days = services.issue_resume_code(response)
    link = url_for("responses.resume_link", code=code, _external=True)
    return render_template("responses/saved.html", survey=survey, code=code, days=days, link=link)


def resume_with(code: str):
    response = services.find_by_resume_code(code)
    return begin(response.survey, response)


@bp.route("/resume", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        try:
            return resume_with(form.code.data)
        except services.SurveyClosed as error:
            form.code.errors.append(str(error))
        except services.ResumeCodeNotFound as error:
            form.code.errors.append(str(error))
    return render_template("responses/resume.html", form=form)


@bp.route("/resume/<code>")
@limiter.limit("10 per minute;50 per hour")
def resume_link(code: str):
    try:
        return resume_with(code)
    except services.ResponseError as error:
        form = ResumeForm(formdata=None, code=code)
        form.code.errors = [str(error)]
        return render_template("responses/resume.html", form=form), 404
