"""Staff pages: register webhook endpoints, see each one's delivery log, disable or enable it."""

import click
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import domain_errors
from ..extensions import db
from ..models import Role, WebhookEndpoint
from ..security import role_required
from . import services
from .forms import ConfirmForm, EndpointForm

bp = Blueprint("webhooks", __name__, url_prefix="/manage/webhooks")
staff_only = role_required(Role.STAFF)


@bp.route("/", methods=["GET", "POST"])
@staff_only
def index():
    form = EndpointForm()
    if form.validate_on_submit():
        with domain_errors(services.WebhookError, field=form.url):
            endpoint = services.register_endpoint(current_user, form.url.data, form.description.data,
                                                  form.events.data)
            return render_template("webhooks/created.html", endpoint=endpoint)
    return render_template("webhooks/index.html", form=form, endpoints=services.list_endpoints(),
                           events=services.EVENTS)


@bp.route("/<int:endpoint_id>")
@staff_only
def endpoint(endpoint_id: int):
    found = db.get_or_404(WebhookEndpoint, endpoint_id)
    return render_template("webhooks/endpoint.html", endpoint=found, deliveries=services.recent_deliveries(found),
                           events=services.EVENTS, confirm=ConfirmForm())


@bp.route("/<int:endpoint_id>/<any(enable, disable):change>", methods=["POST"])
@staff_only
def toggle(endpoint_id: int, change: str):
    found = db.get_or_404(WebhookEndpoint, endpoint_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_enabled(found, change == "enable", f"Disabled by {current_user.display_name}")
    flash(_("Endpoint enabled: %(name)s.", name=found.description) if change == "enable"
          else _("Endpoint disabled: %(name)s.", name=found.description), "success")
    return redirect(url_for("webhooks.endpoint", endpoint_id=found.id))


def register_webhooks_cli(app):
    @app.cli.group("webhooks")
    def webhooks():
        """Webhook deliveries."""

    @webhooks.command("send-due")
    @click.option("--every", type=float, default=0, help="Keep going, checking every this many seconds")
    def send_due(every):
        """Send (or queue for the worker) every delivery whose next attempt is due: retries."""
        import time

        while True:
            sent = services.send_due()
            if sent:
                click.echo(f"{sent} deliveries sent or queued")
            if not every:
                return
            time.sleep(every)
