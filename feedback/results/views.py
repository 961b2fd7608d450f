"""Results pages: a wave's dashboard, its comments and themes, the communication-quality
indicator, downloads, public summaries and staff publishing controls."""

from flask import (
    Blueprint,
    Response as HttpResponse,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from ..audit import audited
from ..extensions import db
from ..models import Action, Role, Survey
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .build import Result
from .charts import bar_chart
from .exports import anonymised_responses, tables_csv, tables_xlsx
from .forms import PublishForm
from .tables import all_tables, indicator_breakdown_tables, indicator_trend_table, theme_table

bp = Blueprint("results", __name__, url_prefix="/results")
add_nav_item("Results", "results.index", prefix="/results")
staff_only = role_required(Role.STAFF)


@bp.app_template_global()
def results_chart(table) -> Markup:
    scale = "count" if table.section == "themes" else "percent"
    return bar_chart(table.bars, f"{table.key}-summary", scale=scale)


@bp.app_template_filter()
def signed(value) -> str:
    if value == "" or value is None:
        return ""
    return f"+{value}" if value > 0 else (f"−{abs(value)}" if value < 0 else "0")


def visible_survey(survey_id: int) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if survey.status not in services.WITH_RESULTS:
        abort(404)
    if not services.can_view_results(current_user, survey):
        abort(403)
    return survey


def public_survey(survey_id: int) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if not services.is_public(survey):
        abort(404)
    return survey


def chosen_view(result: Result) -> str:
    try:
        return services.parse_filter(result, request.args.get("view"))
    except services.ResultsError:
        abort(404)


def previous_result(survey: Survey, public: bool = False) -> Result | None:
    """The previous wave's release, for "change since last wave": only if this reader may see it."""
    previous = services.previous_wave(survey, None if public else current_user, public=public)
    return services.wave_result(previous) if previous is not None else None


def linked_actions(survey: Survey) -> dict[int | None, list[Action]]:
    """Actions about this survey's series, by theme (None: not about one theme)."""
    series_ids = select(Survey.id).where(Survey.series_key == survey.series_key)
    actions = db.session.scalars(
        select(Action).where(Action.surveys.any(Survey.id.in_(series_ids))).order_by(Action.created_at)
    ).all()
    by_theme: dict = {}
    for action in actions:
        for theme_id in [t.id for t in action.themes] or [None]:
            by_theme.setdefault(theme_id, []).append(action)
    return by_theme


@bp.route("/")
@login_required
def index():
    return render_template("results/index.html", surveys=services.visible_surveys(current_user),
                           public=services.public_surveys())


def wave_page(survey_id: int) -> dict:
    """What every results page of a wave shows: the wave, its figures (and how current they
    are), and the view chosen in the filter."""
    survey = visible_survey(survey_id)
    figures = services.current_results(survey)
    view_key = chosen_view(figures.result)
    return {"survey": survey, "figures": figures, "result": figures.result, "view_key": view_key,
            "view_label": services.view_label(figures.result, view_key)}


@bp.route("/<int:survey_id>")
@login_required
def dashboard(survey_id: int):
    page = wave_page(survey_id)
    survey, result, view_key = page["survey"], page["result"], page["view_key"]
    tables = all_tables(result, view_key, previous_result(survey))
    return render_template(
        "results/dashboard.html", **page, tables=tables,
        publish_form=PublishForm(), is_public=services.is_public(survey),
        waves=services.series_waves(survey, current_user),
        # Staff see repeated devices and addresses as they are now, not only as of the release.
        padding=services.padding_now(survey, page["figures"].release) if current_user.is_staff else None,
    )


@bp.route("/<int:survey_id>/comments")
@login_required
def comments(survey_id: int):
    page = wave_page(survey_id)
    survey, result, view_key = page["survey"], page["result"], page["view_key"]
    table = theme_table(result, view_key, previous_result(survey)) if not result.withheld else None
    quotes = {}
    if view_key == "all" and table is not None:
        quotes = {theme.id: services.consented_quotes(survey, theme.id) for theme in result.themes}
    return render_template("results/comments.html", **page, table=table, quotes=quotes, actions=linked_actions(survey))


@bp.route("/<int:survey_id>/indicator")
@login_required
def indicator(survey_id: int):
    page = wave_page(survey_id)
    result = page["result"]
    series, flag = services.indicator_series(services.series_waves(page["survey"], current_user))
    return render_template(
        "results/indicator.html", **page,
        cqi=None if result.withheld else result.views[page["view_key"]].cqi,
        trend=indicator_trend_table(series, flag),
        breakdowns=[] if result.withheld else indicator_breakdown_tables(result),
    )


@bp.route("/indicator-method")
def method():
    return render_template("results/method.html")


@bp.route("/<int:survey_id>/download.<any(csv, xlsx):fmt>")
@audited("results.tables_exported")
@login_required
def download(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    result = services.wave_result(survey)
    view_key = chosen_view(result)
    return _download(survey, result, view_key, fmt)


def _download(survey: Survey, result: Result, view_key: str, fmt: str, public: bool = False):
    tables = all_tables(result, view_key, previous_result(survey, public))
    wanted = request.args.get("table")
    if wanted:
        tables = [t for t in tables if t.key == wanted]
        if not tables:
            abort(404)
    name = f"{survey.slug}-{view_key.replace(':', '-').replace(' ', '-')}"
    if wanted:
        name += f"-{wanted}"
    if fmt == "csv":
        body, mimetype = tables_csv(tables), "text/csv"
    else:
        about = [f"{survey.title}: {survey.wave_label}", services.view_label(result, view_key),
                 f"Counts of 1 to {(result.threshold or 5) - 1} are hidden, and so are some others that would let "
                 "someone work one out.",
                 f"Release {result.release.number}, made {result.computed_at}" if result.release
                 else "No figures released yet"]
        body = tables_xlsx(tables, about)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:survey_id>/responses.csv")
@audited("results.responses_exported")
@staff_only
def responses_csv(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    response = HttpResponse(stream_with_context(anonymised_responses(survey.id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{survey.slug}-anonymised-responses.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:survey_id>/publish", methods=["POST"])
@staff_only
def publish(survey_id: int):
    survey = db.get_or_404(Survey, survey_id)
    form = PublishForm()
    if not form.validate_on_submit():
        flash("Choose who should see the results.", "error")
        return redirect(url_for("results.dashboard", survey_id=survey.id))
    change = form.change.data
    if change in ("publish", "unpublish"):
        services.set_published(survey, change == "publish")
        flash("Results published to every forum member." if change == "publish"
              else "Results are now only for staff and the groups that co-designed the survey.", "success")
    else:
        try:
            services.set_public(survey, current_user, change == "make_public")
        except services.ResultsError as error:
            flash(str(error), "error")
            return redirect(url_for("results.dashboard", survey_id=survey.id))
        flash("The summary is now public." if change == "make_public" else "The public summary is withdrawn.",
              "success")
    return redirect(url_for("results.dashboard", survey_id=survey.id))


@bp.route("/public")
def public_index():
    return render_template("results/public_index.html", surveys=services.public_surveys())


@bp.route("/public/<int:survey_id>")
def public_summary(survey_id: int):
    survey = public_survey(survey_id)
    figures = services.current_results(survey)
    result = figures.result
    tables = all_tables(result, "all", previous_result(survey, public=True))
    series, flag = services.indicator_series(services.series_waves(survey, public=True))
    return render_template(
        "results/public_summary.html", survey=survey, result=result, figures=figures, tables=tables,
        trend=indicator_trend_table(series, flag),
    )


@bp.route("/public/<int:survey_id>/download.<any(csv, xlsx):fmt>")
def public_download(survey_id: int, fmt: str):
    survey = public_survey(survey_id)
    return _download(survey, services.wave_result(survey), "all", fmt, public=True)
