"""“You said, we did”: the public list and pages, and staff pages to record actions."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import domain_errors
from ..extensions import db
from ..models import Action, ActionStatus, Role
from ..security import role_required
from . import services
from .forms import ProgressUpdateForm, YouSaidWeDidForm

bp = Blueprint("actions", __name__, url_prefix="/you-said-we-did")
staff_only = role_required(Role.STAFF)


@bp.route("/")
def index():
    status = request.args.get("status", "")
    return render_template("actions/index.html", actions=services.list_actions(status), status=status,
                           statuses=list(ActionStatus), today=date.today())


@bp.route("/<int:action_id>")
def action(action_id: int):
    found = db.get_or_404(Action, action_id)
    return render_template("actions/action.html", action=found, ideas=services.linked_ideas(found),
                           overdue=found.is_overdue(date.today()))


def _choices(form: YouSaidWeDidForm):
    form.surveys.choices = [(s.id, f"{s.title} ({s.wave_label})") for s in services.survey_choices()]
    form.themes.choices = [(t.id, t.name) for t in services.theme_choices()]
    form.ideas.choices = [(i.id, i.public_title) for i in services.linkable_ideas()]


def _save(form: YouSaidWeDidForm, found: Action | None):
    with domain_errors(services.ActionError, field=lambda error: form[error.field]):
        saved = services.save_action(
            current_user, found, you_said=form.you_said.data, we_did=form.we_did.data, due_on=form.due_on.data,
            status=form.status.data, survey_ids=form.surveys.data or [], theme_ids=form.themes.data or [],
            idea_ids=form.ideas.data or [], owner=form.owner.data or "", published_in=form.published_in.data or "",
            reason=form.reason.data or "",
        )
        flash(_("Action saved. It is on the public “You said, we did” page."), "success")
        return redirect(url_for("actions.action", action_id=saved.id))
    return None


def _save_or_show(form: YouSaidWeDidForm, found: Action | None):
    """Save a sent form (a new action when `found` is None) and go to the action's page, or
    show the form again, with what was wrong by the field."""
    if form.validate_on_submit():
        done = _save(form, found)
        if done is not None:
            return done
    return render_template("actions/form.html", form=form, action=found)


@bp.route("/new", methods=["GET", "POST"])
@staff_only
def new():
    form = YouSaidWeDidForm()
    _choices(form)
    if request.method == "GET":
        form.surveys.data = request.args.getlist("survey_id", type=int)
        form.themes.data = request.args.getlist("theme_id", type=int)
    return _save_or_show(form, None)


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@staff_only
def edit(action_id: int):
    found = db.get_or_404(Action, action_id)
    form = YouSaidWeDidForm(obj=found)
    _choices(form)
    form.status.choices = [(s.value, _(s.label)) for s in found.next_statuses()]
    if request.method == "GET":
        form.reason.data = found.not_possible_reason
        form.surveys.data, form.themes.data = [s.id for s in found.surveys], [t.id for t in found.themes]
        form.ideas.data = [i.id for i in services.linked_ideas(found, visible_only=False)]
    return _save_or_show(form, found)


@bp.route("/<int:action_id>/updates/new", methods=["GET", "POST"])
@staff_only
def update(action_id: int):
    found = db.get_or_404(Action, action_id)
    form = ProgressUpdateForm()
    form.status.choices = [(s.value, _(s.label)) for s in found.next_statuses()]
    if request.method == "GET":
        form.status.data = found.status
    if form.validate_on_submit():
        with domain_errors(services.ActionError, field=lambda error: form[error.field]):
            services.post_update(current_user, found, status=form.status.data, text=form.text.data,
                                 happened_on=form.happened_on.data)
            flash(_("Progress update posted."), "success")
            return redirect(url_for("actions.action", action_id=found.id))
    return render_template("actions/update.html", form=form, action=found)
