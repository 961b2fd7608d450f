"""The paper version of each survey: a PDF (and a large-print PDF) whose page and question
numbers are the ones staff see when they type a paper reply in; assisted entry speaks to staff,
offers no save code and returns to the survey."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Role, Survey, SurveyStatus
from feedback.responses.services import page_plan, survey_questions

from .conftest import csrf_token, make_user
from .survey_factories import EVERY_KIND, make_open_survey

QUESTION = re.compile(r"Question (\d+)\. (.+)")
SCREEN_QUESTION = re.compile(r'app-paper-number">Question (\d+)</p>.*?<(?:legend|label)[^>]*>\s*'
                             r'(?:<h1[^>]*>\s*(?:<label[^>]*>\s*)?)?([^<]+?)\s*<', re.S)


def key(text: str) -> str:
    """A question by its first words (the PDF wraps long lines)."""
    return " ".join(text.replace("(optional)", "").split()[:4])
PAPER_PAGE = re.compile(r"Page (\d+) of (\d+)")


def pdf_text(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def body_size(data: bytes) -> float:
    """The size, in points, of the text of the answer choices (the most common size)."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip() in ("Email", "Phone", "Letter"):
            sizes.append(round(size * abs(tm[3]) * abs(cm[3]), 1))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    assert sizes
    return max(set(sizes), key=sizes.count)


def paper_numbering(data: bytes) -> dict[str, tuple[int, int]]:
    """question text -> (paper page, question number), read from the PDF's text."""
    numbering, paper_page = {}, None
    for text in pdf_text(data):
        text = re.sub(r"[ \t]+", " ", text)
        for line in text.splitlines():
            if match := PAPER_PAGE.search(line):
                paper_page = int(match.group(1))
            if match := QUESTION.search(line):
                numbering[key(match.group(2))] = (paper_page, int(match.group(1)))
    return numbering


def screen_numbering(client, survey) -> dict[str, tuple[int, int]]:
    """The same, read from the assisted-entry screens a member of staff goes through."""
    page = client.get(f"/manage/surveys/{survey.id}/enter")
    started = client.post(f"/manage/surveys/{survey.id}/enter",
                          data={"csrf_token": csrf_token(page.text), "channel": "paper"})
    assert started.status_code == 302
    numbering = {}
    for plan in page_plan(survey, {}):
        html = client.get(f"/surveys/{survey.slug}/pages/{plan.number}").text
        paper_page = int(re.search(r"Paper form: page (\d+)", html).group(1))
        assert "Save and come back later" not in html, "staff are not offered a family's save code"
        for number, text in SCREEN_QUESTION.findall(html):
            numbering[key(text)] = (paper_page, int(number))
    return numbering


@pytest.fixture
def staff_client(client, auth):
    staff = make_user(Role.STAFF)
    auth.sign_in(staff.email)
    return client, staff


def test_a_paper_pdf_for_every_demo_survey_numbered_as_assisted_entry(runner, staff_client):
    client, _ = staff_client
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.id)))
    assert surveys, "the demo has surveys"
    open_waves = [s for s in surveys if s.status == SurveyStatus.OPEN]
    assert open_waves
    screens = {s.id: screen_numbering(client, s) for s in open_waves}
    for survey in surveys:
        pdf = client.get(f"/manage/surveys/{survey.id}/paper.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        on_paper = paper_numbering(pdf.data)
        questions = survey_questions(survey)
        assert len(on_paper) == len(questions), "every question is on paper, numbered"
        assert sorted(n for _, n in on_paper.values()) == list(range(1, len(questions) + 1))
        # Every wave of the series has the same questions as the open one, so the same numbers.
        for numbering in screens.values():
            shared = set(numbering) & set(on_paper)
            assert shared
            for text in shared:
                assert numbering[text] == on_paper[text], text
    for survey in open_waves:
        on_paper = paper_numbering(client.get(f"/manage/surveys/{survey.id}/paper.pdf").data)
        # Every question a first screen shows (routing hides the rest until it is answered).
        assert len(screens[survey.id]) == sum(len(plan.questions) for plan in page_plan(survey, {}))
        # A grid's screen shows its statements where other questions show their text, so
        # questions are matched by text where the texts agree and by number for the rest.
        by_number = {n: text for text, n in on_paper.items()}
        for text, numbered in screens[survey.id].items():
            assert (on_paper[text] == numbered) if text in on_paper else numbered in by_number, text


def test_paper_numbers_match_screens_across_pages_and_large_print_is_larger(staff_client):
    client, staff = staff_client
    survey = make_open_survey(staff, questions=EVERY_KIND)
    standard = client.get(f"/manage/surveys/{survey.id}/paper.pdf")
    large = client.get(f"/manage/surveys/{survey.id}/paper.pdf?print=large")
    assert 'filename="' in large.headers["Content-Disposition"] and "large-print" in large.headers["Content-Disposition"]
    on_paper = paper_numbering(standard.data)
    assert on_paper == paper_numbering(large.data)
    assert body_size(large.data) >= 18 > body_size(standard.data) >= 12, "large print is 18 point or more"
    assert on_paper[key("How do you prefer to hear from us?")] == (1, 1)
    assert on_paper[key("When did you last contact us?")] == (4, 7)
    assert screen_numbering(client, survey) == on_paper
    text = "\n".join(pdf_text(standard.data))
    assert "The reference for this reply" in text and "Email" in text and "Prefer not to say" in text


def test_assisted_entry_speaks_to_staff_and_returns_to_the_survey(staff_client):
    client, staff = staff_client
    survey = make_open_survey(staff, questions=[dict(kind="yes_no", text="Did you get a reply?", page=1)])
    page = client.get(f"/manage/surveys/{survey.id}/enter")
    first = client.post(f"/manage/surveys/{survey.id}/enter",
                        data={"csrf_token": csrf_token(page.text), "channel": "paper"}).headers["Location"]
    screen = client.get(first)
    assert f'href="/manage/surveys/{survey.id}"' in screen.text, "back goes to the survey, not the family's start page"
    question_id = re.search(r'name="q(\d+)"', screen.text).group(1)
    # A save from a staff screen gives no code: it carries on.
    saved = client.post(first, data={"csrf_token": csrf_token(screen.text), f"q{question_id}": "yes", "save": "1"})
    assert "/saved" not in saved.headers["Location"]
    assert client.get(f"/surveys/{survey.slug}/save").headers["Location"].endswith("/check")
    about = client.get(f"/surveys/{survey.slug}/about-you")
    client.post(f"/surveys/{survey.slug}/about-you", data={"csrf_token": csrf_token(about.text)})
    check = client.get(f"/surveys/{survey.slug}/check")
    assert "Save and come back later" not in check.text
    client.post(f"/surveys/{survey.slug}/submit", data={"csrf_token": csrf_token(check.text)})
    done = client.get(f"/surveys/{survey.slug}/confirmation").text
    assert "The reference for this reply" in done and "Your reference number" not in done
    assert f'href="/manage/surveys/{survey.id}"' in done and "Enter another reply" in done
