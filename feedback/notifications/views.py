"""Your notifications: seeing the list marks them read."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from . import services

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index():
    items = services.notifications(current_user)
    unread = {n.id for n in items if n.read_at is None}
    services.mark_read(current_user)
    return render_template("notifications/index.html", items=items, unread=unread)
