"""The whole journey as families will see it, for co-design partners and staff: the start
page (time, closing date, privacy text), every question page, "About you" and the end, in
English or any language or Easy Read version, drawn with the families' own templates.
Nothing is saved: every form goes to the next page with GET, without a CSRF token or a
response."""

from types import SimpleNamespace

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..extensions import db
from ..main.services import AUDIENCE_LABELS
from ..models import Channel, Survey
from ..surveys.kinds import kind_of
from ..surveys.services import can_co_design, credited_partners, describe_routing
from ..surveys.translations import version_codes, version_lang, version_name, version_rows, version_title
from . import services
from .forms import AboutYouForm, StartForm, page_form

bp = Blueprint("preview", __name__, url_prefix="/co-design/<int:survey_id>/preview/<version>")


class _NoCsrf:
    class Meta:
        csrf = False


class PreviewStartForm(_NoCsrf, StartForm):
    pass


class PreviewAboutYouForm(_NoCsrf, AboutYouForm):
    pass


def _survey(survey_id: int, version: str) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if not can_co_design(current_user, survey):
        abort(403)
    if version != "en" and version not in version_codes():
        abort(404)
    return survey


def _pages(survey: Survey, version: str) -> list[list]:
    """Every page of the version, each question on it, whatever the routing (the preview
    says which questions and pages routing may skip)."""
    pages: dict[int, list] = {}
    for question in services.version_design(survey, version).questions:
        pages.setdefault(question.page, []).append(question)
    return [pages[number] for number in sorted(pages)]


def _render(template: str, survey: Survey, version: str, next_url: str, **context):
    """A family template in the version's language (its interface too, where it is one),
    with the preview banner and forms that only move on."""
    preview = SimpleNamespace(next=next_url, version=version, version_name=version_name(version),
                              back_to=url_for("co_design.survey", survey_id=survey.id))
    locale = version if version in current_app.config["LANGUAGES"] else None
    if locale is None:
        return render_template(template, survey=survey, preview=preview, **context)
    with force_locale(locale):
        return render_template(template, survey=survey, preview=preview, **context)


@bp.route("/")
@login_required
def start(survey_id: int, version: str):
    survey = _survey(survey_id, version)
    head, _rows = version_rows(survey, version) if version != "en" else (None, {})
    pages = _pages(survey, version)
    form = PreviewStartForm(formdata=None)
    next_url = (url_for("preview.page", survey_id=survey.id, version=version, position=1) if pages
                else url_for("preview.about_you", survey_id=survey.id, version=version))
    return _render("responses/start.html", survey, version, next_url, form=form, pages=len(pages),
                   partners=credited_partners(survey), continuing=False, versions=[version], version_items=[],
                   version_title=head.title if head and head.title else survey.title,
                   version_purpose=head.purpose if head and head.purpose else survey.purpose,
                   audience=AUDIENCE_LABELS.get(survey.audience, survey.audience))


@bp.route("/pages/<int:position>")
@login_required
def page(survey_id: int, version: str, position: int):
    survey = _survey(survey_id, version)
    pages = _pages(survey, version)
    if not 1 <= position <= len(pages):
        abort(404)
    questions = pages[position - 1]
    next_url = (url_for("preview.page", survey_id=survey.id, version=version, position=position + 1)
                if position < len(pages) else url_for("preview.about_you", survey_id=survey.id, version=version))
    back = (url_for("preview.page", survey_id=survey.id, version=version, position=position - 1) if position > 1
            else url_for("preview.start", survey_id=survey.id, version=version))
    routing = describe_routing(survey)
    form = page_form(questions, csrf=False)
    return _render(
        "responses/page.html", survey, version, next_url, form=form, questions=questions, number=questions[0].page,
        position=position, total=len(pages), back=back, paper={},
        response=SimpleNamespace(language=version, channel=Channel.ONLINE),
        has_free_text=any(kind_of(q).has_free_text(q) for q in questions),
        content_lang=version_lang(version), survey_title=version_title(survey, version),
        routing_notes={q.id: routing.questions[q.id] for q in questions if routing.questions.get(q.id)},
    )


@bp.route("/about-you")
@login_required
def about_you(survey_id: int, version: str):
    survey = _survey(survey_id, version)
    pages = _pages(survey, version)
    back = (url_for("preview.page", survey_id=survey.id, version=version, position=len(pages)) if pages
            else url_for("preview.start", survey_id=survey.id, version=version))
    return _render("responses/about_you.html", survey, version,
                   url_for("preview.end", survey_id=survey.id, version=version),
                   form=PreviewAboutYouForm(formdata=None), back=back, can_save=False)


@bp.route("/end")
@login_required
def end(survey_id: int, version: str):
    survey = _survey(survey_id, version)
    return _render("co_design/preview_end.html", survey, version,
                   url_for("co_design.survey", survey_id=survey.id))
