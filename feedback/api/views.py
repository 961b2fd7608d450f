"""/api/v1/: read-only JSON for the council's reporting tools, authenticated by API tokens;
and the staff pages that create and revoke those tokens."""

import hashlib
import re
from functools import wraps

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from ..analysis.indicator import band_name, legacy_band
from ..extensions import csrf, db, limiter
from ..ideas import services as idea_services
from ..models import Action, ActionStatus, ApiToken, Idea, Role, Survey
from ..models.ideas import VISIBLE_STATUSES
from ..results import services as results
from ..results.build import Result
from ..results.disclosure import THRESHOLD
from ..results.tables import theme_table
from ..results.views import chosen_view
from ..security import role_required
from ..surveys.kinds import percent
from . import feed, services
from .forms import RevokeForm, TokenForm
from .openapi import MAX_ID, PAGE, PER_PAGE, SERIES_KEY, openapi_document
from ..problems import problem_response

SERIES_KEY_PATTERN = re.compile(SERIES_KEY["schema"]["pattern"])
bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit("300 per minute")(bp)


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    """Errors in the API's views; errors before a view (routing, 405) come through the app's
    handlers, which hand /api/ paths to the same problem_response."""
    return problem_response(error)


def query_int(name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter in [low, high]; anything else is a 400."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        abort(400, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def token_required(view=None, *, query_token: bool = False):
    """The view needs a usable API token in `Authorization: Bearer`. With `query_token`, a
    `?token=` in the address is taken too (for the CSV feed: Power BI's and Excel's web
    connectors cannot always send a header; docs/integrations.md explains the risk)."""
    if view is None:
        return lambda view: token_required(view, query_token=query_token)

    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        if token is None and query_token:
            token = request.args.get("token")
        g.api_token = services.authenticate(token)
        if g.api_token is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def wave_json(survey: Survey, responses: int | None) -> dict:
    return {"id": survey.id, "slug": survey.slug, "title": survey.title, "series_key": survey.series_key,
            "wave_number": survey.wave_number, "wave_label": survey.wave_label, "status": survey.status,
            "opens_at": survey.opens_at.isoformat(), "closes_at": survey.closes_at.isoformat(),
            "responses": responses if responses is not None and responses >= THRESHOLD else None}


def wave_with_results(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id) if survey_id <= MAX_ID else None
    if survey is None or survey.status not in results.WITH_RESULTS:
        abort(404)
    return survey


def query_choice(name: str, allowed) -> str | None:
    """An optional filter that must be one of `allowed`; anything else is a 400."""
    value = request.args.get(name)
    if value is not None and value not in allowed:
        abort(400, f"{name} must be one of: {', '.join(sorted(allowed))}")
    return value


def paged(endpoint: str, query, key: str, to_json) -> dict:
    """One page of a query's rows as JSON, with the pagination object."""
    page = query_int("page", 1, 1, PAGE["schema"]["maximum"])
    per_page = query_int("per_page", PER_PAGE["schema"]["default"], 1, PER_PAGE["schema"]["maximum"])
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {key: to_json(items), "pagination": pagination(endpoint, page, per_page, total)}


def pagination(endpoint: str, page: int, per_page: int, total: int) -> dict:
    """Where this page sits, with absolute addresses of the pages either side (same filters)."""
    def link(number: int) -> str:
        return url_for(endpoint, **{**request.args.to_dict(), "page": number, "per_page": per_page}, _external=True)

    last = max(1, -(-total // per_page))
    return {"page": page, "per_page": per_page, "total": total,
            "next": link(page + 1) if page < last else None,
            "previous": link(min(page - 1, last)) if page > 1 else None}


@bp.after_request
def conditional(response):
    """Every successful read carries an ETag (a hash of exactly what was sent, so it changes
    when the figures, a release or the wave change) and answers If-None-Match with 304."""
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.headers["Cache-Control"] = ("public, max-age=300" if request.endpoint == "api.openapi"
                                             else "private, max-age=60, must-revalidate")
        response.vary.add("Authorization")
        response.make_conditional(request)
    return response


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/", 1)[0]))


@bp.route("/surveys")
@token_required
def surveys():
    status = query_choice("status", set(results.WITH_RESULTS))
    series_key = request.args.get("series_key")
    query = select(Survey).where(Survey.status.in_([status] if status else results.WITH_RESULTS))
    if series_key is not None:
        if not SERIES_KEY_PATTERN.fullmatch(series_key):
            abort(400, "series_key must be 1 to 100 letters, digits, - or _")
        query = query.where(Survey.series_key == series_key)
    query = query.order_by(Survey.series_key, Survey.wave_number, Survey.id)
    # The number in each wave's latest release, never the live count (which would time releases
    # and show single submissions).
    return jsonify(paged("api.surveys", query, "surveys",
                         lambda waves: [wave_json(s, release.n if (release := results.latest_release(s)) else None)
                                                  for s in waves]))


def results_body(survey: Survey, result: Result, view_key: str) -> dict:
    body = {"survey": wave_json(survey, result.n), "view": view_key,
            "view_label": results.view_label(result, view_key), "withheld": result.withheld,
            "responses": result.n, "computed_at": result.computed_at, "dimensions": [], "profile": {},
            "questions": [], "indicator": None}
    if result.withheld:
        return body
    view = result.views[view_key]
    body["responses"] = view.n
    body["dimensions"] = [{"key": d.key, "label": d.label, "groups": [g.to_dict() for g in d.groups]}
                          for d in result.dimensions]
    for dimension in result.dimensions:
        if dimension.key in view.profile:
            body["profile"][dimension.key] = [
                {"key": g.key, "label": g.label, "count": c, "percent": percent(c, view.n)}
                for g, c in zip(dimension.groups, view.profile[dimension.key])]
    for question in result.questions:
        body["questions"].append({**question_json(question), "dimensions": list(question.dimensions),
                                  "answers": feed.answer_counts(result, view_key, question)})
    cqi = view.cqi.to_dict()
    body["indicator"] = {k: cqi[k] for k in ("value", "low", "high", "withheld", "method_version")}
    # v1 keeps "band" under its old names for existing clients; "band_name" is the band as pages show it.
    body["indicator"].update(band=legacy_band(cqi["band"]), band_name=band_name(cqi["band"]))
    return body


def question_json(question) -> dict:
    return {"id": question.id, "position": question.position, "text": question.text, "kind": question.kind}


@bp.route("/surveys/<int:survey_id>/results")
@token_required
def wave_results(survey_id: int):
    survey = wave_with_results(survey_id)
    result = results.wave_result(survey)
    return jsonify(results_body(survey, result, chosen_view(result)))


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>")
@token_required
def question_results(survey_id: int, question_id: int):
    """One question's answers for the whole wave and each group of one dimension (breakdown),
    or of every dimension."""
    survey = wave_with_results(survey_id)
    result = results.wave_result(survey)
    breakdown = query_choice("breakdown", set(results.DIMENSION_KEYS))
    if result.withheld:
        question = next((question_json(q) for q in survey.questions if q.id == question_id), None)
        if question is None:
            abort(404)
        return jsonify(survey=wave_json(survey, None), question=question, withheld=True,
                       breakdown=breakdown, groups=[])
    question = next((q for q in result.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    groups = [{"view": key, "breakdown": dimension.key if dimension else "all",
               "label": results.view_label(result, key), "responses": result.views[key].n,
               "answers": feed.answer_counts(result, key, question)}
              for key, dimension, _ in feed.views(result, breakdown)]
    return jsonify(survey=wave_json(survey, result.n), question=question_json(question), withheld=False,
                   breakdown=breakdown, groups=groups)


@bp.route("/surveys/<int:survey_id>/themes")
@token_required
def wave_themes(survey_id: int):
    survey = wave_with_results(survey_id)
    result = results.wave_result(survey)
    view_key = chosen_view(result)
    body = {"survey": wave_json(survey, result.n), "view": view_key, "withheld": result.withheld, "themes": []}
    if not result.withheld:
        # Compared only with a wave the token's maker may see (tokens read as their maker).
        previous = results.previous_wave(survey, g.api_token.created_by)
        table = theme_table(result, view_key, results.wave_result(previous) if previous else None)
        for theme, row in zip(result.themes, table.rows):
            counts = result.views[view_key].themes[theme.id]
            body["themes"].append({"id": theme.id, "name": theme.name, **counts.to_dict(),
                                   "change_in_comments": row[5] if row[5] != "" else None,
                                   "change_in_negative_share": row[6] if row[6] != "" else None})
    return jsonify(body)


@bp.route("/series/<series_key>/indicator")
@token_required
def indicator(series_key: str):
    if not SERIES_KEY_PATTERN.fullmatch(series_key):
        abort(404)
    waves = db.session.scalars(
        select(Survey).where(Survey.series_key == series_key, Survey.status.in_(results.WITH_RESULTS))
        .order_by(Survey.wave_number)
    ).all()
    if not waves:
        abort(404)
    series, flag = results.indicator_series(waves)
    points = [{"survey_id": p["survey_id"], "wave_number": p["wave_number"], "wave_label": p["wave_label"],
               "responses": p["n"], "value": p["value"], "low": p["low"], "high": p["high"], "band": legacy_band(p["band"]), "band_name": p["band"],
               "withheld": p["withheld"], "change": p["change"], "significant": p["significant"],
               "method_version": p["method_version"]} for p in series]
    return jsonify(series_key=series_key, trend=flag, waves=points)


@bp.route("/surveys/<int:survey_id>/feed.csv")
@token_required(query_token=True)
def feed_csv(survey_id: int):
    """Every released count of the wave in tidy long form (docs/integrations.md: Power BI, Excel)."""
    survey = wave_with_results(survey_id)
    response = current_app.response_class(feed.feed_csv(survey, results.wave_result(survey)),
                                          mimetype="text/csv")
    response.headers["Content-Disposition"] = f'inline; filename="{survey.slug}-results.csv"'
    return response


@bp.route("/actions")
@token_required
def actions():
    """“You said, we did” actions: what the public page shows."""
    status = query_choice("status", {s.value for s in ActionStatus})
    query = select(Action).order_by(Action.updated_at.desc(), Action.id.desc())
    if status:
        query = query.where(Action.status == status)
    if "survey_id" in request.args:
        survey_id = query_int("survey_id", 0, 1, MAX_ID)
        query = query.where(Action.surveys.any(Survey.id == survey_id))
    return jsonify(paged("api.actions", query, "actions", lambda found: [action_json(a) for a in found]))


def action_json(action: Action) -> dict:
    """An action as the public page shows it. `survey_id` and `theme` (the first wave and theme)
    stay for clients of 1.2; the lists say everything that was heard."""
    surveys, themes = action.surveys, action.themes
    return {"id": action.id, "you_said": action.you_said, "we_did": action.we_did, "status": action.status,
            "status_label": action.status_label, "due_on": action.due_on.isoformat() if action.due_on else None,
            "survey_id": surveys[0].id if surveys else None, "theme": themes[0].name if themes else None,
            "survey_ids": [s.id for s in surveys], "themes": [t.name for t in themes],
            "idea_ids": [i.id for i in action.ideas if i.status in VISIBLE_STATUSES],
            "updated_at": action.updated_at.isoformat(),
            "address": url_for("actions.action", action_id=action.id, _external=True)}


@bp.route("/ideas")
@token_required
def ideas():
    """Youth Forum ideas that are published, with their status: only what the ideas pages
    show every reader (the published title, category, status, supporters), never the author."""
    status = query_choice("status", {s.value for s in VISIBLE_STATUSES})
    query = select(Idea).where(Idea.status.in_([status] if status else VISIBLE_STATUSES))
    query = query.order_by(Idea.published_at.desc(), Idea.id.desc())

    def to_json(found):
        counts = idea_services.counts(found)
        return [{"id": i.id, "title": i.public_title, "category": i.category, "status": i.status,
                 "status_label": i.status_enum.label, "supporters": counts[i.id][0],
                 "answered": i.first_response_at is not None,
                 "action_id": i.actions[0].id if i.actions else None, "action_ids": [a.id for a in i.actions],
                 "published_at": i.published_at.isoformat() if i.published_at else None,
                 "updated_at": i.updated_at.isoformat()} for i in found]

    return jsonify(paged("api.ideas", query, "ideas", to_json))


# Staff pages for tokens

tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/manage/api-tokens")
staff_only = role_required(Role.STAFF)


@tokens_bp.route("/", methods=["GET", "POST"])
@staff_only
def index():
    choices = services.expiry_choices()
    form = TokenForm(choices, services.DEFAULT_DAYS if services.DEFAULT_DAYS in choices else choices[-1])
    if form.validate_on_submit():
        record, token = services.create_token(current_user, form.name.data, form.days.data)
        return render_template("api/token_created.html", record=record, token=token)
    return render_template("api/tokens.html", form=form, tokens=services.list_tokens(), revoke_form=RevokeForm())


@tokens_bp.route("/<int:token_id>/revoke", methods=["POST"])
@staff_only
def revoke(token_id: int):
    record = db.get_or_404(ApiToken, token_id)
    if not RevokeForm().validate_on_submit():
        abort(400)
    services.revoke_token(record)
    flash(_("Token “%(name)s” revoked. Tools using it can no longer read results.", name=record.name), "success")
    return redirect(url_for("api_tokens.index"))
