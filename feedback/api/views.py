"""/api/v1/: read-only JSON for the council's reporting tools, authenticated by API tokens;
and the staff pages that create and revoke those tokens."""

from functools import wraps

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..extensions import csrf, db, limiter
from ..models import ApiToken, Role, Survey
from ..results import services as results
from ..results.disclosure import THRESHOLD
from ..results.tables import theme_table
from ..results.views import chosen_view
from ..security import role_required
from . import services
from .forms import RevokeForm, TokenForm
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
limiter.limit("300 per minute")(bp)


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    response = jsonify(error={401: "A valid API token is needed", 404: "Not found"}.get(error.code, error.name))
    response.status_code = error.code
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
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
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.status not in results.WITH_RESULTS:
        abort(404)
    return survey




@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/", 1)[0]))


@bp.route("/surveys")
@token_required
def surveys():
    waves = db.session.scalars(
        select(Survey).where(Survey.status.in_(results.WITH_RESULTS)).order_by(Survey.series_key, Survey.wave_number)
    ).all()
    # The number in each wave's latest release, never the live count (which would time releases
    # and show single submissions).
    counts = {s.id: release.n for s in waves if (release := results.latest_release(s)) is not None}
    return jsonify(surveys=[wave_json(s, counts.get(s.id)) for s in waves])


@bp.route("/surveys/<int:survey_id>/results")
@token_required
def wave_results(survey_id: int):
    survey = wave_with_results(survey_id)
    payload = results.wave_results(survey)
    view_key = chosen_view(payload)
    body = {"survey": wave_json(survey, payload["n"]), "view": view_key,
            "view_label": results.view_label(payload, view_key), "withheld": payload["withheld"],
            "responses": payload["n"], "computed_at": payload["computed_at"], "dimensions": [], "profile": {},
            "questions": [], "indicator": None}
    if payload["withheld"]:
        return jsonify(body)
    view = payload["views"][view_key]
    body["responses"] = view["n"]
    body["dimensions"] = [{"key": d["key"], "label": d["label"], "groups": d["groups"]} for d in payload["dimensions"]]
    for dimension in payload["dimensions"]:
        if dimension["key"] in view["profile"]:
            body["profile"][dimension["key"]] = [
                {"key": g["key"], "label": g["label"], "count": c, "percent": results.percent(c, view["n"])}
                for g, c in zip(dimension["groups"], view["profile"][dimension["key"]])]
    for question in payload["questions"]:
        counts = view["questions"][str(question["id"])]
        body["questions"].append({
            "id": question["id"], "position": question["position"], "text": question["text"],
            "kind": question["kind"], "dimensions": question["dimensions"],
            "answers": [{"value": r["key"], "label": r["label"], "special": r["special"], "count": c,
                         "percent": results.percent(c, view["n"])} for r, c in zip(question["rows"], counts)],
        })
    cqi = view["cqi"]
    body["indicator"] = {k: cqi[k] for k in ("value", "low", "high", "band", "withheld", "method_version")}
    return jsonify(body)


@bp.route("/surveys/<int:survey_id>/themes")
@token_required
def wave_themes(survey_id: int):
    survey = wave_with_results(survey_id)
    payload = results.wave_results(survey)
    view_key = chosen_view(payload)
    body = {"survey": wave_json(survey, payload["n"]), "view": view_key, "withheld": payload["withheld"], "themes": []}
    if not payload["withheld"]:
        previous = results.previous_wave(survey)
        table = theme_table(payload, view_key, results.wave_results(previous) if previous else None)
        for theme, row in zip(payload["themes"], table.rows):
            counts = payload["views"][view_key]["themes"][str(theme["id"])]
            body["themes"].append({"id": theme["id"], "name": theme["name"], **counts,
                                   "change_in_comments": row[5] if row[5] != "" else None,
                                   "change_in_negative_share": row[6] if row[6] != "" else None})
    return jsonify(body)


@bp.route("/series/<series_key>/indicator")
@token_required
def indicator(series_key: str):
    waves = db.session.scalars(
        select(Survey).where(Survey.series_key == series_key, Survey.status.in_(results.WITH_RESULTS))
        .order_by(Survey.wave_number)
    ).all()
    if not waves:
        abort(404)
    series, flag = results.indicator_series(waves)
    points = [{"survey_id": p["survey_id"], "wave_number": p["wave_number"], "wave_label": p["wave_label"],
               "responses": p["n"], "value": p["value"], "low": p["low"], "high": p["high"], "band": p["band"],
               "withheld": p["withheld"], "change": p["change"], "significant": p["significant"],
               "method_version": p["method_version"]} for p in series]
    return jsonify(series_key=series_key, trend=flag, waves=points)


# Staff pages for tokens

tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/manage/api-tokens")
staff_only = role_required(Role.STAFF)


@tokens_bp.route("/", methods=["GET", "POST"])
@staff_only
def index():
    form = TokenForm()
    if form.validate_on_submit():
        record, token = services.create_token(current_user, form.name.data)
        return render_template("api/token_created.html", record=record, token=token)
    return render_template("api/tokens.html", form=form, tokens=services.list_tokens(), revoke_form=RevokeForm())


@tokens_bp.route("/<int:token_id>/revoke", methods=["POST"])
@staff_only
def revoke(token_id: int):
    record = db.get_or_404(ApiToken, token_id)
    if not RevokeForm().validate_on_submit():
        abort(400)
    services.revoke_token(record)
    flash(f"Token “{record.name}” revoked. Tools using it can no longer read results.", "success")
    return redirect(url_for("api_tokens.index"))
