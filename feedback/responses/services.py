"""Answering a survey: start, answer page by page, save and resume, submit exactly once."""

import hashlib
import secrets
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, insert, select, update

from .. import outbox
from ..extensions import db
from ..models import EASY_READ, Answer, Channel, PageRoute, Question, Response, ResponseStatus, Survey, SurveyStatus
from ..models.base import utcnow
from ..surveys.kinds import FrozenSettings, kind_of
from ..surveys.routing import PagePlan, Rule, plan_pages
from ..surveys.services import accepting_responses
from ..surveys.translations import version_rows, version_stamp

RESUME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out and type
REFERENCE_ALPHABET = RESUME_ALPHABET

RESPONDENT_TYPES = [
    ("parent_carer", _l("A parent or carer")),
    ("young_person", _l("A young person")),
    ("professional", _l("Someone who works with children and young people")),
    ("prefer_not", _l("Prefer not to say")),
]
LOCALITIES = [
    "Breckland", "Broadland", "Great Yarmouth", "King's Lynn and West Norfolk",
    "North Norfolk", "Norwich", "South Norfolk", "Outside Norfolk",
]
AGE_BANDS = [("0-4", _l("0 to 4")), ("5-10", _l("5 to 10")), ("11-15", _l("11 to 15")), ("16-18", _l("16 to 18")),
             ("19-25", _l("19 to 25"))]


class ResponseError(Exception):
    """A rule about answering was broken; the message is safe to show."""


class SurveyClosed(ResponseError):
    pass


class InvalidAnswer(ResponseError):
    """An answer its question's kind refuses (the message names the question)."""

    def __init__(self, question_id: int, message: str):
        super().__init__(message)
        self.question_id = question_id


class ResumeCodeNotFound(ResponseError):
    pass


class AlreadySent(ResumeCodeNotFound):
    """The code's answers were submitted: the code is kept (unusable) only to say so."""


def _code(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def normalise_resume_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash_code(code: str) -> str:
    return hashlib.sha256(normalise_resume_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def tidy_code(typed: str) -> str:
    """A code as typed ("abcd 2345") as it is shown ("ABCD-2345")."""
    return format_code(normalise_resume_code(typed))


def require_open(survey: Survey) -> None:
    if not accepting_responses(survey):
        raise SurveyClosed(_("‘%(survey)s’ is closed and is not taking answers any more.", survey=survey.title))


def start_response(survey: Survey, channel: str = Channel.ONLINE, entered_by=None, language: str = "en") -> Response:
    require_open(survey)
    response = Response(survey=survey, channel=channel, entered_by_id=entered_by.id if entered_by else None,
                        language=language)
    db.session.add(response)
    db.session.commit()
    return response


def answers_by_question(response: Response) -> dict[int, list[tuple[str, float | None]]]:
    rows: dict[int, list] = {}
    stored = db.session.execute(
        select(Answer.question_id, Answer.value, Answer.number)
        .where(Answer.response_id == response.id).order_by(Answer.id)
    )
    for question_id, value, number in stored:
        rows.setdefault(question_id, []).append((value, number))
    return rows


@dataclass(frozen=True)
class FixedQuestion:
    """A question of an open or closed survey, as families answer it: a plain, immutable copy
    of the row, safe to keep between requests."""

    id: int
    page: int
    position: int
    kind: str
    text: str
    hint: str
    required: bool
    options: tuple
    allow_dont_know: bool
    allow_prefer_not: bool
    max_length: int | None
    min_value: float | None
    max_value: float | None
    settings: FrozenSettings
    dimensions: tuple
    show_when: Rule | None  # read from the row's stored condition set
    # A version in another language or Easy Read (surveys.translations): its answers' labels
    # ((value, label) pairs), pictures and the version's code. English has none of these.
    option_labels: tuple = ()
    picture_id: int | None = None
    picture_alt: str = ""
    option_pictures: tuple = ()  # (value, picture id, alt text)
    version: str = "en"

    def __hash__(self) -> int:
        # Worked out once per copy (the fields never change): every request looks its
        # questions up in the form-class and field-skeleton caches.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            found = self.__dict__["_hash"] = hash(tuple(getattr(self, f.name) for f in fields(self)))
            return found

    @classmethod
    def copy(cls, question: Question) -> "FixedQuestion":
        values = {f.name: getattr(question, f.name, f.default) for f in fields(cls)}
        return cls(**{**values, "options": tuple(values["options"] or ()),
                      "settings": FrozenSettings(values["settings"] or {}),
                      "dimensions": tuple(values["dimensions"] or ()), "show_when": Rule.read(values["show_when"])})

    def translated(self, row, language: str, page: int) -> "FixedQuestion":
        """This question in a version: the same id and option values, the version's words."""
        pictures = tuple((value, shown["picture"], shown.get("alt", ""))
                         for value, shown in sorted((row.option_pictures or {}).items()))
        return replace(self, text=row.text, hint=row.hint or "", page=page,
                       option_labels=tuple(sorted((row.option_labels or {}).items())),
                       picture_id=row.picture_id, picture_alt=row.picture_alt or "",
                       option_pictures=pictures, version=language)


# Questions cannot change once a survey is open (surveys.services.EDITABLE), and any change
# of status updates survey.updated_at, so (id, updated_at) names one fixed set of questions.
FIXED_STATUSES = (SurveyStatus.OPEN, SurveyStatus.CLOSED)


@dataclass(frozen=True)
class Design:
    """What routing needs of a survey: its questions in page order and its page routes."""

    questions: tuple
    routes: tuple[Rule, ...]
    title: str | None = None  # a version's own title of the wave (None: the survey's)

    def plan(self, answers: dict) -> list[PagePlan]:
        return plan_pages(self.questions, self.routes, answers)


def _routes(rows) -> tuple[Rule, ...]:
    return tuple(rule for rule in (Rule.read({"match": r.match, "conditions": r.conditions}, r.page, r.goto_page)
                                   for r in rows) if rule is not None)


# Bounded by the number of surveys kept (64); holds questions and routes, never answers.
@lru_cache(maxsize=64)
def _fixed_design(survey_id: int, updated_at: datetime) -> Design:
    rows = db.session.scalars(
        select(Question).where(Question.survey_id == survey_id).order_by(Question.page, Question.position)
    )
    routes = db.session.scalars(select(PageRoute).where(PageRoute.survey_id == survey_id)
                                .order_by(PageRoute.page, PageRoute.position))
    return Design(tuple(FixedQuestion.copy(q) for q in rows), _routes(routes))


def survey_design(survey: Survey) -> Design:
    """The survey's questions and routes; loaded once per process while it is open or closed."""
    if survey.status not in FIXED_STATUSES:
        return Design(tuple(sorted(survey.questions, key=lambda q: (q.page, q.position))), _routes(survey.routes))
    return _fixed_design(survey.id, survey.updated_at)


def survey_questions(survey: Survey) -> tuple:
    """The survey's questions in page order."""
    return survey_design(survey).questions


def _easy_read_routes(english: tuple, routes: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The wave's page routes on Easy Read's pages (one question a page): a route tried after
    a page is tried after that page's last question; it goes to the first question of the
    page it named."""
    last: dict[int, int] = {}
    for index, question in enumerate(english):
        last[question.page] = index + 1
    moved = []
    for route in routes:
        after = max((n for page, n in last.items() if page <= route.page), default=None)
        if after is None:
            continue
        goto = None
        if route.goto_page is not None:
            goto = next((i + 1 for i, q in enumerate(english) if q.page >= route.goto_page), len(english) + 1)
        moved.append(replace(route, page=after, goto_page=goto))
    return tuple(moved)


def _build_version_design(survey: Survey, language: str) -> Design:
    head, rows = version_rows(survey, language)
    english = survey_design(survey)
    plain = tuple(q if isinstance(q, FixedQuestion) else FixedQuestion.copy(q) for q in english.questions)
    # Easy Read asks one question a page; other versions keep the wave's pages.
    easy_read = language == EASY_READ
    questions = tuple(
        question.translated(rows[question.id], language, index + 1 if easy_read else question.page)
        if question.id in rows
        else replace(question, version=language, page=index + 1 if easy_read else question.page)
        for index, question in enumerate(plain)
    )
    routes = _easy_read_routes(plain, english.routes) if easy_read else english.routes
    return Design(questions, routes, head.title if head is not None and head.title else None)


# Bounded like _fixed_design; `stamp` changes whenever the version's words change.
@lru_cache(maxsize=64)
def _version_design(survey_id: int, updated_at: datetime, language: str, stamp) -> Design:
    return _build_version_design(db.session.get(Survey, survey_id), language)


def version_design(survey: Survey, language: str | None) -> Design:
    """The survey's questions as the version `language` words them, with the wave's routing
    (English: survey_design)."""
    if not language or language == "en":
        return survey_design(survey)
    if survey.status not in FIXED_STATUSES:
        return _build_version_design(survey, language)
    return _version_design(survey.id, survey.updated_at, language, version_stamp(survey.id, language))


def version_questions(survey: Survey, language: str | None) -> tuple:
    """The survey's questions as the version `language` words them (English: survey_questions)."""
    return version_design(survey, language).questions


def response_plan(survey: Survey, response: Response, answers: dict) -> list[PagePlan]:
    """The pages this respondent sees, in the version they chose (surveys/routing.py)."""
    return version_design(survey, response.language).plan(answers)


def page_plan(survey: Survey, answers: dict) -> list[PagePlan]:
    """The pages this respondent will see, given their answers so far (surveys/routing.py)."""
    return survey_design(survey).plan(answers)


@lru_cache(maxsize=1)
def _save_statements():
    """save_page's statements, built once per process on the tables themselves (the values
    are bound when they run; nothing in the session needs updating by them)."""
    responses, answers = Response.__table__, Answer.__table__
    touch = update(responses).where(responses.c.id == bindparam("response_id")).values(updated_at=bindparam("now"))
    touch_unchanged = touch.where(responses.c.updated_at == bindparam("seen"))
    replace_answers = delete(answers).where(answers.c.response_id == bindparam("response_id"),
                                            answers.c.question_id.in_(bindparam("ids", expanding=True)))
    return touch, touch_unchanged, replace_answers, insert(answers)


def save_page(response: Response, questions, data: dict, answers: dict | None = None, seen=None) -> dict:
    """Replace the stored answers for these questions with what was entered. Returns all the
    response's answers afterwards. `answers` and `seen`, read together in one statement (the
    response's answers and its updated_at then), save a query and, when none of these
    questions had an answer, a DELETE."""
    require_open(response.survey)
    for question in questions:
        error = kind_of(question).problem(question, data.get(question.id))
        if error:
            raise InvalidAnswer(question.id, error)
    # Saves of one response take turns: the UPDATE of its row comes first and holds the row
    # lock (PostgreSQL; SQLite writes one at a time anyway) until the commit, so each save
    # deletes what the last one stored before it inserts. The unique slot index on answer
    # (see models.Answer) is the database's own guarantee behind this.
    # Every change to a response's answers changes its updated_at (this UPDATE), so when the
    # row still has the updated_at `seen` with `answers`, no save came in between: `answers`
    # are the stored ones, and if none is for these questions there is nothing to delete.
    # Otherwise the answers are read again under the lock.
    touch, touch_unchanged, replace_answers, add_answers = _save_statements()
    now = utcnow()
    current = answers is not None and seen is not None and db.session.execute(
        touch_unchanged, {"response_id": response.id, "now": now, "seen": seen}).rowcount == 1
    if not current:
        db.session.execute(touch, {"response_id": response.id, "now": now})
        answers = answers_by_question(response)
    ids = {q.id for q in questions}
    if not current or not ids.isdisjoint(answers):
        db.session.execute(replace_answers, {"response_id": response.id, "ids": list(ids)})
    rows = [
        {"response_id": response.id, "question_id": question.id, "value": value, "number": number, "slot": slot}
        for question in questions
        for value, number, slot in kind_of(question).stored_rows(question, data.get(question.id))
    ]
    if rows:
        db.session.execute(add_answers, rows)
    db.session.commit()
    db.session.expire(response, ["answers"])
    after = {question_id: kept for question_id, kept in answers.items() if question_id not in ids}
    for row in rows:
        after.setdefault(row["question_id"], []).append((row["value"], row["number"]))
    return after


def choose_version(response: Response, language: str) -> None:
    """An unfinished response carries on in another version (its answers stay: same questions)."""
    if response.language != language:
        response.language = language
        db.session.commit()


def save_about_you(response: Response, respondent_type, locality, child_age_band, consent_to_quote: bool) -> None:
    require_open(response.survey)
    response.respondent_type = respondent_type or None
    response.locality = locality or None
    response.child_age_band = child_age_band or None
    response.consent_to_quote = consent_to_quote
    response.about_you_done = True
    db.session.commit()


def _current_code(response: Response, code: str | None) -> bool:
    """Is `code` this response's code, and still valid?"""
    return bool(
        code
        and response.resume_code_hash == _hash_code(code)
        and response.resume_expires_at is not None
        and response.resume_expires_at > utcnow()
    )


def code_is_current(response: Response, code: str | None) -> bool:
    return response.status == ResponseStatus.IN_PROGRESS and _current_code(response, code)


ABOUT_YOU_PAGE = 0  # Response.resume_page for "About you"


def issue_resume_code(response: Response, known: str | None = None, page: int | None = None) -> tuple[str, int]:
    """The code to come back with. If `known` (the code this browser was given or typed) is
    still the response's code it stays, with its clock restarted, so a code written down
    keeps working; otherwise a new one, and any earlier code stops working."""
    require_open(response.survey)
    days = current_app.config.get("RESUME_DAYS", 90)
    if _current_code(response, known):
        code = normalise_resume_code(known)
    else:
        for _ in range(5):
            code = _code(RESUME_ALPHABET, 8)
            if db.session.scalar(select(Response.id).where(Response.resume_code_hash == _hash_code(code))) is None:
                break
        response.resume_code_hash = _hash_code(code)
    response.resume_expires_at = utcnow() + timedelta(days=days)
    if page is not None:
        response.resume_page = page
    db.session.commit()
    return format_code(code), days


def peek_resume_code(code: str) -> Response:
    """The unfinished response a code opens, without using the code."""
    response = db.session.scalar(select(Response).where(Response.resume_code_hash == _hash_code(code)))
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        raise AlreadySent(_("The answers saved with this code have already been sent, so there is nothing to "
                            "continue. Thank you for taking part."))
    if (
        response is None
        or response.status != ResponseStatus.IN_PROGRESS
        or response.resume_expires_at is None
        or response.resume_expires_at <= utcnow()
    ):
        raise ResumeCodeNotFound(_("We could not find saved answers for that code. Check the code and try again."))
    require_open(response.survey)
    return response


def find_by_resume_code(code: str) -> Response:
    response = peek_resume_code(code)
    # Using a code again restarts the clock: answers are kept for the period after last use.
    response.resume_expires_at = utcnow() + timedelta(days=current_app.config.get("RESUME_DAYS", 90))
    db.session.commit()
    return response


def submit_response(response_id: int) -> str:
    """Submit exactly once: a second or simultaneous submit returns the same reference.
    One commit stores the response and its outbox event; the follow-on work comes after."""
    response = db.session.get(Response, response_id)
    if response.status == ResponseStatus.SUBMITTED:
        return response.reference
    require_open(response.survey)
    answers = answers_by_question(response)
    visible = {q.id for plan in response_plan(response.survey, response, answers) for q in plan.questions}
    hidden = [qid for qid in answers if qid not in visible]
    reference = "FB-" + _code(REFERENCE_ALPHABET, 8)
    now = utcnow()
    # One conditional UPDATE decides the winner when the same response is submitted twice at once.
    claimed = db.session.execute(
        update(Response)
        .where(Response.id == response_id, Response.status == ResponseStatus.IN_PROGRESS)
        .values(status=ResponseStatus.SUBMITTED, reference=reference, submitted_at=now,
                resume_expires_at=None, resume_page=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return db.session.scalar(select(Response.reference).where(Response.id == response_id))
    if hidden:
        # Answers to questions that routing later skipped are not part of the response.
        db.session.execute(delete(Answer).where(Answer.response_id == response_id, Answer.question_id.in_(hidden)))
    # The work that follows (analysis, safeguarding, results) is an event in this same
    # transaction: the response and the promise to follow it up commit together.
    event = outbox.record("response.submitted", response_id, survey_id=response.survey_id)
    db.session.commit()
    outbox.dispatch([event.id])
    return reference


def missing_required(response: Response) -> list[Question]:
    answers = answers_by_question(response)
    return [
        q for plan in response_plan(response.survey, response, answers) for q in plan.questions
        if q.required and q.id not in answers
    ]
