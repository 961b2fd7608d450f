"""One answer per single-answer question, held by the database (answer.slot) and by a row
lock in save_page, and repaired by the migration where earlier races stored two."""

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from feedback.extensions import db
from feedback.models import Answer, Response
from feedback.responses import services

from .survey_factories import make_open_survey


def answer_counts(response_id: int) -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(
        select(Answer.question_id, func.count()).where(Answer.response_id == response_id).group_by(Answer.question_id)
    ).all())


def test_the_database_refuses_a_second_answer_to_a_single_answer_question(app):
    survey = make_open_survey()
    single = next(q for q in survey.questions if q.kind == "single_choice")
    response = services.start_response(survey)
    services.save_page(response, [single], {single.id: "Email"})
    db.session.add(Answer(response_id=response.id, question_id=single.id, value="Phone"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert answer_counts(response.id) == {single.id: 1}


def test_several_options_of_a_multiple_choice_question_are_kept(app):
    survey = make_open_survey()
    multi = next(q for q in survey.questions if q.kind == "multi_choice")
    response = services.start_response(survey)
    services.save_page(response, [multi], {multi.id: ["CAMHS", "Transport"]})
    assert answer_counts(response.id) == {multi.id: 2}


def seen_now(response_id: int):
    """What a question page reads before a save: the response's updated_at (no answers yet)."""
    return db.session.scalar(select(Response.updated_at).where(Response.id == response_id))


def test_a_save_from_a_page_read_before_another_tab_saved_replaces_that_answer(app):
    """A page read with no answers stored skips deleting them, unless a save came in between."""
    survey = make_open_survey()
    page = [q for q in survey.questions if q.page == 1]
    single = next(q for q in page if q.kind == "single_choice")
    multi = next(q for q in page if q.kind == "multi_choice")
    response = services.start_response(survey)
    seen = seen_now(response.id)  # this tab's page: nothing stored yet
    services.save_page(response, page, {single.id: "Email", multi.id: ["CAMHS", "Transport"]})  # another tab
    services.save_page(response, page, {single.id: "Phone", multi.id: ["Transport"]}, answers={}, seen=seen)
    stored = db.session.execute(select(Answer.question_id, Answer.value).where(Answer.response_id == response.id)
                                .order_by(Answer.id)).all()
    assert sorted(tuple(row) for row in stored) == sorted([(single.id, "Phone"), (multi.id, "Transport")])
    # A page read as it is now saves in place of what it showed.
    after = services.save_page(response, page, {single.id: "Letter", multi.id: []},
                               answers={single.id: [("Phone", None)], multi.id: [("Transport", None)]},
                               seen=seen_now(response.id))
    assert answer_counts(response.id) == {single.id: 1} and after[single.id] == [("Letter", None)]


def test_twenty_parallel_saves_of_one_page_leave_one_answer_per_question(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers; the race is checked on PostgreSQL")
    survey = make_open_survey()
    page = [q for q in survey.questions if q.page == 1]
    single = next(q for q in page if q.kind == "single_choice")
    multi = next(q for q in page if q.kind == "multi_choice")
    response_id = services.start_response(survey).id
    barrier = threading.Barrier(20)
    errors = []
    choices = ["Email", "Phone", "Letter"]

    def save(n: int):
        with app.app_context():
            response = db.session.get(Response, response_id)
            seen = seen_now(response_id)  # every thread's page was read with nothing stored
            db.session.commit()  # back to the pool: 20 threads share 15 connections
            barrier.wait(timeout=60)
            try:
                services.save_page(response, page, {single.id: choices[n % 3], multi.id: ["CAMHS", "Transport"]},
                                   answers={} if n % 2 else None, seen=seen if n % 2 else None)
            except Exception as error:  # a save that loses a race must not become an error page
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert answer_counts(response_id) == {single.id: 1, multi.id: 2}


def test_the_migration_keeps_the_last_of_duplicate_answers(app):
    survey = make_open_survey()
    single = next(q for q in survey.questions if q.kind == "single_choice")
    multi = next(q for q in survey.questions if q.kind == "multi_choice")
    response = services.start_response(survey)
    response_id, single_id, multi_id = response.id, single.id, multi.id
    db.session.remove()
    downgrade(revision="0007_contact_requests")
    answer = sa.table("answer", sa.column("response_id"), sa.column("question_id"), sa.column("value"))
    with db.engine.begin() as connection:
        connection.execute(answer.insert(), [
            {"response_id": response_id, "question_id": single_id, "value": "Email"},
            {"response_id": response_id, "question_id": single_id, "value": "Phone"},
            {"response_id": response_id, "question_id": multi_id, "value": "CAMHS"},
            {"response_id": response_id, "question_id": multi_id, "value": "Transport"},
        ])
    upgrade()
    stored = db.session.execute(select(Answer.question_id, Answer.value, Answer.slot)
                                .where(Answer.response_id == response_id).order_by(Answer.id)).all()
    assert [tuple(row) for row in stored] == [(single_id, "Phone", ""), (multi_id, "CAMHS", "CAMHS"),
                                              (multi_id, "Transport", "Transport")]
