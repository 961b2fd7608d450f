"""Admin pages: list, invite and manage people; organisations and their members."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..accounts import services
from ..errors import domain_errors
from ..extensions import db
from ..forms import ButtonForm
from ..models import Membership, Organisation, Role, User
from ..security import role_required
from ..templating import add_nav_item
from ..text import slugify
from .forms import InviteForm, OrganisationForm, user_form_class

bp = Blueprint("admin", __name__, url_prefix="/admin")
add_nav_item("People", "admin.users", roles=(Role.ADMIN,), prefix="/admin")

admin_only = role_required(Role.ADMIN)


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def get_user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users")
@admin_only
def users():
    query = select(User).options(selectinload(User.memberships).selectinload(Membership.organisation))
    search = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(User.email.like(pattern), User.display_name.ilike(pattern)))
    if role in set(Role):
        query = query.where(User.role == role)
    people = db.session.scalars(query.order_by(User.display_name)).all()
    return render_template("admin/users.html", people=people, search=search, role=role, roles=list(Role))


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_only
def invite():
    form = InviteForm()
    orgs = organisations()
    form.organisation.choices = [("", "None")] + [(str(o.id), o.name) for o in orgs]
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, int(form.organisation.data)) if form.organisation.data else None
        with domain_errors(services.EmailInUse, field=form.email):
            user, raw = services.invite_user(
                email=form.email.data,
                display_name=form.display_name.data,
                role=Role(form.role.data),
                invited_by=current_user,
                organisation=organisation,
                membership_role=form.membership_role.data,
            )
            return render_template(
                "admin/link_created.html", person=user, link=services.token_link(raw), purpose="invite"
            )
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def user(user_id: int):
    person = get_user_or_404(user_id)
    orgs = organisations()
    form_class = user_form_class(orgs)
    if request.method == "GET":
        current = {m.organisation_id: m.role for m in person.memberships}
        form = form_class(
            obj=person, **{f"org_{o.id}": current.get(o.id, "") for o in orgs}
        )
    else:
        form = form_class()
    if form.validate_on_submit():
        memberships = {
            o.id: getattr(form, f"org_{o.id}").data for o in orgs if getattr(form, f"org_{o.id}").data
        }
        with domain_errors(services.LastAdmin, field=form.role):
            services.update_user(
                person,
                role=Role(form.role.data),
                active=form.active.data,
                safeguarding_lead=form.safeguarding_lead.data,
                display_name=form.display_name.data,
                memberships=memberships,
            )
            flash(_("Changes to %(name)s saved.", name=person.display_name), "success")
            return redirect(url_for("admin.users"))
    membership_fields = [getattr(form, f"org_{o.id}") for o in orgs]
    return render_template(
        "admin/user.html", person=person, form=form, membership_fields=membership_fields, link_form=ButtonForm()
    )


@bp.route("/users/<int:user_id>/link", methods=["POST"])
@admin_only
def create_link(user_id: int):
    person = get_user_or_404(user_id)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    if person.password_hash is None:
        raw, purpose = services.reissue_invite(person, current_user), "invite"
    else:
        raw, purpose = services.create_reset_link(person, current_user), "reset"
    return render_template("admin/link_created.html", person=person, link=services.token_link(raw), purpose=purpose)


@bp.route("/organisations", methods=["GET", "POST"])
@admin_only
def organisations_page():
    form = OrganisationForm()
    if form.validate_on_submit():
        with domain_errors(services.AccountError, field=form.name):
            organisation = services.create_organisation(
                name=form.name.data,
                kind=form.kind.data,
                description=form.description.data or "",
                slug=slugify(form.name.data),
            )
            flash(_("%(name)s added.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations_page"))
    query = select(Organisation).options(selectinload(Organisation.memberships).selectinload(Membership.user))
    return render_template(
        "admin/organisations.html",
        organisations=db.session.scalars(query.order_by(Organisation.name)).all(),
        form=form,
    )
