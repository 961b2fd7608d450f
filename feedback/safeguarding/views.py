"""The safeguarding queue for staff, flag details for the safeguarding lead, the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..errors import domain_errors
from ..extensions import db
from ..models import AuditEvent, FlagStatus, Role, SafeguardingFlag
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .forms import MarkActionedForm

bp = Blueprint("safeguarding", __name__)
add_nav_item("Safeguarding", "safeguarding.queue", roles=(Role.STAFF,), prefix="/safeguarding")

AUDIT_PAGE_SIZE = 50


@bp.route("/safeguarding")
@role_required(Role.STAFF)
def queue():
    status = FlagStatus.ACTIONED if request.args.get("status") == FlagStatus.ACTIONED else FlagStatus.OPEN
    return render_template(
        "safeguarding/queue.html",
        items=services.queue(status),
        status=status,
        is_lead=services.can_see_unredacted(current_user),
    )


@bp.route("/safeguarding/<int:flag_id>", methods=["GET", "POST"])
@role_required(Role.STAFF)
def flag(flag_id: int):
    flag = db.get_or_404(SafeguardingFlag, flag_id)
    form = MarkActionedForm()
    if form.validate_on_submit():
        try:
            with domain_errors(services.AlreadyActioned, field=form.note):
                services.mark_actioned(flag, current_user, form.note.data.strip())
                flash(_("Flag marked as actioned."), "success")
                return redirect(url_for("safeguarding.queue"))
        except services.NotSafeguardingLead:  # not a message: the page is refused
            abort(403)
    try:
        source = services.open_flag(flag, current_user)
    except services.NotSafeguardingLead:
        abort(403)
    return render_template(
        "safeguarding/flag.html", flag=flag, source=source, form=form,
        label=services.source_label(flag.source_type),
    )


@bp.route("/admin/audit")
@role_required(Role.ADMIN)
def audit_log():
    page = db.paginate(
        select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        per_page=AUDIT_PAGE_SIZE,
        error_out=False,
    )
    return render_template("safeguarding/audit_log.html", page=page)

