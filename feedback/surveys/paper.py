"""The printable paper version of a survey (PDF, standard or large print), numbered so that a
paper reply is typed in page by page: paper page N is the survey's Nth page and question K is
the Kth question, the same numbers assisted entry shows staff on each screen."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from ..models import Survey
from .kinds import kind_of


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


def paper_pages(survey: Survey, questions) -> list[tuple[int, list[dict]]]:
    """[(paper page, [question as printed])]: each question with its number, its choices (to
    tick), what to write, and when to answer it (routing)."""
    numbers = paper_numbers(questions)
    by_id = {q.id: q for q in questions}
    pages: dict[int, list[dict]] = {}
    for question in sorted(questions, key=lambda q: (q.page, q.position)):
        kind = kind_of(question)
        condition = None
        if question.show_if_question_id in by_id:
            earlier = by_id[question.show_if_question_id]
            labels = dict(kind_of(earlier).answer_choices(earlier))
            condition = (numbers[earlier.id].question, labels.get(question.show_if_value, question.show_if_value))
        pages.setdefault(numbers[question.id].page, []).append({
            "number": numbers[question.id].question, "text": question.text, "hint": question.hint,
            "required": question.required, "kind": question.kind, "choices": kind.answer_choices(question),
            "many": question.kind == "multi_choice", "condition": condition,
        })
    return sorted(pages.items())


def render_paper_pdf(survey: Survey, questions, large_print: bool = False) -> bytes:
    """A tagged PDF (PDF/UA) of the survey, for printing or posting."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_template("surveys/paper.html", survey=survey, pages=paper_pages(survey, questions),
                           large_print=large_print)
    # Everything is inline: no URL of any kind is fetched.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf(pdf_variant="pdf/ua-1")
