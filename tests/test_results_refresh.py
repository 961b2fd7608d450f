"""Releases after new responses: with a worker, people see the last release at once (saying
a new one is on its way) while one release is queued; without a working queue, the release
is made in the request; nothing that arrives while a release is built is lost."""

import os
import re
import time
import uuid
from datetime import datetime, timezone

import pytest

from feedback import jobs
from feedback.extensions import db
from feedback.models import Release, Survey
from feedback.responses import services as responses
from feedback.results import services
from feedback.results import releases

from .test_results import add_responses, mixed_people, results_survey

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL")
needs_redis = pytest.mark.skipif(not REDIS_TEST_URL, reason="needs a Redis server (REDIS_TEST_URL)")
UPDATING = "A new release is on its way."
REDIS_DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def release_at_once(app, monkeypatch):
    # A release as soon as ten new responses arrive, however soon after the last.
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 0
    # Release mechanics here: a release is never withheld for its audit (test_disclosure_attack).
    monkeypatch.setattr(releases, "_put_off", lambda *args: False)


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
    """Responses arrive (stored straight into the database)."""
    add_responses(survey, mixed_people(seed, n))


def work(runner) -> None:
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output


@needs_redis
def test_with_a_worker_people_see_the_last_release_at_once_and_one_release_is_queued(client, auth, runner, queue):
    survey, staff = results_survey(seed=20, n=12)
    auth.sign_in(staff.email)
    first = client.get(f"/results/{survey.id}")
    # Nothing released yet: released here and now, nothing queued.
    assert shown_responses(first) == 12 and UPDATING not in first.text and queue.count == 0

    new_responses(survey, 10)
    for path in ("", "/comments", "/indicator", "", ""):
        page = client.get(f"/results/{survey.id}{path}")
        assert page.status_code == 200
        assert "Release 1 of these figures" in page.text and UPDATING in page.text
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12
    assert queue.count == 1, "several views queue one release"

    work(runner)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 22 and UPDATING not in page.text and "Release 2 of" in page.text
    assert queue.count == 0


@needs_redis
def test_the_worker_releases_with_the_same_disclosure_control_as_a_page(client, auth, runner, queue):
    survey, staff = results_survey(seed=21, n=40)
    services.wave_results(survey)
    first = services.latest_release(survey)
    new_responses(survey, 12, seed=22)
    auth.sign_in(staff.email)
    client.get(f"/results/{survey.id}")  # shows the last release and queues the next
    work(runner)
    db.session.expire_all()
    release = services.latest_release(db.session.get(Survey, survey.id))
    expected = services.build_results(db.session.get(Survey, survey.id), previous=first)
    assert release.number == 2 and release.payload["n"] == 52
    ignore = {"computed_at": None, "release": None}
    assert {**release.payload, **ignore} == {**expected, **ignore}
    assert any(count is None for view in expected["views"].values() for counts in view["questions"].values()
               for count in counts), "the wave should have hidden counts for this check to mean anything"


@needs_redis
def test_after_a_family_submits_the_worker_releases_before_anyone_looks(client, auth, runner, queue):
    survey, staff = results_survey(seed=23, n=12)
    services.wave_results(survey)
    new_responses(survey, 9)
    response = responses.start_response(survey)
    responses.save_about_you(response, "parent_carer", "Norwich", None, False)
    for q in survey.questions:
        value = {"single_choice": "Email", "likert5": "agree", "yes_no": "yes",
                 "free_text": "Nobody ever rings back"}.get(q.kind)
        if value:
            responses.save_page(response, [q], {q.id: value})
    responses.submit_response(response.id)
    assert queue.count == 1  # the analysis; it queues the release when it has finished
    work(runner)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 22 and UPDATING not in page.text
    assert queue.count == 0, "the release was made, so the page queued nothing"


@needs_redis
def test_a_release_built_by_older_rules_is_never_shown_while_waiting(client, auth, queue):
    survey, staff = results_survey(seed=24, n=12)
    services.wave_results(survey)
    new_responses(survey, 10)
    db.session.execute(Release.__table__.update().values(build_version="results-0"))
    db.session.commit()
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 22
    assert queue.count == 0


@needs_redis
def test_when_no_worker_starts_the_release_the_next_view_makes_it(app, client, auth, queue):
    survey, staff = results_survey(seed=25, n=12)
    services.wave_results(survey)
    new_responses(survey, 10)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12  # queued, no worker running
    app.config["RESULTS_QUEUE_WAIT_SECONDS"] = 0
    time.sleep(0.01)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 22 and UPDATING not in page.text


@pytest.mark.parametrize("redis_url", [None, REDIS_DOWN], ids=["no queue", "redis down"])
def test_without_a_working_queue_the_next_view_makes_the_release(app, client, auth, redis_url):
    app.config["REDIS_URL"] = redis_url
    survey, staff = results_survey(seed=26, n=12)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey.id}")) == 12
    new_responses(survey, 10)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 22 and UPDATING not in page.text


def test_an_open_wave_waits_the_minimum_time_between_releases(app, client, auth):
    survey, staff = results_survey(seed=27, n=12)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}")
    assert "Release 1 of these figures" in page.text and UPDATING not in page.text
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 3600
    new_responses(survey, 12)
    page = client.get(f"/results/{survey.id}")
    assert shown_responses(page) == 12 and UPDATING not in page.text


def test_a_closed_wave_gets_its_last_release_at_once(app, client, auth):
    from feedback.surveys import services as surveys

    survey, staff = results_survey(seed=35, n=12)
    app.config["RESULTS_RELEASE_MIN_SECONDS"] = 3600
    services.wave_results(survey)
    new_responses(survey, 10)
    assert services.wave_results(survey)["n"] == 12
    surveys.close_survey(survey, staff)
    assert services.wave_results(survey)["n"] == 22


def test_responses_that_arrive_during_a_release_are_in_the_next_one(app, client, auth, monkeypatch):
    survey, staff = results_survey(seed=28, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 10)
    build = releases._build

    def build_while_families_submit(wave, previous):
        built = build(wave, previous)
        with app.app_context():  # another request, on its own connection, after the counts were read
            new_responses(db.session.get(Survey, survey_id), 10, seed=29)
        return built

    monkeypatch.setattr(releases, "_build", build_while_families_submit)
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 22
    monkeypatch.setattr(releases, "_build", build)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 32


def test_a_release_that_fails_leaves_the_wave_to_be_released(client, auth, monkeypatch):
    survey, staff = results_survey(seed=31, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 10)
    build = releases._build

    def broken(wave, previous):
        raise RuntimeError("database went away")

    monkeypatch.setattr(releases, "_build", broken)
    auth.sign_in(staff.email)
    assert client.get(f"/results/{survey_id}").status_code == 500
    monkeypatch.setattr(releases, "_build", build)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 22


def test_the_release_time_is_london_time(client, auth):
    survey, staff = results_survey(seed=30, n=12)
    payload = services.wave_results(survey)
    payload_time = datetime.fromisoformat(payload["computed_at"])
    assert payload_time.tzinfo is not None and payload_time <= datetime.now(timezone.utc)
    auth.sign_in(staff.email)
    page = client.get(f"/results/{survey.id}").text
    from feedback.templating import local_datetime

    assert f"Release 1 of these figures, made on {local_datetime(payload_time)}." in page


def test_two_releases_made_at_once_store_one(app, client, auth, monkeypatch):
    """Two requests make the same release at the same moment: one is stored, the other is
    given up, and every page shows the stored one."""
    survey, staff = results_survey(seed=33, n=12)
    survey_id = survey.id
    services.wave_results(survey)
    new_responses(survey, 10)
    build = releases._build

    def overtaken(wave, previous):
        built = build(wave, previous)  # this build has read its counts (22) ...
        monkeypatch.setattr(releases, "_build", build)
        with app.app_context():  # ... when another request stores release 2 first
            assert services.make_release(survey_id).number == 2
        return built

    monkeypatch.setattr(releases, "_build", overtaken)
    assert services.make_release(survey_id) is None
    db.session.expire_all()
    assert [r.number for r in db.session.query(Release).filter_by(survey_id=survey_id)] == [1, 2]
    auth.sign_in(staff.email)
    assert shown_responses(client.get(f"/results/{survey_id}")) == 22
