"""Results pages: a wave's dashboard, its comments and themes, the communication-quality
indicator, downloads, public summaries and staff publishing controls."""

from contextlib import nullcontext
from datetime import datetime

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
from flask_babel import force_locale, format_date, gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from ..analysis.indicator import band_name
from ..audit import audited
from ..errors import domain_errors
from ..extensions import db
from ..models import Action, Role, Survey
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .build import Result
from .charts import bar_chart
from . import crosstab as crosstabs
from .exports import anonymised_responses, tables_csv, tables_long_csv, tables_xlsx, tables_zip
from .forms import PublishForm
from .tables import all_tables, indicator_breakdown_tables, indicator_trend_table, theme_table

bp = Blueprint("results", __name__, url_prefix="/results")
add_nav_item("Results", "results.index", prefix="/results")
staff_only = role_required(Role.STAFF)


@bp.app_template_global()
def results_chart(table) -> Markup:
    scale = "count" if table.section == "themes" else "percent"
    return bar_chart(table.bars, f"{table.key}-summary", scale=scale)


@bp.app_template_filter("band_name")
def band_name_filter(band):
    return band_name(band)


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
        put_off=services.put_off(survey, page["figures"].release) if current_user.is_staff else None,
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


@bp.route("/<int:survey_id>/download.<any(csv, xlsx, zip):fmt>")
@bp.route("/<int:survey_id>/download-long.csv", defaults={"fmt": "long"}, endpoint="download_long")
@audited("results.tables_exported")
@login_required
def download(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    result = services.wave_result(survey)
    view_key = chosen_view(result)
    return _download(survey, result, view_key, fmt)


MIMETYPES = {"csv": "text/csv", "long": "text/csv", "zip": "application/zip",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _release(result: Result) -> dict | None:
    return None if result.release is None else {"number": result.release.number,
                                                 "created_at": result.release.created_at}


def about_lines(survey: Survey, result: Result, what: str) -> list[str]:
    """What a download holds, for its first sheet or README."""
    release = _release(result)
    made = datetime.fromisoformat(str(release["created_at"])) if release else None
    return [f"{survey.title}: {survey.wave_label}", what,
            _("Counts of 1 to %(largest)s are hidden, and so are some others that would let someone work one out.",
              largest=(result.threshold or 5) - 1),
            _("Release %(number)s, made on %(date)s (%(iso)s)", number=release["number"],
              date=format_date(made, "d MMMM y"), iso=release["created_at"][:10])
            if release else _("No figures released yet")]


def _download(survey: Survey, result: Result, view_key: str, fmt: str, public: bool = False):
    # Analysis tools read the long CSV by its table titles and headings: always in English.
    with force_locale("en") if fmt == "long" else nullcontext():
        tables = all_tables(result, view_key, previous_result(survey, public))
    wanted = request.args.get("table")
    if wanted:
        tables = [t for t in tables if t.key == wanted]
        if not tables:
            abort(404)
    name = f"{survey.slug}-{view_key.replace(':', '-').replace(' ', '-')}"
    if wanted:
        name += f"-{wanted}"
    about = about_lines(survey, result, services.view_label(result, view_key))
    return _file(tables, about, name, fmt, view_key=view_key, release=_release(result))


def _file(tables, about: list[str], name: str, fmt: str, view_key: str = "all", release: dict | None = None):
    if fmt == "csv":
        body = tables_csv(tables)
    elif fmt == "long":
        body, name = tables_long_csv(tables, view_key, release), name + "-long"
    elif fmt == "zip":
        body = tables_zip(tables, about)
    else:
        body = tables_xlsx(tables, about)
    response = HttpResponse(body, mimetype=MIMETYPES[fmt])
    extension = "csv" if fmt == "long" else fmt
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# Cross-tabs: two questions of a wave, and one question across waves


def _crosstab_page(survey: Survey):
    figures = services.current_results(survey)
    questions = crosstabs.crosstab_questions(figures.payload)
    chosen = {"rows": request.args.get("rows", ""), "columns": request.args.get("columns", "")}
    result, error = None, None
    if chosen["rows"] or chosen["columns"]:
        try:
            result = crosstabs.crosstab(survey, chosen["rows"], chosen["columns"])
        except crosstabs.CrosstabError as problem:
            error = {"message": str(problem), "field": problem.field}
    return figures, questions, chosen, result, error


@bp.route("/<int:survey_id>/cross-tab")
@login_required
def crosstab(survey_id: int):
    survey = visible_survey(survey_id)
    figures, questions, chosen, result, error = _crosstab_page(survey)
    return render_template("results/crosstab.html", survey=survey, figures=figures, result=figures.result,
                           questions=questions if len(questions) > 1 else [], chosen=chosen, crosstab=result,
                           error=error), (400 if error else 200)


@bp.route("/<int:survey_id>/cross-tab.<any(csv, xlsx):fmt>")
@audited("results.tables_exported")
@login_required
def crosstab_download(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    figures, _questions, _chosen, result, error = _crosstab_page(survey)
    if error or result is None or result.table is None:
        abort(404)
    about = about_lines(survey, figures.result, result.table.title)
    return _file([result.table], about, f"{survey.slug}-{result.table.key}", fmt, release=_release(figures.result))


def _across_waves_page(survey: Survey):
    questions = crosstabs.crosstab_questions(services.wave_results(survey))
    chosen = request.args.get("question", "")
    table, error = None, None
    if chosen:
        try:
            table = crosstabs.across_waves(survey, chosen, current_user)
        except crosstabs.CrosstabError as problem:
            error = {"message": str(problem), "field": problem.field}
    return questions, chosen, table, error


@bp.route("/<int:survey_id>/across-waves")
@login_required
def across_waves(survey_id: int):
    survey = visible_survey(survey_id)
    questions, chosen, table, error = _across_waves_page(survey)
    return render_template("results/across_waves.html", survey=survey, questions=questions, chosen=chosen,
                           table=table, error=error), (400 if error else 200)


@bp.route("/<int:survey_id>/across-waves.<any(csv, xlsx):fmt>")
@audited("results.tables_exported")
@login_required
def across_waves_download(survey_id: int, fmt: str):
    survey = visible_survey(survey_id)
    _questions, _chosen, table, error = _across_waves_page(survey)
    if error or table is None:
        abort(404)
    about = [survey.title, table.title, _("Each wave's counts as its own results show them: hidden counts stay hidden.")]
    return _file([table], about, f"{survey.series_key}-{table.key}", fmt)


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
        flash(_("Choose who should see the results."), "error")
        return redirect(url_for("results.dashboard", survey_id=survey.id))
    change = form.change.data
    if change in ("publish", "unpublish"):
        services.set_published(survey, change == "publish")
        flash(_("Results published to every forum member.") if change == "publish"
              else _("Results are now only for staff and the groups that co-designed the survey."), "success")
    else:
        with domain_errors(services.ResultsError, category="error"):
            services.set_public(survey, current_user, change == "make_public")
            flash(_("The summary is now public.") if change == "make_public" else _("The public summary is withdrawn."),
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


@bp.route("/public/<int:survey_id>/download.<any(csv, xlsx, zip):fmt>")
@bp.route("/public/<int:survey_id>/download-long.csv", defaults={"fmt": "long"}, endpoint="public_download_long")
def public_download(survey_id: int, fmt: str):
    survey = public_survey(survey_id)
    return _download(survey, services.wave_result(survey), "all", fmt, public=True)
