"""Admin pages for access and erasure requests (UK GDPR articles 15 and 17)."""

import json

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_login import current_user

from ..errors import domain_errors
from ..models import Role
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .forms import ErasePersonForm, ExportPersonForm, FindPersonForm

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
add_nav_item("Data requests", "privacy.find_person", roles=(Role.ADMIN,), prefix="/admin/privacy")

admin_only = role_required(Role.ADMIN)


@bp.route("/", methods=["GET", "POST"])
@admin_only
def find_person():
    # A POST, so the email address stays out of URLs, browser history and access logs.
    form = FindPersonForm()
    records = None
    if form.validate_on_submit():
        records = services.find_person(form.email.data)
        services.record_search(records, current_user)
    return render_template(
        "privacy/find_person.html", form=form, search_form=form, records=records,
        export_form=ExportPersonForm(email=records.email if records else ""),
        erase_form=ErasePersonForm(formdata=None, email=records.email if records else ""),
    )


@bp.route("/export", methods=["POST"])
@admin_only
def export_person():
    form = ExportPersonForm()
    if not form.validate_on_submit():
        return redirect(url_for("privacy.find_person"))
    with domain_errors(services.NoSuchPerson, category="error"):
        data = services.export_person(form.email.data, current_user)
        return Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json", headers={
            "Content-Disposition": 'attachment; filename="subject-access-request.json"',
            "Cache-Control": "no-store",
        })
    return redirect(url_for("privacy.find_person"))


@bp.route("/erase", methods=["POST"])
@admin_only
def erase_person():
    form = ErasePersonForm()
    if not form.validate_on_submit():
        if form.email.errors or form.csrf_token.errors:
            return redirect(url_for("privacy.find_person"))
        # Only the confirmation is missing: show the person's records again with the error.
        records = services.find_person(form.email.data)
        return render_template("privacy/find_person.html", form=form,
                               search_form=FindPersonForm(formdata=None, email=records.email),
                               records=records, export_form=ExportPersonForm(email=records.email),
                               erase_form=form)
    with domain_errors(services.PrivacyError, category="error"):
        return render_template("privacy/erased.html", counts=services.erase_person(form.email.data, current_user))
    return redirect(url_for("privacy.find_person"))
