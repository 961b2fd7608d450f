"""Public pages and the health check for load balancers."""

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db, limiter
from ..notifications.services import unread_count
from ..templating import add_nav_item
from . import services, tasks

bp = Blueprint("main", __name__)
add_nav_item("Have your say", "main.surveys", prefix="/surveys", public=True)


@bp.route("/")
def home():
    return render_template("main/home.html", open_surveys=services.open_surveys(), **_tasks())


def _tasks() -> dict:
    """What is waiting for the person signed in (nothing for visitors)."""
    if not current_user.is_authenticated:
        return {}
    unread = {"unread_notifications": unread_count(current_user)}
    if current_user.is_staff:
        return {"staff_tasks": tasks.staff_tasks(current_user), **unread}
    return {**unread, "co_design_tasks": tasks.member_tasks(current_user),
            "idea_replies": tasks.idea_replies(current_user) if current_user.role == "youth_member" else []}


@bp.route("/surveys")
def surveys():
    return render_template("main/surveys.html", open_surveys=services.open_surveys(),
                           closed_surveys=services.closed_surveys())


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """Browsers and bots ask for /favicon.ico whatever the page says: the council-neutral icon."""
    return send_from_directory(current_app.static_folder, "icons/favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)


@bp.route("/privacy")
def privacy():
    return render_template("main/privacy.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/cookies")
def cookies():
    return render_template("main/cookies.html")


@bp.route("/health/live")
@limiter.exempt
def live():
    """200 while the process can answer at all (liveness); touches nothing else."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/health")
@limiter.exempt
def health():
    """200 when the app can reach its database, 503 when it cannot."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready", whatever the driver
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
