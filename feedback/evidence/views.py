"""Evidence pages: the co-production log (staff see every group's entries, forum and youth
members their own groups'), off-platform co-production, reach against the SEND population,
and the evidence pack as HTML and PDF (staff)."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import domain_errors
from ..extensions import db
from ..models import Activity, Lundy, Role, Stage, Survey
from ..security import role_required
from ..templating import add_nav_item
from . import local_offer, log, pack, reach
from .forms import ActivityForm, PackForm, ParticipationForm, cohort_form

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
add_nav_item("Evidence", "evidence.index", prefix="/evidence")
staff_only = role_required(Role.STAFF)


@bp.app_template_global()
def stage_label(value: str) -> str:
    return _(Stage(value).label)


@bp.app_template_global()
def lundy_labels(values: list[str]) -> str:
    return ", ".join(_(Lundy(v).label) for v in values)


@bp.route("/")
@login_required
def index():
    groups = log.visible_groups(current_user)
    return render_template("evidence/index.html", logs=log.survey_logs(groups), activities=log.activities(groups),
                           staff=groups is None)


@bp.route("/surveys/<int:survey_id>")
@login_required
def survey(survey_id: int):
    found = db.get_or_404(Survey, survey_id)
    if not log.can_view_survey_log(current_user, found):
        abort(403)
    return render_template("evidence/survey.html", log=log.survey_log(found, log.visible_groups(current_user)),
                           staff=current_user.is_staff)


@bp.route("/surveys/<int:survey_id>/stage", methods=["GET", "POST"])
@staff_only
def stage(survey_id: int):
    found = db.get_or_404(Survey, survey_id)
    current = log.survey_log(found)
    form = ParticipationForm()
    if request.method == "GET":
        form.stage.data, form.lundy.data, form.note.data = current.stage.value, [v.value for v in current.lundy], current.note
    if form.validate_on_submit():
        log.set_participation(current_user, found, stage=form.stage.data, lundy=form.lundy.data or [],
                              note=form.note.data or "")
        flash(_("Stage of participation saved."), "success")
        return redirect(url_for("evidence.survey", survey_id=found.id))
    return render_template("evidence/stage.html", form=form, survey=found)


def _activity_choices(form: ActivityForm):
    form.groups.choices = [(o.id, o.name) for o in log.group_choices()]
    form.survey.choices = [("", _("Not linked to a survey"))] + [
        (s.id, f"{s.title} ({s.wave_label})") for s in db.session.scalars(
            db.select(Survey).order_by(Survey.opens_at.desc(), Survey.title))]


def _activity_form(found: Activity | None):
    form = ActivityForm(obj=found)
    _activity_choices(form)
    if request.method == "GET" and found is not None:
        form.groups.data = [g.id for g in found.groups]
        form.survey.data = found.survey_id
    if form.validate_on_submit():
        with domain_errors(log.EvidenceError, field=lambda error: form[error.field or "groups"]):
            log.save_activity(current_user, found, title=form.title.data, happened_on=form.happened_on.data,
                              stage=form.stage.data, lundy=form.lundy.data or [], outcome=form.outcome.data,
                              group_ids=form.groups.data, survey_id=form.survey.data)
            flash(_("Co-production recorded. It is in the log and the evidence pack."), "success")
            return redirect(url_for("evidence.index"))
    return render_template("evidence/activity.html", form=form, activity=found)


@bp.route("/activities/new", methods=["GET", "POST"])
@staff_only
def new_activity():
    return _activity_form(None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_activity(activity_id: int):
    return _activity_form(db.get_or_404(Activity, activity_id))


@bp.route("/reach")
@staff_only
def reach_index():
    return render_template("evidence/reach_index.html", cohorts=reach.cohorts(), waves=reach.reach_waves(),
                           cohort_total=reach.cohort_total)


@bp.route("/cohorts/new", methods=["GET", "POST"])
@staff_only
def new_cohort():
    form = cohort_form()
    if form.validate_on_submit():
        with domain_errors(log.EvidenceError, field=lambda error: form[error.field or "locality_0"]):
            reach.save_cohort(current_user, name=form.name.data, source=form.source.data or "",
                              as_of=form.as_of.data, figures=form.figures())
            flash(_("Cohort saved. Reach is now measured against it."), "success")
            return redirect(url_for("evidence.reach_index"))
    return render_template("evidence/cohort.html", form=form, dimensions=reach.DIMENSIONS)


@bp.route("/reach/<int:survey_id>")
@login_required
def wave_reach(survey_id: int):
    found = db.get_or_404(Survey, survey_id)
    if not reach.can_view_reach(current_user, found):
        abort(403 if found.status in ("open", "closed", "archived") else 404)
    cohort = reach.latest_cohort()
    return render_template("evidence/reach.html", survey=found, cohort=cohort,
                           reach=reach.wave_reach(found, cohort) if cohort else None)


def _period(form: PackForm) -> tuple[date, date] | None:
    """The chosen period; a year to today when none is given; None when the dates are wrong."""
    if not request.args:
        today = date.today()
        return today - timedelta(days=365), today
    if not form.validate():
        return None
    if form.end.data < form.start.data:
        form.end.errors = list(form.end.errors) + [_("The end of the period must be on or after its start")]
        return None
    return form.start.data, form.end.data


@bp.route("/pack")
@staff_only
def pack_page():
    form = PackForm(request.args)
    period = _period(form)
    built = pack.build_pack(*period) if period else None
    if period and not request.args:
        form.start.data, form.end.data = period
    return render_template("evidence/pack.html", form=form, pack=built)


@bp.route("/pack.pdf")
@staff_only
def pack_pdf():
    form = PackForm(request.args)
    period = _period(form)
    if period is None:
        return redirect(url_for("evidence.pack_page", **request.args))
    document = pack.render_pack_pdf(pack.build_pack(*period))
    name = f"evidence-pack-{period[0].isoformat()}-to-{period[1].isoformat()}.pdf"
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _publication_year(year: int) -> int:
    if not 2000 <= year <= date.today().year:
        abort(404)
    return year


@bp.route("/local-offer/<int:year>")
def local_offer_page(year: int):
    """The annual Local Offer publication: public, like the "You said, we did" page."""
    return local_offer.render_publication_html(local_offer.build_publication(_publication_year(year)))


@bp.route("/local-offer/<int:year>.pdf")
def local_offer_pdf(year: int):
    document = local_offer.render_publication_pdf(local_offer.build_publication(_publication_year(year)))
    return Response(document, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="you-said-we-did-{year}.pdf"'})
