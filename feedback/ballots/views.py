"""Youth Forum consent (the young person's and, under 13, a parent's or carer's) and priority
ballots: members rank ideas, staff open, close and publish, everyone reads published results."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import domain_errors
from ..extensions import db, limiter
from ..models import AgeGroup, Ballot, BallotStatus, Role
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .forms import BallotForm, ConsentForm, ParentConsentForm, vote_form

bp = Blueprint("ballots", __name__)
add_nav_item("Ballots", "ballots.index", roles=("youth_member", "staff", "admin"), prefix="/youth-forum")
youth_only = role_required(Role.YOUTH_MEMBER)
staff_only = role_required(Role.STAFF)


@bp.route("/youth-forum/consent", methods=["GET", "POST"])
@youth_only
def consent():
    form = ConsentForm()
    current = services.consent_for(current_user)
    if form.validate_on_submit():
        with domain_errors(services.BallotError, field=form.parent_email):
            services.give_consent(current_user, form.age_group.data, form.parent_email.data or "")
            if form.age_group.data == AgeGroup.UNDER_THIRTEEN:
                flash("We have emailed your parent or carer. You can vote once they say it is OK.", "success")
            else:
                flash("Thank you. You can now vote in Youth Forum ballots.", "success")
            return redirect(url_for("ballots.index"))
    return render_template("ballots/consent.html", form=form, current=current)


@bp.route("/youth-forum/consent/parent/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour")
def parent_consent(token: str):
    found = services.consent_by_token(token)
    if found is None:
        return render_template("ballots/parent_consent_used.html"), 404
    form = ParentConsentForm()
    if form.validate_on_submit():
        services.parent_confirms(found)
        return render_template("ballots/parent_consent_done.html")
    return render_template("ballots/parent_consent.html", form=form)


@bp.route("/youth-forum/ballots/")
@login_required
def index():
    return render_template("ballots/index.html", ballots=services.list_ballots(),
                           consented=services.has_consent(current_user) if current_user.role == Role.YOUTH_MEMBER else None)


@bp.route("/youth-forum/ballots/new", methods=["GET", "POST"])
@staff_only
def new():
    form = BallotForm()
    form.ideas.choices = [(i.id, i.public_title) for i in services.ballot_ideas()]
    if form.validate_on_submit():
        with domain_errors(services.BallotError, field=form.ideas):
            ballot = services.create_ballot(current_user, form.title.data, form.ideas.data)
            flash("Ballot open. Youth Forum members can now vote.", "success")
            return redirect(url_for("ballots.ballot", ballot_id=ballot.id))
    return render_template("ballots/new.html", form=form)


def vote_field(form, error: services.BallotError):
    """The choice a refused vote's message shows by: the first for a missing first choice,
    the second for repeated choices or gaps, else the last."""
    if "different" in str(error) or "gaps" in str(error):
        return form.choice_2
    return form.choice_1 if "first" in str(error) else getattr(form, f"choice_{services.RANKS}")


@bp.route("/youth-forum/ballots/<int:ballot_id>", methods=["GET", "POST"])
@login_required
def ballot(ballot_id: int):
    found = db.get_or_404(Ballot, ballot_id)
    youth = current_user.role == Role.YOUTH_MEMBER
    if request.method == "POST" and not youth:
        abort(403)
    form = vote_form(found.options, services.RANKS)
    voted = youth and services.has_voted(found, current_user)
    consented = youth and services.has_consent(current_user)
    if youth and form.validate_on_submit():
        choices = [getattr(form, f"choice_{n + 1}").data for n in range(services.RANKS)]
        with domain_errors(services.BallotError, field=lambda error: vote_field(form, error)):
            services.vote(found, current_user, choices)
            flash("Thank you. Your vote has been counted.", "success")
            return redirect(url_for("ballots.ballot", ballot_id=found.id))
    return render_template("ballots/ballot.html", ballot=found, form=form, youth=youth, voted=voted,
                           consented=consented, ranks=services.RANKS)


STEPS = {"close": (services.close_ballot, "Ballot closed. Check the results, then publish them."),
         "publish": (services.publish_ballot, "Results published.")}


@bp.route("/youth-forum/ballots/<int:ballot_id>/<any(close, publish):step>", methods=["POST"])
@staff_only
def ballot_step(ballot_id: int, step: str):
    found = db.get_or_404(Ballot, ballot_id)
    act, done = STEPS[step]
    with domain_errors(services.BallotError, category="error"):
        act(found)
        flash(done, "success")
    return redirect(url_for("ballots.results", ballot_id=found.id))


@bp.route("/youth-forum/ballots/<int:ballot_id>/results")
def results(ballot_id: int):
    """Public once published; before that, staff only (and never while open)."""
    found = db.get_or_404(Ballot, ballot_id)
    if found.status != BallotStatus.PUBLISHED:
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.sign_in", next=request.path))
        if not current_user.is_staff:
            abort(403)
    return render_template("ballots/results.html", ballot=found,
                           results=services.ballot_results(found) if found.status != BallotStatus.OPEN else None)
