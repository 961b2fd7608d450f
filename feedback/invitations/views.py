"""Invitation lists (staff), invitation and unsubscribe links (families), and the consented
contact list ("Keep in touch")."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import domain_errors
from ..extensions import db, limiter
from ..forms import ButtonForm
from ..models import ContactAudience, ResponseStatus, Role, Survey
from ..responses import services as responses
from ..responses.views import begin, closed_page, survey_and_response
from ..security import role_required
from ..surveys.services import accepting_responses
from . import services
from .forms import LeaveForm, SignUpForm, UploadForm, WhoForm

bp = Blueprint("invitations", __name__)
staff_only = role_required(Role.STAFF)


def get_survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


# Staff: the wave's list


@bp.route("/manage/surveys/<int:survey_id>/invitations", methods=["GET", "POST"])
@staff_only
def manage(survey_id: int):
    survey = get_survey(survey_id)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        with domain_errors(services.InvitationError, field=form.contacts):
            report = services.upload_list(survey, form.contacts.data.read())
    return render_template("invitations/manage.html", survey=survey, form=form, report=report,
                           summary=services.summary(survey), button=ButtonForm(),
                           sending=services.sending_status(survey),
                           open_to_answers=accepting_responses(survey),
                           closed=survey.status in services.CLOSED_STATUSES,
                           contacts=sum(services.contact_counts().values()))


def _step(survey_id: int, action):
    survey = get_survey(survey_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with domain_errors(services.InvitationError, category="error"):
        flash(*action(survey))
    return redirect(url_for("invitations.manage", survey_id=survey_id))


@bp.route("/manage/surveys/<int:survey_id>/invitations/contact-list", methods=["POST"])
@staff_only
def add_contacts(survey_id: int):
    return _step(survey_id, lambda survey: (
        _("%(count)s people from the contact list added.", count=services.add_contact_list(survey)), "success"))


def _queued(survey, reminder: bool) -> tuple[str, str]:
    count = services.queue_sending(survey, reminder)
    what = _("reminders") if reminder else _("invitations")
    return _("%(count)s %(what)s are being sent. How far it has got is shown below.", count=count, what=what), "success"


@bp.route("/manage/surveys/<int:survey_id>/invitations/send", methods=["POST"])
@staff_only
def send(survey_id: int):
    return _step(survey_id, lambda survey: _queued(survey, reminder=False))


@bp.route("/manage/surveys/<int:survey_id>/invitations/remind", methods=["POST"])
@staff_only
def remind(survey_id: int):
    return _step(survey_id, lambda survey: _queued(survey, reminder=True))


# Families: the link in an invitation


@bp.route("/i/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def invited(token: str):
    """GET only shows the survey (mail scanners follow links); the link is used by the POST
    of 'Start now', which marks it used before the response is started."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render_template("invitations/link_not_found.html"), 404
    survey = db.session.get(Survey, invitation.survey_id)
    if not accepting_responses(survey):
        return closed_page(survey)
    if invitation.used_on is not None:
        return render_template("invitations/link_used.html", survey=survey), 410
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if not services.use_invitation(token):
            return render_template("invitations/link_used.html", survey=survey), 410
        existing = survey_and_response(survey.slug)[1]
        if existing is not None and existing.status == ResponseStatus.IN_PROGRESS:
            return begin(survey, existing)
        try:
            response = responses.start_response(survey)
        except responses.SurveyClosed:
            return closed_page(survey)
        return begin(survey, response)
    return render_template("invitations/invited.html", survey=survey, form=form)


@bp.route("/unsubscribe/<any(i, c):kind>/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def unsubscribe(kind: str, token: str):
    """One click on the button: no more messages. GET asks (so a mail scanner following the
    link changes nothing)."""
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        services.unsubscribe(kind, token)
        return render_template("invitations/unsubscribed.html", kind=kind)
    row = services.find_for_unsubscribe(kind, token)
    if row is None:
        # The list was deleted (the wave closed) or the person already left: nothing is held.
        return render_template("invitations/unsubscribed.html", kind=kind, nothing_held=True)
    return render_template("invitations/unsubscribe.html", kind=kind, form=form)


# The contact list


@bp.route("/keep-in-touch", methods=["GET", "POST"])
def keep_in_touch():
    form = WhoForm()
    if form.validate_on_submit():
        return redirect(url_for("invitations.sign_up", audience=form.audience.data))
    return render_template("invitations/keep_in_touch.html", form=form)


@bp.route("/keep-in-touch/<any(parent_carer, young_person):audience>", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def sign_up(audience: str):
    form = SignUpForm()
    consent = services.consent_text(audience)
    form.consent.label.text = consent
    if form.validate_on_submit():
        with domain_errors(services.notify.NotifyError, field=form.email):
            services.sign_up(audience, form.email.data, form.mobile.data, form.wants_surveys.data,
                             form.wants_results.data)
            return redirect(url_for("invitations.check_messages", audience=audience))
    return render_template("invitations/sign_up.html", form=form, audience=audience,
                           young=audience == ContactAudience.YOUNG_PERSON)


@bp.route("/keep-in-touch/<any(parent_carer, young_person):audience>/check")
def check_messages(audience: str):
    return render_template("invitations/check_messages.html", young=audience == ContactAudience.YOUNG_PERSON)


@bp.route("/keep-in-touch/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def confirm_contact(token: str):
    contact = services.find_pending(token)
    if contact is None:
        return render_template("invitations/link_not_found.html"), 404
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        services.confirm(token)
        return render_template("invitations/confirmed.html",
                               leave=services.unsubscribe_link("c", contact.id, contact.nonce))
    return render_template("invitations/confirm.html", form=form)


@bp.route("/keep-in-touch/leave", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def leave():
    form = LeaveForm()
    if form.validate_on_submit():
        services.leave_list(form.email.data, form.mobile.data)
        return render_template("invitations/unsubscribed.html", kind="c")
    return render_template("invitations/leave.html", form=form)
