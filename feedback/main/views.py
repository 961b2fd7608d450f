"""Public pages and the health check for load balancers."""

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from ..extensions import db, limiter

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template("main/home.html")


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
