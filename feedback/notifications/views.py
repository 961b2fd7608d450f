"""Your notifications: seeing the list marks them read. One page and one count in the header
for everyone signed in (young people's news about their ideas included)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from . import services

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def notification_badge():
    if current_user.is_authenticated:
        return {"unread_notifications": services.unread_count(current_user)}
    return {"unread_notifications": None}


@bp.route("/notifications")
@login_required
def index():
    items = services.notifications(current_user)
    unread = {n.id for n in items if n.read_at is None}
    services.mark_read(current_user)
    return render_template("notifications/index.html", items=items, unread=unread)
