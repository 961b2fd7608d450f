"""The printable paper version of a survey (PDF, standard or large print), numbered so that a
paper reply is typed in page by page: paper page N is the survey's Nth page and question K is
the Kth question, the same numbers assisted entry shows staff on each screen."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from wtforms import DateField, SelectMultipleField

from ..models import Survey
from .kinds import kind_of
from .services import describe_routing


@dataclass(frozen=True)
class PaperNumber:
    page: int  # 1, 2, 3... in page order (survey pages may be numbered with gaps)
    question: int  # 1, 2, 3... across the whole survey


def paper_numbers(questions) -> dict[int, PaperNumber]:
    """Question id -> its paper page and question number, for questions in page order."""
    pages: dict[int, int] = {}
    numbers = {}
    for index, question in enumerate(sorted(questions, key=lambda q: (q.page, q.position)), start=1):
        page = pages.setdefault(question.page, len(pages) + 1)
        numbers[question.id] = PaperNumber(page, index)
    return numbers


def _answer_shape(kind, question) -> tuple[str, bool]:
    """How the answer is written on paper: ticked boxes (one or many), day/month/year, a
    large box for free text, or a line; and whether more than one box may be ticked."""
    field_class = getattr(kind.field(question), "field_class", None)
    many = isinstance(field_class, type) and issubclass(field_class, SelectMultipleField)
    if isinstance(field_class, type) and issubclass(field_class, DateField):
        return "day_month_year", many
    return ("long_text" if kind.has_free_text(question) else "line"), many


def paper_pages(survey: Survey, questions) -> list[tuple[int, list[dict], list[str]]]:
    """[(paper page, [question as printed], [routes after the page, in words])]: each question
    with its number, its choices (to tick), what to write, and when to answer it (routing)."""
    numbers = paper_numbers(questions)
    words = describe_routing(survey)
    pages: dict[int, list[dict]] = {}
    routes: dict[int, list[str]] = {}
    for question in sorted(questions, key=lambda q: (q.page, q.position)):
        kind = kind_of(question)
        shape, many = _answer_shape(kind, question)
        paper_page = numbers[question.id].page
        pages.setdefault(paper_page, []).append({
            "number": numbers[question.id].question, "text": question.text, "hint": question.hint,
            "required": question.required, "choices": kind.answer_choices(question),
            "many": many, "shape": shape, "condition": words.questions.get(question.id),
        })
        routes[paper_page] = words.after_page.get(question.page, [])
    return [(page, pages[page], routes.get(page, [])) for page in sorted(pages)]


def render_paper_pdf(survey: Survey, questions, large_print: bool = False) -> bytes:
    """A tagged PDF (PDF/UA) of the survey, for printing or posting."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_template("surveys/paper.html", survey=survey, pages=paper_pages(survey, questions),
                           large_print=large_print)
    # Everything is inline: no URL of any kind is fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_variant="pdf/ua-1")
