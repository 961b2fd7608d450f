"""Staff pages: analysed comments (redacted), corrections, the theme taxonomy, emerging themes
and names to redact."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..errors import domain_errors
from ..extensions import db
from ..forms import ButtonForm
from ..models import RedactionName, Role, Survey, TextAnalysis, Theme, ThemeAssignment
from ..security import role_required
from ..templating import add_nav_item
from . import services
from .forms import AddThemeForm, NameForm, PromoteForm, RedactFragmentForm, SentimentForm, ThemeForm, split_terms

bp = Blueprint("comments", __name__, url_prefix="/manage")
add_nav_item("Comments", "comments.index", roles=(Role.STAFF,), prefix="/manage/comments")
staff_only = role_required(Role.STAFF)


@bp.route("/comments")
@staff_only
def index():
    survey_id = request.args.get("survey", type=int)
    theme_id = request.args.get("theme", type=int)
    label = request.args.get("label", "")
    query = select(TextAnalysis).where(TextAnalysis.source_type == "answer").order_by(TextAnalysis.id.desc())
    if survey_id:
        query = query.where(TextAnalysis.survey_id == survey_id)
    if theme_id:
        query = query.where(TextAnalysis.themes.any(ThemeAssignment.theme_id == theme_id))
    if label in services.LABELS:
        query = query.where(func.coalesce(TextAnalysis.label_override, TextAnalysis.label) == label)
    page = db.paginate(query, per_page=25, error_out=False)
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    themes = db.session.scalars(select(Theme).order_by(Theme.name)).all()
    return render_template("comments/index.html", page=page, surveys=surveys, themes=themes,
                           survey_id=survey_id, theme_id=theme_id, label=label, stale=services.count_stale())


@bp.route("/comments/<int:analysis_id>", methods=["GET", "POST"])
@staff_only
def comment(analysis_id: int):
    analysis = db.get_or_404(TextAnalysis, analysis_id)
    sentiment = SentimentForm(prefix="sentiment", label=analysis.effective_label)
    add = AddThemeForm(prefix="add")
    assigned = {a.theme_id for a in analysis.themes}
    add.theme.choices = [(t.id, t.name) for t in db.session.scalars(select(Theme).order_by(Theme.name)) if t.id not in assigned]
    if request.method == "POST":
        if "sentiment-submit" in request.form and sentiment.validate_on_submit():
            services.correct_sentiment(analysis, sentiment.label.data, current_user)
            flash(_("Sentiment corrected. Re-analysis will keep your correction."), "success")
            return redirect(url_for("comments.comment", analysis_id=analysis.id))
        if "add-submit" in request.form and add.validate_on_submit():
            services.correct_theme(analysis, db.get_or_404(Theme, add.theme.data), "add", current_user)
            flash(_("Theme added. Re-analysis will keep your correction."), "success")
            return redirect(url_for("comments.comment", analysis_id=analysis.id))
    return render_template("comments/comment.html", analysis=analysis, sentiment=sentiment, add=add,
                           button_form=ButtonForm(), redact_form=RedactFragmentForm(prefix="redact"))


@bp.route("/comments/<int:analysis_id>/redact", methods=["POST"])
@staff_only
def redact_fragment(analysis_id: int):
    """Remove a further fragment of one comment by hand (audited)."""
    analysis = db.get_or_404(TextAnalysis, analysis_id)
    form = RedactFragmentForm(prefix="redact")
    if form.validate_on_submit():
        with domain_errors(services.CommentError, category="error"):
            services.redact_fragment(analysis, form.fragment.data, current_user)
            flash(_("Those words are removed from this comment."), "success")
    else:
        flash(next(iter(form.fragment.errors), _("Enter the words to remove")), "error")
    return redirect(url_for("comments.comment", analysis_id=analysis.id))


@bp.route("/comments/<int:analysis_id>/themes/<int:theme_id>/remove", methods=["POST"])
@staff_only
def remove_theme(analysis_id: int, theme_id: int):
    analysis = db.get_or_404(TextAnalysis, analysis_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.correct_theme(analysis, db.get_or_404(Theme, theme_id), "remove", current_user)
    flash(_("Theme removed. Re-analysis will keep your correction."), "success")
    return redirect(url_for("comments.comment", analysis_id=analysis.id))


@bp.route("/themes", methods=["GET", "POST"])
@staff_only
def themes():
    form = ThemeForm()
    if form.validate_on_submit():
        with domain_errors(services.CommentError, field=form.name):
            services.save_theme(None, **form.theme_fields())
            flash(_("Theme added. Run `flask analyse` (or wait for the next run) to apply it to past comments."), "success")
            return redirect(url_for("comments.themes"))
    counts = dict(db.session.execute(
        select(ThemeAssignment.theme_id, func.count()).group_by(ThemeAssignment.theme_id)).all())
    all_themes = db.session.scalars(select(Theme).order_by(Theme.active.desc(), Theme.name)).all()
    return render_template("comments/themes.html", themes=all_themes, counts=counts, form=form,
                           stale=services.count_stale())


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@staff_only
def theme(theme_id: int):
    theme = db.get_or_404(Theme, theme_id)
    if request.method == "GET":
        form = ThemeForm(obj=theme, keywords=", ".join(theme.keywords), phrases=", ".join(theme.phrases))
    else:
        form = ThemeForm()
    if form.validate_on_submit():
        with domain_errors(services.CommentError, field=form.keywords):
            services.save_theme(theme, **form.theme_fields())
            flash(_("Theme saved. Comments will be re-analysed with it."), "success")
            return redirect(url_for("comments.themes"))
    return render_template("comments/theme.html", theme=theme, form=form)


@bp.route("/themes/emerging", methods=["GET", "POST"])
@staff_only
def emerging():
    survey_id = request.args.get("survey", type=int)
    form = PromoteForm()
    if form.validate_on_submit():
        with domain_errors(services.CommentError, field=form.name):
            services.save_theme(None, name=form.name.data, description=form.description.data,
                                keywords=split_terms(form.keywords.data), phrases=[], active=True, origin="emerging")
            flash(_("Theme added to the taxonomy."), "success")
            return redirect(url_for("comments.themes"))
    candidates, unmatched = services.emerging_themes(survey_id)
    return render_template("comments/emerging.html", candidates=candidates, unmatched=unmatched, form=form)


@bp.route("/redaction-names", methods=["GET", "POST"])
@staff_only
def names():
    form = NameForm()
    if form.validate_on_submit():
        with domain_errors(services.CommentError, field=form.name):
            services.add_redaction_name(form.name.data)
            flash(_("Name added. New comments will have it removed; run `flask analyse` for past ones."), "success")
            return redirect(url_for("comments.names"))
    return render_template("comments/names.html", form=form, button_form=ButtonForm(),
                           names=db.session.scalars(select(RedactionName).order_by(RedactionName.name)).all())


@bp.route("/redaction-names/<int:name_id>/remove", methods=["POST"])
@staff_only
def remove_name(name_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.remove_redaction_name(name_id)
    return redirect(url_for("comments.names"))


def analyse_demo_comments():
    """After the demo surveys exist: seed the taxonomy and analyse their comments."""
    services.seed_taxonomy()
    services.analyse_stale()
