"""A submission is one commit with an outbox event; the follow-on work (analysis, safeguarding,
results) reads the outbox inline or in the worker, exactly once, and never loses a response."""

import os
import uuid

import pytest
from sqlalchemy import event, func, select

from feedback import jobs, outbox
from feedback.analysis import safeguarding as assessment
from feedback.comments import services as comments
from feedback.extensions import db
from feedback.models import OutboxEvent, Response, ResponseStatus, SafeguardingFlag, TextAnalysis
from feedback.responses import services as responses

from .survey_factories import make_open_survey

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL")
needs_redis = pytest.mark.skipif(not REDIS_TEST_URL, reason="needs a Redis server (REDIS_TEST_URL)")
DISCLOSURE = "My dad hits me when I get home and I am scared to go back."
QUESTION = [dict(kind="free_text", text="What would make communication better?", page=1, max_length=1000)]


@pytest.fixture
def survey(app):
    comments.seed_taxonomy()
    return make_open_survey(questions=QUESTION)


def answered(survey, text=DISCLOSURE) -> int:
    response = responses.start_response(survey)
    question = survey.questions[0]
    responses.save_page(response, [question], {question.id: text})
    return response.id


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (TextAnalysis, SafeguardingFlag, OutboxEvent))


def test_without_redis_the_submission_is_followed_up_inline_from_the_outbox(survey):
    response_id = answered(survey)
    responses.submit_response(response_id)
    stored = db.session.scalar(select(OutboxEvent))
    assert (stored.kind, stored.subject_id, stored.attempts) == ("response.submitted", response_id, 1)
    assert stored.processed_at is not None
    assert counts() == (1, 1, 1)


def test_a_submission_is_one_commit_and_its_text_is_assessed_once(app, survey, monkeypatch):
    response_id = answered(survey)
    commits, assessed = [], []
    listener = lambda session: commits.append(1)  # noqa: E731
    event.listen(db.session, "after_commit", listener)
    real_rules = assessment._rules
    monkeypatch.setattr(assessment, "_rules", lambda text: (assessed.append(text), real_rules(text))[1])
    monkeypatch.setattr(outbox, "dispatch", lambda ids: None)  # only the submission itself
    try:
        responses.submit_response(response_id)
    finally:
        event.remove(db.session, "after_commit", listener)
    assert len(commits) == 1 and assessed == []
    assert db.session.get(Response, response_id).status == ResponseStatus.SUBMITTED
    assert outbox.process_waiting() == 1
    assert assessed == [DISCLOSURE]  # the analysis's assessment is the flag's: made once
    assert counts() == (1, 1, 1)


def test_a_failure_in_follow_on_work_never_loses_the_response(app, survey, monkeypatch, runner):
    response_id = answered(survey)

    def broken(response_id):
        raise RuntimeError("the analyser fell over")

    monkeypatch.setattr(jobs, "analyse_response", broken)
    reference = responses.submit_response(response_id)
    db.session.expire_all()
    response = db.session.get(Response, response_id)
    assert response.status == ResponseStatus.SUBMITTED and response.reference == reference
    waiting = db.session.scalar(select(OutboxEvent))
    assert waiting.processed_at is None and "the analyser fell over" in waiting.last_error
    assert counts() == (0, 0, 1)
    monkeypatch.undo()
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0 and "Processed 1" in result.output
    assert counts() == (1, 1, 1)


def test_events_are_processed_exactly_once_however_often_they_are_run(app, survey, runner, monkeypatch):
    monkeypatch.setattr(outbox, "dispatch", lambda ids: None)
    for _ in range(3):
        responses.submit_response(answered(survey))
    calls = []
    real = outbox.HANDLERS["response.submitted"]
    monkeypatch.setitem(outbox.HANDLERS, "response.submitted", lambda e: (calls.append(e.id), real(e))[1])
    ids = outbox.waiting_ids()
    assert outbox.process(ids[0]) and not outbox.process(ids[0])
    for _ in range(2):
        assert runner.invoke(args=["outbox"]).exit_code == 0
    assert sorted(calls) == ids
    assert counts() == (3, 3, 3)
    assert outbox.waiting_ids() == []


def test_an_event_claimed_by_a_worker_is_not_taken_by_another(app, survey, monkeypatch):
    monkeypatch.setattr(outbox, "dispatch", lambda ids: None)
    responses.submit_response(answered(survey))
    [event_id] = outbox.waiting_ids()
    assert outbox._claim(event_id)  # a worker has it (and has not finished)
    assert outbox.waiting_ids() == [] and not outbox.process(event_id)
    assert counts()[:2] == (0, 0)


def test_redis_down_means_the_outbox_is_processed_inline(app, survey):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    responses.submit_response(answered(survey))
    assert counts() == (1, 1, 1) and outbox.waiting_ids() == []


@needs_redis
def test_with_redis_the_worker_processes_each_event_once(app, survey, runner, monkeypatch):
    from redis import Redis
    from rq import Queue

    monkeypatch.setattr(jobs, "QUEUE", f"test-outbox-{uuid.uuid4().hex[:8]}")
    app.config["REDIS_URL"] = REDIS_TEST_URL
    connection = Redis.from_url(REDIS_TEST_URL)
    queue = Queue(jobs.QUEUE, connection=connection)
    try:
        first, second = answered(survey), answered(survey)
        responses.submit_response(first)
        responses.submit_response(second)
        assert queue.count == 2 and counts() == (0, 0, 2)
        # The first event is also processed by hand before the worker gets to its job.
        outbox.process(outbox.waiting_ids()[0])
        result = runner.invoke(args=["worker", "--burst"])
        assert result.exit_code == 0, result.output
        assert counts() == (2, 2, 2) and outbox.waiting_ids() == []
        assert db.session.scalar(select(func.max(OutboxEvent.attempts))) == 1
    finally:
        queue.delete(delete_jobs=True)
        for key in connection.scan_iter(f"*{jobs.QUEUE}*"):
            connection.delete(key)
