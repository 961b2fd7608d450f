"""Youth Forum ideas: put one forward, browse, support, discuss and report them; staff
moderate and respond; authors follow what happened on "My ideas" and in notifications."""

import os
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_limiter.util import get_remote_address

from ..errors import domain_errors
from ..extensions import db, limiter
from ..forms import ButtonForm
from ..models import Idea, IdeaComment, IdeaReport, Role
from ..models.ideas import RESPONSE_STATUSES, VISIBLE_STATUSES, IdeaStatus
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .forms import (
    CATEGORIES,
    REPORT_REASONS,
    ChangeIdeaForm,
    CommentForm,
    IdeaForm,
    RemoveForm,
    ReportForm,
    RespondForm,
)

bp = Blueprint("ideas", __name__, url_prefix="/ideas")
add_nav_item("Ideas", "ideas.browse", roles=(Role.YOUTH_MEMBER, Role.FORUM_MEMBER, Role.STAFF), prefix="/ideas")

youth_only = role_required(Role.YOUTH_MEMBER)
staff_only = role_required(Role.STAFF)
readers = role_required(Role.YOUTH_MEMBER, Role.FORUM_MEMBER, Role.STAFF)
DRAFT_KEY = "idea_draft"


@bp.record_once
def configure(state):
    # Pre-moderation is on unless a council chooses otherwise (IDEAS_PREMODERATION=0).
    state.app.config.setdefault("IDEAS_PREMODERATION", os.environ.get("IDEAS_PREMODERATION", "1") != "0")


def consent_required(view):
    """Routes that publish a young person's words (or their support) need valid consent:
    without it they are sent to the page that explains how to give it."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not services.has_consent(current_user):
            return redirect(url_for("ideas.consent_needed"))
        return view(*args, **kwargs)

    return wrapped


def per_member() -> str:
    """Rate limits count per person, so young people sharing a school network are not
    limited by each other."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def get_idea(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    if not services.can_see(idea, current_user):
        abort(404)  # do not confirm that an unpublished idea exists
    return idea


def own_idea(idea_id: int) -> Idea:
    idea = get_idea(idea_id)
    if idea.author_id != current_user.id:
        abort(403)
    return idea


def button_step(act, done: str, to: str):
    """A one-button POST: the CSRF check (400 without it), then `act()` and `done` as a success
    message, or the refusal's message instead; then on to `to`."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    with domain_errors(services.IdeaError):
        act()
        flash(done, "success")
    return redirect(to)


def removal_page(item, remove, done: str, idea: Idea, comment: IdeaComment | None):
    """Staff remove an idea or a comment with a reason its author can read."""
    form = RemoveForm()
    if form.validate_on_submit():
        with domain_errors(services.IdeaError, field=form.reason):
            remove(item, current_user, form.reason.data)
            flash(done, "success")
            return redirect(url_for("ideas.moderation"))
    return render_template("ideas/remove.html", form=form, idea=idea, comment=comment)


# Browsing and reading


@bp.route("")
@readers
def browse():
    sort = request.args.get("sort", "supported")
    sort = sort if sort in services.SORTS else "supported"
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    status = request.args.get("status", "")
    status = status if status in VISIBLE_STATUSES else ""
    words = request.args.get("q", "").strip()[:100]
    page = request.args.get("page", 1, type=int)
    rows, pagination = services.browse(sort, category, status, words, page)
    return render_template(
        "ideas/browse.html", rows=rows, pagination=pagination, sort=sort, sorts=services.SORTS,
        category=category, categories=CATEGORIES, status=status,
        statuses=[IdeaStatus(s) for s in VISIBLE_STATUSES], words=words,
    )


@bp.route("/<int:idea_id>")
@readers
def idea(idea_id: int):
    item = get_idea(idea_id)
    return render_template(
        "ideas/idea.html",
        idea=item,
        counts=services.counts([item])[item.id],
        comments=services.visible_comments(item, current_user),
        supports=services.supports(item, current_user),
        comment_form=CommentForm(),
        button_form=ButtonForm(),
        public_name=services.public_name,
        actions=services.idea_actions(item),
    )


# Putting an idea forward: the form, then check it, then send


@bp.route("/new", methods=["GET", "POST"])
@youth_only
@consent_required
def new():
    form = IdeaForm(data=session.get(DRAFT_KEY) if request.method == "GET" else None)
    if form.validate_on_submit():
        session[DRAFT_KEY] = {"title": form.title.data, "body": form.body.data, "category": form.category.data}
        return redirect(url_for("ideas.check"))
    return render_template("ideas/new.html", form=form)


@bp.route("/new/check", methods=["GET", "POST"])
@youth_only
@consent_required
@limiter.limit("10 per hour", methods=["POST"], key_func=per_member)
def check():
    draft = session.get(DRAFT_KEY)
    if not draft:
        return redirect(url_for("ideas.new"))
    form = ButtonForm()
    if form.validate_on_submit():
        item = services.submit_idea(current_user, draft["title"], draft["body"], draft["category"])
        session.pop(DRAFT_KEY, None)
        return redirect(url_for("ideas.sent", idea_id=item.id))
    return render_template("ideas/check.html", draft=draft, form=form)


@bp.route("/<int:idea_id>/sent")
@youth_only
def sent(idea_id: int):
    idea = own_idea(idea_id)
    return render_template("ideas/sent.html", idea=idea, help_needed=services.SAFEGUARDING_NOTE in (idea.moderation_note or ""),
                           help=current_app.config["SAFEGUARDING_HELP"])


@bp.route("/<int:idea_id>/change", methods=["GET", "POST"])
@youth_only
@consent_required
def change(idea_id: int):
    item = own_idea(idea_id)
    if not item.is_editable:
        flash(_("You cannot change this idea now the council has answered it."), "info")
        return redirect(url_for("ideas.idea", idea_id=item.id))
    form = ChangeIdeaForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        with domain_errors(services.IdeaError, field=form.title):
            services.change_idea(item, current_user, form.title.data, form.body.data, form.category.data)
            held = item.status == IdeaStatus.SUBMITTED
            flash(_("Your changes are saved. We will check your idea again before it is shown.") if held
                  else _("Your changes are saved."), "success")
            return redirect(url_for("ideas.idea", idea_id=item.id))
    return render_template("ideas/change.html", form=form, idea=item)


@bp.route("/<int:idea_id>/withdraw", methods=["GET", "POST"])
@youth_only
def withdraw(idea_id: int):
    item = own_idea(idea_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with domain_errors(services.IdeaError, field=form):
            services.withdraw_idea(item, current_user)
            flash(_("You have withdrawn “%(title)s”.", title=item.title), "success")
            return redirect(url_for("ideas.mine"))
    return render_template("ideas/withdraw.html", idea=item, form=form)


# Supporting, discussing and reporting


@bp.route("/<int:idea_id>/support", methods=["POST"])
@youth_only
@consent_required
@limiter.limit("60 per hour", key_func=per_member)
def support(idea_id: int):
    item = get_idea(idea_id)
    return button_step(lambda: services.support_idea(item, current_user), _("You support this idea."),
                       url_for("ideas.idea", idea_id=item.id))


@bp.route("/<int:idea_id>/support/remove", methods=["POST"])
@youth_only
@limiter.limit("60 per hour", key_func=per_member)
def unsupport(idea_id: int):
    item = get_idea(idea_id)
    return button_step(lambda: services.withdraw_support(item, current_user), _("You no longer support this idea."),
                       url_for("ideas.idea", idea_id=item.id))


@bp.route("/<int:idea_id>/comments", methods=["POST"])
@youth_only
@consent_required
@limiter.limit("30 per hour", key_func=per_member)
def comment(idea_id: int):
    item = get_idea(idea_id)
    form = CommentForm()
    if form.validate_on_submit():
        with domain_errors(services.IdeaError, field=form.body):
            added = services.add_comment(item, current_user, form.body.data)
            flash(_("Thank you. Your comment is showing.") if added.is_published
                  else _("Thank you. Your comment will show once someone has checked it."), "success")
            return redirect(url_for("ideas.idea", idea_id=item.id, _anchor="comments"))
    return render_template(
        "ideas/idea.html", idea=item, counts=services.counts([item])[item.id],
        comments=services.visible_comments(item, current_user), supports=services.supports(item, current_user),
        comment_form=form, form=form, button_form=ButtonForm(), public_name=services.public_name,
    )


@bp.route("/<int:idea_id>/report", methods=["GET", "POST"])
@bp.route("/<int:idea_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@youth_only
@limiter.limit("20 per hour", methods=["POST"], key_func=per_member)
def report(idea_id: int, comment_id: int | None = None):
    item = get_idea(idea_id)
    reported = db.get_or_404(IdeaComment, comment_id) if comment_id is not None else None
    if reported is not None and (reported.idea_id != item.id or not reported.is_published):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        reason = dict(REPORT_REASONS)[form.reason.data]
        if form.details.data:
            reason = f"{reason}: {form.details.data}"
        with domain_errors(services.IdeaError, field=form.reason):
            services.report(item, current_user, reason, reported)
            flash(_("Thank you for telling us. Someone will look at it soon."), "success")
            return redirect(url_for("ideas.idea", idea_id=item.id))
    return render_template("ideas/report.html", idea=item, reported=reported, form=form)


@bp.route("/consent-needed")
@youth_only
def consent_needed():
    """Why a young person cannot put forward an idea, support or comment yet, and how to give consent."""
    return render_template("ideas/consent_needed.html", consent=services.youth_consent(current_user))


# Following your own ideas


@bp.route("/mine")
@youth_only
def mine():
    rows = services.my_ideas(current_user)
    actions = {row.idea.id: services.idea_actions(row.idea) for row in rows}
    return render_template("ideas/mine.html", rows=rows, actions=actions)


@bp.route("/notifications")
@login_required
def notifications():
    """Idea news now lives with every other notification."""
    return redirect(url_for("notifications.index"))


@bp.route("/delete-my-account", methods=["GET", "POST"])
@youth_only
def delete_account():
    form = ButtonForm()
    if form.validate_on_submit():
        services.delete_member_account(current_user)
        logout_user()
        session.clear()
        flash(_("Your account has been deleted. Your ideas stay, without your name."), "success")
        return redirect(url_for("main.home"))
    return render_template("ideas/delete_account.html", form=form)


# Staff: moderation, responses and the summary


@bp.route("/moderation")
@staff_only
def moderation():
    return render_template(
        "ideas/moderation.html", queue=services.moderation_queue(), form=ButtonForm(),
        premoderation=services.premoderation(), public_name=services.public_name,
    )


@bp.route("/<int:idea_id>/publish", methods=["POST"])
@staff_only
def publish(idea_id: int):
    item = db.get_or_404(Idea, idea_id)
    return button_step(lambda: services.publish_idea(item, current_user), _("“%(title)s” is published.", title=item.title),
                       url_for("ideas.moderation"))


@bp.route("/<int:idea_id>/remove", methods=["GET", "POST"])
@staff_only
def remove(idea_id: int):
    item = db.get_or_404(Idea, idea_id)
    return removal_page(item, services.remove_idea, _("“%(title)s” has been removed. Its author can see why.",
                                                      title=item.title), item, None)


@bp.route("/comments/<int:comment_id>/publish", methods=["POST"])
@staff_only
def publish_comment(comment_id: int):
    item = db.get_or_404(IdeaComment, comment_id)
    return button_step(lambda: services.publish_comment(item, current_user), _("The comment is published."),
                       url_for("ideas.moderation"))


@bp.route("/comments/<int:comment_id>/remove", methods=["GET", "POST"])
@staff_only
def remove_comment(comment_id: int):
    item = db.get_or_404(IdeaComment, comment_id)
    return removal_page(item, services.remove_comment, _("The comment has been removed."), item.idea, item)


@bp.route("/reports/<int:report_id>/keep", methods=["POST"])
@staff_only
def keep(report_id: int):
    item = db.get_or_404(IdeaReport, report_id)
    return button_step(lambda: services.keep_reported(item, current_user), _("The report is closed and the content stays."),
                       url_for("ideas.moderation"))


@bp.route("/<int:idea_id>/respond", methods=["GET", "POST"])
@staff_only
def respond(idea_id: int):
    item = db.get_or_404(Idea, idea_id)
    form = RespondForm()
    form.set_choices(item.response_choices())
    if form.validate_on_submit():
        with domain_errors(services.IdeaError, field=form.status):
            services.respond_to_idea(item, current_user, form.status.data, form.text.data)
            flash(_("Your update is published and the author has been told."), "success")
            return redirect(url_for("ideas.idea", idea_id=item.id))
    return render_template("ideas/respond.html", form=form, idea=item, can_respond=bool(item.response_choices()))


@bp.route("/summary")
@staff_only
def summary():
    return render_template("ideas/summary.html", summary=services.summary(), response_statuses=RESPONSE_STATUSES)
