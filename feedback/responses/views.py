"""Answering a survey: start page, question pages, about you, check answers, submit,
confirmation, and save and resume. No account needed."""

import secrets
from functools import lru_cache, wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import bindparam, select

from ..accounts.mail import Message, get_mailer
from ..extensions import db, limiter
from ..i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_DAYS, current_language
from ..forms import ButtonForm
from ..main.services import AUDIENCE_LABELS, closed_wave_links
from ..models import Answer, Channel, Response, ResponseStatus, Role, Survey, SurveyStatus
from ..security import role_required
from ..surveys.kinds import kind_of
from ..surveys.paper import paper_numbers
from ..surveys.services import accepting_responses, credited_partners
from ..surveys.translations import (
    available_versions, picture_for, version_lang, version_name, version_rows, version_title,
)
from ..templating import add_nav_item
from . import contact, marks, services
from .rendering import render_question_page
from .forms import AboutYouForm, ContactForm, EmailCodeForm, ResumeForm, SaveForm, StartForm, SubmitForm, page_form

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
    # This browser, for padding checks (marks.py keeps only a keyed hash of it).
    session.setdefault("device", secrets.token_urlsafe(16))
    plan = services.response_plan(survey, response, services.answers_by_question(response))
    if not plan:
        return redirect(url_for("responses.check", slug=survey.slug))
    # Back to where the family chose "Save and come back later", if that page still applies.
    if response.resume_page == services.ABOUT_YOU_PAGE:
        return redirect(url_for("responses.about_you", slug=survey.slug))
    if response.resume_page in {p.number for p in plan}:
        return redirect(url_for("responses.page", slug=survey.slug, number=response.resume_page))
    return redirect(url_for("responses.page", slug=survey.slug, number=plan[0].number))


def closed_page(survey: Survey):
    """410 for a wave not taking answers, with where to go next: the newer wave of its series
    that is open, and its results if they are public."""
    return render_template("responses/closed.html", survey=survey, **closed_wave_links(survey)), 410


@lru_cache(maxsize=2)
def _survey_response_query(with_answers: bool):
    """The statement read_survey_response runs, built once per process (its values are bound
    when it runs): building a statement costs more than running the cached compiled one."""
    query = (select(Survey, Response).join(Response, Response.survey_id == Survey.id)
             .where(Survey.slug == bindparam("slug"), Response.id == bindparam("response_id")))
    if with_answers:
        query = (query.add_columns(Response.updated_at.label("seen"), Answer.question_id, Answer.value, Answer.number)
                 .outerjoin(Answer, Answer.response_id == Response.id).order_by(Answer.id))
    return query


def read_survey_response(slug: str, with_answers: bool = False):
    """The public survey, this browser's response to it and (`with_answers`) the response's
    answers as services.answers_by_question gives them and the response's updated_at as
    this same query read it (for services.save_page), all read in one query."""
    response_id = session.get("responses", {}).get(slug)
    if response_id:
        rows = db.session.execute(_survey_response_query(with_answers),
                                  {"slug": slug, "response_id": response_id}).all()
        if rows:
            if rows[0].Survey.status not in PUBLIC_STATUSES:
                abort(404)
            answers: dict = {}
            for row in rows if with_answers else ():
                if row.question_id is not None:
                    answers.setdefault(row.question_id, []).append((row.value, row.number))
            return rows[0].Survey, rows[0].Response, answers, rows[0].seen if with_answers else None
    return get_public_survey(slug), None, {}, None


def survey_and_response(slug: str) -> tuple[Survey, Response | None]:
    """The public survey and this browser's response to it, read together in one query."""
    survey, response, _, _ = read_survey_response(slug)
    return survey, response


def not_answerable(slug: str, survey: Survey, response: Response | None):
    """Where to send this browser instead of an answer page, or None."""
    if response is None:
        return redirect(url_for("responses.start", slug=slug))
    if response.status == ResponseStatus.SUBMITTED:
        return redirect(url_for("responses.confirmation", slug=slug))
    if not accepting_responses(survey):
        return closed_page(survey)
    return None


def answering(view):
    """For a page of an unfinished response: the view is given the survey and this browser's
    response (`view(slug, survey, response)`), or the browser is sent where it belongs
    instead (not_answerable)."""

    @wraps(view)
    def wrapped(slug: str):
        survey, response = survey_and_response(slug)
        return not_answerable(slug, survey, response) or view(slug, survey, response)

    return wrapped


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
    if not accepting_responses(survey):
        return closed_page(survey)
    versions = available_versions(survey)
    continuing = existing is not None and existing.status == ResponseStatus.IN_PROGRESS
    # The version in the interface's language when the wave has one; else the one chosen before.
    preferred = existing.language if continuing else current_language()
    form = StartForm(version=preferred if preferred in versions else "en")
    form.version.choices = [(code, version_name(code)) for code in versions]
    if form.validate_on_submit():
        if form.website.data:
            # Looks like a bot: show the same next step without storing anything.
            return redirect(url_for("responses.start", slug=slug))
        version = form.version.data if len(versions) > 1 else "en"
        if continuing:
            services.choose_version(existing, version)
            return in_version(begin(survey, existing), version)
        try:
            response = services.start_response(survey, language=version)
        except services.SurveyClosed:
            return closed_page(survey)
        return in_version(begin(survey, response), version)
    pages = len(services.version_design(survey, form.version.data).plan({}))
    partners = credited_partners(survey)
    head = version_rows(survey, current_language())[0] if current_language() in versions[1:] else None

    return render_template("responses/start.html", survey=survey, form=form, pages=pages,
                           partners=partners, continuing=continuing, versions=versions,
                           version_items=[{"label": {"attributes": {"lang": version_lang(code)}}} for code in versions],
                           version_title=head.title if head else survey.title,
                           version_purpose=head.purpose if head and head.purpose else survey.purpose,
                           audience=AUDIENCE_LABELS.get(survey.audience, survey.audience))


def in_version(response, version: str):
    """Choosing a version in an interface language switches the interface to it too."""
    if version in current_app.config["LANGUAGES"] and version != current_language():
        response.set_cookie(LANGUAGE_COOKIE, version, max_age=LANGUAGE_COOKIE_DAYS * 86400, httponly=True,
                            samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def neighbours(plan, number):
    """(this page's index in the plan, the page before it or None)."""
    numbers = [p.number for p in plan]
    index = numbers.index(number)
    return index, numbers[index - 1] if index > 0 else None


@bp.route("/surveys/<slug>/pages/<int:number>", methods=["GET", "POST"])
@limiter.limit("120 per minute", methods=["POST"])
def page(slug: str, number: int):
    survey, response, answers, seen = read_survey_response(slug, with_answers=True)  # one query
    early = not_answerable(slug, survey, response)
    if early:
        return early
    # The version's questions, routes and title (one query for a version's stamp, none in English).
    design = services.version_design(survey, response.language)
    plan = design.plan(answers)
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
            url_for("surveys.overview", survey_id=survey.id) if response.channel != Channel.ONLINE else
            url_for("responses.start", slug=slug))

    def show(form):
        # Staff typing in a paper reply see the paper form's page and question numbers.
        paper = paper_numbers(services.survey_questions(survey)) if response.channel != Channel.ONLINE else {}
        return render_question_page(
            "responses/page.html", form=form, questions=current.questions, heading=len(current.questions) == 1,
            number=number, position=index + 1, total=len(plan), back=back, response=response, paper=paper,
            has_free_text=any(kind_of(q).has_free_text(q) for q in current.questions),
            content_lang=version_lang(response.language), survey_title=design.title or survey.title,
        )

    if request.method == "GET":
        return show(page_form(current.questions, {
            f"q{q.id}": kind_of(q).to_data(q, answers.get(q.id, [])) for q in current.questions}))
    form = page_form(current.questions)
    if not form.validate_on_submit():
        return show(form)
    entered = {q.id: kind_of(q).entered(q, form[f"q{q.id}"]) for q in current.questions}
    try:
        answers = services.save_page(response, current.questions, entered, answers, seen)
    except services.SurveyClosed:
        return closed_page(survey)
    except services.InvalidAnswer as error:  # the same checks as the fields': a second line
        form[f"q{error.question_id}"].errors = [str(error)]
        return show(form)
    if request.form.get("save") and response.channel == Channel.ONLINE:
        return save_and_show_code(survey, response, page=number)
    following = [p for p in design.plan(answers) if p.number > number]
    if changing:
        # A changed answer may route to questions not asked before: ask those next, then
        # back to check answers (answers routing now skips are left out when submitting).
        following = [p for p in following if any(q.id not in answers for q in p.questions)]
        if not following and response.about_you_done:
            return redirect(url_for("responses.check", slug=slug))
    if following:
        return redirect(url_for("responses.page", slug=slug, number=following[0].number,
                                **({"change": 1} if changing else {})))
    return redirect(url_for("responses.about_you", slug=slug))


@bp.route("/easy-read/pictures/<int:picture_id>")
def easy_read_picture(picture_id: int):
    """An Easy Read picture, with the type checked when it was uploaded; never sniffed."""
    picture = picture_for(picture_id, current_user)
    if picture is None:
        abort(404)
    response = current_app.response_class(picture.data, mimetype=picture.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="picture-{picture.id}.{picture.content_type.split("/")[1]}"'
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.set_etag(picture.sha256)
    return response.make_conditional(request)


@bp.route("/surveys/<slug>/about-you", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
@answering
def about_you(slug: str, survey: Survey, response: Response):
    form = AboutYouForm(obj=response if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_about_you(response, form.respondent_type.data, form.locality.data,
                                form.child_age_band.data, form.consent_to_quote.data)
        if request.form.get("save") and response.channel == Channel.ONLINE:
            return save_and_show_code(survey, response, page=services.ABOUT_YOU_PAGE)
        return redirect(url_for("responses.check", slug=slug))
    plan = services.response_plan(survey, response, services.answers_by_question(response))
    back = url_for("responses.page", slug=slug, number=plan[-1].number) if plan else url_for("responses.start", slug=slug)
    if request.args.get("change") == "1":
        back = url_for("responses.check", slug=slug)
    return render_template("responses/about_you.html", survey=survey, form=form, back=back,
                           can_save=response.channel == Channel.ONLINE)


@bp.route("/surveys/<slug>/check")
@answering
def check(slug: str, survey: Survey, response: Response):
    answers = services.answers_by_question(response)
    plan = services.response_plan(survey, response, answers)
    rows = [
        (page.number, question, kind_of(question).display(question, answers.get(question.id, [])))
        for page in plan for question in page.questions
    ]
    return render_template(
        "responses/check.html", survey=survey, rows=rows, response=response, form=SubmitForm(),
        survey_title=version_title(survey, response.language),
        missing=services.missing_required(response), respondent_types=services.RESPONDENT_TYPES,
        back=url_for("responses.about_you", slug=slug),
    )


def _survey_and_address() -> str:
    """Rate-limit key: one wave from one address (padding, docs/results.md)."""
    return f"submit:{(request.view_args or {}).get('slug', '')}:{get_remote_address()}"


def _survey() -> str:
    """Rate-limit key: one wave from anywhere."""
    return f"submit:{(request.view_args or {}).get('slug', '')}"


@bp.route("/surveys/<slug>/submit", methods=["POST"])
@limiter.limit("20 per minute")
@limiter.limit("30 per hour", key_func=_survey_and_address)
@limiter.limit("600 per hour", key_func=_survey)
def submit(slug: str):
    survey, response = survey_and_response(slug)
    form = SubmitForm()
    if response is None:
        return redirect(url_for("responses.start", slug=slug))
    if not form.validate_on_submit():
        return redirect(url_for("responses.check", slug=slug))
    if response.status == ResponseStatus.IN_PROGRESS and services.missing_required(response):
        return redirect(url_for("responses.check", slug=slug))
    first_submit = response.status == ResponseStatus.IN_PROGRESS
    online = response.channel == "online" and response.entered_by_id is None
    try:
        services.submit_response(response.id)
    except services.SurveyClosed:
        return closed_page(survey)
    if first_submit and online:
        marks.record_submission(survey, session.get("device"), request.remote_addr)
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
    flash(_("The request is marked as contacted."), "success")
    return redirect(url_for("responses.contact_requests"))


@bp.route("/manage/contact-requests/<int:request_id>/answers")
@role_required(Role.STAFF)
def shared_answers(request_id: int):
    found = contact.shared_answers(request_id, current_user)
    if found is None:
        abort(404)
    request_, rows = found
    return render_template("responses/shared_answers.html", item=request_, rows=rows)


@bp.route("/manage/contact-requests/<int:request_id>/delete", methods=["POST"])
@role_required(Role.STAFF)
def delete_contact_request(request_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not contact.delete_request(request_id, current_user):
        abort(404)
    flash(_("The request and the family's contact details are deleted."), "success")
    return redirect(url_for("responses.contact_requests"))


@bp.route("/surveys/<slug>/save", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@answering
def save(slug: str, survey: Survey, response: Response):
    if response.channel != Channel.ONLINE:
        # Staff entering a reply finish it now: a save code is for the family's own answers.
        return redirect(url_for("responses.check", slug=slug))
    form = SaveForm()
    if form.validate_on_submit():
        return save_and_show_code(survey, response)
    return render_template("responses/save.html", survey=survey, form=form,
                           days=current_app.config.get("RESUME_DAYS", 90))


def known_code(slug: str) -> str | None:
    """The code this browser was shown or typed for its response to this survey."""
    return session.get("resume_codes", {}).get(slug)


def remember_code(slug: str, code: str) -> None:
    session["resume_codes"] = {**session.get("resume_codes", {}), slug: services.tidy_code(code)}


def save_and_show_code(survey: Survey, response: Response, page: int | None = None):
    """Saving is POST-redirect-GET: reloading the page that shows the code shows the same
    code, and saving again keeps the code this browser already has. `page` is where the
    family was, so coming back with the code returns there."""
    code, _ = services.issue_resume_code(response, known_code(survey.slug), page=page)
    remember_code(survey.slug, code)
    return redirect(url_for("responses.saved", slug=survey.slug))


def mail_available() -> bool:
    return bool(current_app.config.get("MAIL_SERVER")) or "mailer" in current_app.extensions


@bp.route("/surveys/<slug>/saved")
@answering
def saved(slug: str, survey: Survey, response: Response):
    code = known_code(slug)
    if not services.code_is_current(response, code):
        return redirect(url_for("responses.save", slug=slug))
    return show_code(survey, code, EmailCodeForm())


def show_code(survey: Survey, code: str, form: EmailCodeForm, status: int = 200):
    link = url_for("responses.resume_link", code=code, _external=True)
    return render_template("responses/saved.html", survey=survey, code=code, link=link, form=form,
                           days=current_app.config.get("RESUME_DAYS", 90), can_email=mail_available()), status


def _this_response() -> str:
    """Rate-limit key: the response in this browser's session (so one family cannot send
    their code out many times, whatever address they are on)."""
    slug = (request.view_args or {}).get("slug", "")
    return f"resume-email:{session.get('responses', {}).get(slug)}"


@bp.route("/surveys/<slug>/saved/email", methods=["POST"])
@limiter.limit("10 per hour;30 per day")
@limiter.limit("3 per hour", key_func=_this_response)
@answering
def email_code(slug: str, survey: Survey, response: Response):
    code = known_code(slug)
    if not services.code_is_current(response, code) or not mail_available():
        return redirect(url_for("responses.save", slug=slug))
    form = EmailCodeForm()
    if not form.validate_on_submit():
        return show_code(survey, code, form)
    days = current_app.config.get("RESUME_DAYS", 90)
    # The address is used for this one message and kept nowhere: not in the database, the
    # session or the log.
    get_mailer().send(Message(
        to=form.email.data,
        subject=f"Your code to continue ‘{survey.title}’",
        body=f"Your code is {code}.\n\nTo carry on answering, go to "
             f"{url_for('responses.resume_link', code=code, _external=True)}\n"
             f"or go to the survey and choose \"I have a code to continue saved answers\".\n\n"
             f"Your answers are kept for {days} days after you last use them. Anyone with this code "
             "can see and change your answers, so do not pass this email on.",
    ))
    flash(_("We have sent the code to the email address you gave. We have not kept the address."), "success")
    return redirect(url_for("responses.saved", slug=slug))


def own_draft(survey: Survey, other: Response) -> bool:
    """Does this browser have its own unfinished answers to `survey`, other than `other`?"""
    mine = session.get("responses", {}).get(survey.slug)
    if not mine or mine == other.id:
        return False
    return db.session.scalar(select(Response.status).where(Response.id == mine)) == ResponseStatus.IN_PROGRESS


def resume_with(code: str):
    response = services.find_by_resume_code(code)
    remember_code(response.survey.slug, code)
    return begin(response.survey, response)


def confirm_resume(code: str, response: Response):
    """Say what continuing will do before this browser switches to the code's answers."""
    return render_template("responses/resume_confirm.html", survey=response.survey, form=ButtonForm(),
                           code=services.tidy_code(code),
                           replacing=own_draft(response.survey, response))


@bp.route("/resume", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def resume():
    form = ResumeForm()
    if form.validate_on_submit():
        try:
            response = services.peek_resume_code(form.code.data)
            if own_draft(response.survey, response):
                # Never replace this browser's own unfinished answers without asking.
                return confirm_resume(form.code.data, response)
            return resume_with(form.code.data)
        except services.ResponseError as error:
            form.code.errors.append(str(error))
    return render_template("responses/resume.html", form=form)


@bp.route("/resume/<code>", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour")
def resume_link(code: str):
    """A link with a code only shows what continuing will do; the browser switches to those
    answers on a POST from that page, so a link someone else sent cannot do it silently."""
    try:
        response = services.peek_resume_code(code)
        if request.method == "POST":
            if not ButtonForm().validate_on_submit():
                abort(400)
            return resume_with(code)
        return confirm_resume(code, response)
    except services.ResponseError as error:
        form = ResumeForm(formdata=None, code=code)
        form.code.errors = [str(error)]
        return render_template("responses/resume.html", form=form), 404
