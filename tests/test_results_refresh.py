"""Cached results after new responses: with a worker, people see the last figures at once
(with when they were updated) while one rebuild is queued; without a working queue, the
results are rebuilt in the request as before; nothing that arrives during a rebuild is lost."""

import os
import re
import time
import uuid
from datetime import datetime, timezone

import pytest

from feedback import jobs
from feedback.extensions import db
from feedback.models import Response, ResultsSnapshot, Survey
from feedback.responses import services as responses
from feedback.results import services

from .test_results import add_responses, mixed_people, results_survey

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL")
needs_redis = pytest.mark.skipif(not REDIS_TEST_URL, reason="needs a Redis server (REDIS_TEST_URL)")
UPDATING = "New responses are being added."
REDIS_DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def refresh_at_once(app):
    # Rebuild cached results as soon as they are stale, so each step sees new responses.
    app.config["RESULTS_REFRESH_SECONDS"] = 0


@pytest.fixture
def queue(app, monkeypatch):
    """The worker's queue on the test Redis, under a name of its own so tests running at the
    same time (or another engineer's) never take each other's jobs; emptied afterwards."""
    from redis import Redis
    from rq import Queue

    monkeypatch.setattr(jobs, "QUEUE", f"test-results-{uuid.uuid4().hex[:8]}")
    app.config["REDIS_URL"] = REDIS_TEST_URL
    connection = Redis.from_url(REDIS_TEST_URL)
    yield Queue(jobs.QUEUE, connection=connection)
    Queue(jobs.QUEUE, connection=connection).delete(delete_jobs=True)
    for pattern in (f"{jobs.QUEUE}:*", f"rq:*:{jobs.QUEUE}"):  # locks, and RQ's registries
        for key in connection.scan_iter(pattern):
            connection.delete(key)


def shown_responses(page) -> int:
    """The number of responses the dashboard says it is showing."""
    assert page.status_code == 200, page.text
    found = re.search(r"Responses\s*</dt>\s*<dd[^>]*>\s*(\d+)", page.text)
    assert found, "the dashboard shows no number of responses"
    return int(found.group(1))


def new_responses(survey, n: int, seed: int = 99) -> None:
    """Responses arrive: stored, and the wave's cached results marked stale as a submission does."""
    add_responses(survey, mixed_people(seed, n))
    latest = max(r.id for r in db.session.query(Response).filter_by(survey_id=survey.id))
    services.mark_results_stale(latest)


def work(runner) -> None:
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output


@needs_redis
def test_with_a_worker_people_see_the_last_figures_at_once_and_one_rebuild_is_queued(client, auth, runner, queue):
    survey, staff = results_survey(seed=20, n=12)
    auth.sign_in(staff.email)
    first = client.get(f"/results/{survey.id}")
    # No snapshot yet: built here and now, nothing queued.
    assert shown_responses(first) == 12 and UPDATING not in first.text and queue.count == 0

    new_responses(survey, 3)
    for path in ("", "/comments", "/indicator", "", ""):
        page = client.get(f"/results/{survey.id}{path}")
        assert page.status_code == 200
        assert "Figures updated on" in page.text and UPDATING in page.text
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12
    assert queue.count == 1, "several views queue one rebuild"

    work(runner)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 15 and UPDATING not in page.text
    assert queue.count == 0


@needs_redis
def test_the_worker_rebuilds_with_the_same_disclosure_control_as_a_page(client, auth, runner, queue):
    survey, staff = results_survey(seed=21, n=40)
    services.wave_results(survey)
    new_responses(survey, 9, seed=22)
    auth.sign_in(staff.email)
    client.get(f"/results/{survey.id}")  # shows the last figures and queues the rebuild
    work(runner)
    db.session.expire_all()
    snapshot = db.session.get(ResultsSnapshot, survey.id)
    expected = services.build_results(db.session.get(Survey, survey.id))
    assert snapshot.stale is False and snapshot.payload["n"] == 49
    assert {**snapshot.payload, "computed_at": None} == {**expected, "computed_at": None}
    assert any(count is None for view in expected["views"].values() for counts in view["questions"].values()
               for count in counts), "the wave should have hidden counts for this check to mean anything"


@needs_redis
def test_after_a_family_submits_the_worker_refreshes_results_before_anyone_looks(client, auth, runner, queue):
    survey, staff = results_survey(seed=23, n=12)
    services.wave_results(survey)
    response = responses.start_response(survey)
    responses.save_about_you(response, "parent_carer", "Norwich", None, False)
    for q in survey.questions:
        value = {"single_choice": "Email", "likert5": "agree", "yes_no": "yes",
                 "free_text": "Nobody ever rings back"}.get(q.kind)
        if value:
            responses.save_page(response, [q], {q.id: value})
    responses.submit_response(response.id)
    assert queue.count == 1  # the analysis; it queues the rebuild when it has finished
    work(runner)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 13 and UPDATING not in page.text
    assert queue.count == 0, "the page was fresh, so it queued nothing"


@needs_redis
def test_results_built_by_older_rules_are_never_shown_while_waiting(client, auth, queue):
    survey, staff = results_survey(seed=24, n=12)
    services.wave_results(survey)
    new_responses(survey, 3)
    db.session.execute(ResultsSnapshot.__table__.update().values(method_version="results-0"))
    db.session.commit()
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 15
    assert queue.count == 0


@needs_redis
def test_when_no_worker_starts_the_rebuild_the_next_view_builds_it(app, client, auth, queue):
    survey, staff = results_survey(seed=25, n=12)
    services.wave_results(survey)
    new_responses(survey, 3)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12  # queued, no worker running
    app.config["RESULTS_QUEUE_WAIT_SECONDS"] = 0
    time.sleep(0.01)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 15 and UPDATING not in page.text


@pytest.mark.parametrize("redis_url", [None, REDIS_DOWN], ids=["no queue", "redis down"])
def test_without_a_working_queue_the_next_view_rebuilds_the_results(app, client, auth, redis_url):
    app.config["REDIS_URL"] = redis_url
    survey, staff = results_survey(seed=26, n=12)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12
    new_responses(survey, 3)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 15 and UPDATING not in page.text
    assert db.session.get(ResultsSnapshot, survey.id).stale is False


def test_stale_figures_waiting_for_the_refresh_interval_say_so(app, client, auth):
    survey, staff = results_survey(seed=27, n=12)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}")
    assert "Figures updated on" in page.text and UPDATING not in page.text
    app.config["RESULTS_REFRESH_SECONDS"] = 3600
    new_responses(survey, 3)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 12 and UPDATING in page.text


def test_responses_that_arrive_during_a_rebuild_are_counted_by_the_next_one(app, client, auth, monkeypatch):
    survey, staff = results_survey(seed=28, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 1)
    build = services.build_results

    def build_while_a_family_submits(wave):
        payload = build(wave)
        with app.app_context():  # another request, on its own connection, after the counts were read
            new_responses(db.session.get(Survey, survey_id), 3, seed=29)
        return payload

    monkeypatch.setattr(services, "build_results", build_while_a_family_submits)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 13
    monkeypatch.setattr(services, "build_results", build)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 16


def test_a_rebuild_that_fails_leaves_the_results_to_be_rebuilt(client, auth, monkeypatch):
    survey, staff = results_survey(seed=31, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 3)
    build = services.build_results

    def broken(wave):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "build_results", broken)
    auth.sign_in(staff.email)
    assert client.get(f"/results/{survey_id}").status_code == 500
    monkeypatch.setattr(services, "build_results", build)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 15


def test_figures_updated_time_is_london_time(client, auth):
    survey, staff = results_survey(seed=30, n=12)
    payload = services.wave_results(survey)
    payload_time = datetime.fromisoformat(payload["computed_at"])
    assert payload_time.tzinfo is not None and payload_time <= datetime.now(timezone.utc)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}").text
    from feedback.templating import local_datetime

    assert f"Figures updated on {local_datetime(payload_time)}." in page


def test_a_slow_rebuild_never_replaces_figures_from_a_later_one(app, client, auth, monkeypatch):
    """Two rebuilds overlap: the one that started later (and counts more) finishes first; the
    slower, older one must not put its smaller counts back."""
    survey, staff = results_survey(seed=33, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 2)
    build = services.build_results

    def overtaken(wave):
        payload = build(wave)  # the older build has read its counts (14) ...
        monkeypatch.setattr(services, "build_results", build)
        with app.app_context():  # ... when more arrive and a newer rebuild stores 17
            new_responses(db.session.get(Survey, survey_id), 3, seed=34)
            time.sleep(0.01)  # the newer build starts measurably later
            services.rebuild_results(survey_id)
        return payload

    monkeypatch.setattr(services, "build_results", overtaken)
    assert services.rebuild_results(survey_id)["n"] == 14
    db.session.expire_all()
    assert db.session.get(ResultsSnapshot, survey_id).payload["n"] == 17
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 17
