"""Releases: a wave's results are built (`build`) from its counts (`counts`) and stored
frozen as a numbered release, which every page, download and API call of the wave shows
until the next one is due.

This module owns when a release is due (enough new responses from enough families, long
enough after the last, see docs/results.md, "Releases"), the queue that makes releases in
the background (given by the worker, `register_release_queue`; without one a release is
made in the request), and the signs of padding a release is protected against.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Release, Response, Survey, SurveyStatus
from ..models.base import utcnow
from . import counts
from .build import BUILD_VERSION, Built, Result, build, nothing_released
from .disclosure import THRESHOLD

WITH_RESULTS = (SurveyStatus.OPEN, SurveyStatus.CLOSED, SurveyStatus.ARCHIVED)
QUEUE_EXTENSION = "results_rebuild_queue"


@dataclass(frozen=True)
class WaveResults:
    """The figures a page shows, and how current they are."""

    result: Result
    updated_at: datetime | None  # when the release was made (None: nothing released yet)
    updating: bool  # a new release is due and on its way
    release: "Release | None" = None

    @property
    def payload(self) -> dict:
        """The result as it is stored and served (JSON)."""
        return self.release.payload if self.release is not None else self.result.to_dict()


def setting(name: str, default: int) -> int:
    """App config first (tests set it), then the environment, then the default."""
    if name in current_app.config:
        return int(current_app.config[name])
    return int(os.environ.get(name, default))


def register_release_queue(app, queue) -> None:
    """The worker's queue: ``queue(survey_id, wait_seconds)`` returns True when a release
    was queued (False: make it here). Given by feedback.jobs, which results never import."""
    app.extensions[QUEUE_EXTENSION] = queue


def release_settings() -> dict:
    """RESULTS_RELEASE_MIN_RESPONSES new responses (at least the threshold) and, while a
    wave is open, RESULTS_RELEASE_MIN_SECONDS since the last release, before the next."""
    return {"min_responses": max(setting("RESULTS_RELEASE_MIN_RESPONSES", 10), THRESHOLD),
            "min_seconds": setting("RESULTS_RELEASE_MIN_SECONDS", 86400)}


def latest_release(survey: Survey) -> Release | None:
    """The release every page, download and API call of the wave shows (None: none yet)."""
    return db.session.scalar(select(Release).where(Release.survey_id == survey.id, Release.number > 0)
                             .order_by(Release.number.desc()).limit(1))


def first_put_off(survey: Survey) -> Release | None:
    """The record of a wave's first release put off (number 0: it releases nothing, its
    payload says nothing was released, its audit says when the next attempt comes)."""
    return db.session.scalar(select(Release).where(Release.survey_id == survey.id, Release.number == 0))


def put_off(survey: Survey, release: Release | None) -> dict | None:
    """A release withheld since ``release`` (or, before any, the first one), for staff:
    at how many responses, how many findings, and when the next attempt comes."""
    record = release if release is not None else first_put_off(survey)
    audit = (record.audit or {}) if record is not None else {}
    if not audit.get("put_off"):
        return None
    return {**audit["put_off"], "next_release_at": audit.get("next_release_at"), "first": release is None}


def submitted_count(survey_id: int) -> int:
    return counts.submitted_count(survey_id)


def release_due(survey: Survey, release: Release | None = None, count: int | None = None) -> bool:
    """A new release is due when enough responses arrived since the last one (and, while the
    wave is open, long enough ago), or when the last was built by older rules."""
    if survey.status not in WITH_RESULTS:
        return False
    settings = release_settings()
    if release is not None and release.build_version == BUILD_VERSION and survey.status == SurveyStatus.OPEN:
        if (utcnow() - release.created_at).total_seconds() < settings["min_seconds"]:
            return False
    count = submitted_count(survey.id) if count is None else count
    if release is None:
        waiting = first_put_off(survey)
        if waiting is not None and count < (waiting.audit or {}).get("next_release_at", 0):
            return False  # the first release was put off (see _put_off)
        return count >= settings["min_responses"] and distinct_new(survey, None, count) >= settings["min_responses"]
    if count < (release.audit or {}).get("next_release_at", 0):
        return False  # the last attempt was withheld (see _put_off), whatever rules built this one
    if release.build_version != BUILD_VERSION:
        return count >= THRESHOLD
    return count - release.n >= settings["min_responses"] and distinct_new(survey, release, count) >= settings[
        "min_responses"]


def distinct_new(survey: Survey, release: Release | None, count: int) -> int:
    """New responses since the release, counting those from one device or one address once
    (a release needs enough of them: one person sending many is not many families)."""
    batch = (release.number if release is not None else 0) + 1
    return count - (release.n if release is not None else 0) - counts.repeats_in_batch(survey.id, batch)


def current_results(survey: Survey) -> WaveResults:
    """The wave's latest release, for a page.

    When a new release is due it is made by the worker if there is one (the page shows the
    last release meanwhile and says a new one is on its way), or here and now (no Redis,
    Redis down, a queued release waiting longer than RESULTS_QUEUE_WAIT_SECONDS, or nothing
    released yet)."""
    queue_results_rebuild = current_app.extensions.get(QUEUE_EXTENSION, lambda *args: False)

    release = latest_release(survey)
    due = release_due(survey, release)
    # Older rules: replaced here and now (shown only while a release by the new rules is withheld).
    outdated = release is not None and release.build_version != BUILD_VERSION
    if due and (release is None or outdated
                or not queue_results_rebuild(survey.id, setting("RESULTS_QUEUE_WAIT_SECONDS", 300))):
        release = make_release(survey.id) or latest_release(survey)
        due = False
    if release is None:
        return WaveResults(nothing_released(survey.id), None, False)
    return WaveResults(Result.from_dict(release.payload), release.created_at, due, release)


def wave_result(survey: Survey) -> Result:
    """The wave's latest release (see `current_results`), typed: what pages, downloads, the
    API and other waves' comparisons read."""
    return current_results(survey).result


def wave_results(survey: Survey) -> dict:
    """The wave's latest release as it is stored and served (JSON)."""
    return current_results(survey).payload


def mark_results_stale(response_id: int) -> None:
    """A response arrived. Releases are decided by counts and time (`release_due`), so there
    is nothing to mark; kept for the callers that report every submission."""


def rebuild_results_if_due(survey_id: int) -> bool:
    """The background job: make the wave's next release if one is still due (a job queued
    twice, or a release already made by a view, costs nothing)."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not release_due(survey, latest_release(survey)):
        return False
    return make_release(survey_id) is not None


def rebuild_due_after(response_id: int) -> int | None:
    """The wave a newly analysed response makes due for a release, if any."""
    survey_id = db.session.scalar(select(Response.survey_id).where(Response.id == response_id))
    survey = db.session.get(Survey, survey_id) if survey_id is not None else None
    if survey is None or not release_due(survey, latest_release(survey)):
        return None
    return survey_id


def make_release(survey_id: int) -> Release | None:
    """Make the wave's next release if one is due: build its results (disclosure control
    applied, protected together with every earlier release) and store them frozen. Returns
    the new release, or None when none was due or another request made it first.

    On PostgreSQL the build's queries all read one moment of the database (REPEATABLE READ),
    so group sizes and answer counts agree while responses arrive; the number of responses
    in the release is counted in that same moment."""
    db.session.commit()
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        survey = db.session.get(Survey, survey_id)
        last = latest_release(survey)
        count = submitted_count(survey_id)
        if not release_due(survey, last, count):
            db.session.commit()
            return None
        started = utcnow()
        built = _build(survey, last)
        if _put_off(survey, last, count, built.figures):
            return None
        number = last.number + 1 if last is not None else 1
        result = built.result.released(number, started)
        db.session.commit()  # ends the read-only snapshot of the database
    except Exception:
        db.session.rollback()
        raise
    release = Release(survey_id=survey_id, number=number, created_at=started, n=result.n, payload=result.to_dict(),
                      build_version=BUILD_VERSION, audit=built.figures, audit_state=built.state)
    db.session.add(release)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request made this release at the same moment; theirs is as good.
        db.session.rollback()
        return None
    return release


def _put_off(survey: Survey, last: Release | None, count: int, figures: dict) -> bool:
    """A release whose audit (with every earlier release) leaves findings that no further
    hiding removes is never made: the last release stays (for a first release: nothing is
    released), and the next attempt waits until RESULTS_RELEASE_MIN_RESPONSES more responses
    have arrived (a bigger difference between releases, or a bigger wave, is harder to pick
    apart). This holds for closed waves too: their figures stay those of the last safe
    release. Staff are told (`put_off`). A first release put off is recorded as release 0,
    which nothing shows."""
    if not figures.get("unresolved"):
        return False
    minimum = release_settings()["min_responses"]
    db.session.rollback()  # end the read-only snapshot before writing
    if last is None:
        record = first_put_off(survey)
        if record is None:
            record = Release(survey_id=survey.id, number=0, n=0, payload=nothing_released(survey.id).to_dict(),
                             build_version=BUILD_VERSION, audit={}, audit_state={})
            db.session.add(record)
    else:
        record = db.session.get(Release, last.id)
    record.audit = {**(record.audit or {}), "next_release_at": count + minimum,
                    "put_off": {"responses": count, "unresolved": figures["unresolved"]}}
    try:
        db.session.commit()
    except IntegrityError:  # another request recorded it at the same moment
        db.session.rollback()
    return True


def rebuild_results(survey_id: int) -> dict:
    """Make a release if one is due and return the latest release's payload."""
    make_release(survey_id)
    survey = db.session.get(Survey, survey_id)
    release = latest_release(survey)
    return release.payload if release is not None else nothing_released(survey.id).to_dict()


def build_results(survey: Survey, previous: "Release | None" = None) -> dict:
    """A wave's results for every view, as stored (see `build.build`), not released."""
    return _build(survey, previous).result.to_dict()


def _build(survey: Survey, previous: "Release | None" = None) -> Built:
    """The wave's counts, built: protected against the padding signs found and together with
    every earlier release (the previous release's audit state holds them all)."""
    padding = padding_signs(survey.id)
    # Protected against a reader who knows this many of the responses (see padding_signs).
    threshold = THRESHOLD + padding["known_responses"]
    return build(counts.wave_counts(survey), survey.id, threshold=threshold,
                 breakdown_min=max(setting("RESULTS_BREAKDOWN_MIN", 10), THRESHOLD),
                 previous_state=(previous.audit_state or {}) if previous is not None else None,
                 previous_number=previous.number if previous is not None else None, padding=padding,
                 computed_at=utcnow().isoformat())


PADDING_WINDOW_MINUTES = 10
PADDING_BURST = 5
PADDING_MAX = 5  # known responses a release is protected against, at most


KNOWN_RESPONSES = 5  # by default, as many as PADDING_MAX: padding that is never seen is defeated too


def _known_responses(repeated: dict[str, int]) -> int:
    known = max(setting("RESULTS_KNOWN_RESPONSES", KNOWN_RESPONSES), max(repeated.values()))
    return min(known, PADDING_MAX)


def padding_signs(survey_id: int) -> dict:
    """Signs that the wave's responses were padded (someone sending several responses with
    answers they know, to subtract them later), and so how many known responses its releases
    are protected against ("known_responses", see docs/results.md, "Padding"):

    - responses from a device or an address that sent more than one (submission marks);
    - the most online responses that arrived within any PADDING_WINDOW_MINUTES of each other
      (PADDING_BURST or more looks padded and staff are told; a newsletter going out does
      the same, so this alone does not change the protection);
    - at least RESULTS_KNOWN_RESPONSES (default 5, KNOWN_RESPONSES: a padder with a new
      browser and a new address for each of up to 5 responses is never seen, so releases
      are protected against them whatever the signs; tests of other features set 1).
    At most PADDING_MAX."""
    times = counts.online_submission_times(survey_id)
    most, start = 0, 0
    window = PADDING_WINDOW_MINUTES * 60
    for end, moment in enumerate(times):
        while (moment - times[start]).total_seconds() > window:
            start += 1
        most = max(most, end - start + 1)
    repeated = counts.repeated_submissions(survey_id)
    burst = most >= PADDING_BURST
    return {"responses": len(times), "most_within_window": most, "window_minutes": PADDING_WINDOW_MINUTES,
            "repeated_devices": repeated["device"], "repeated_addresses": repeated["address"],
            "looks_padded": burst or any(repeated.values()), "known_responses": _known_responses(repeated)}


def padding_now(survey: Survey, release: Release | None) -> dict:
    """The signs of padding for staff: the burst as of the release (timing every response is
    left to the release), repeated devices and addresses as they are now (a cheap sum)."""
    signs = dict(((release.audit or {}).get("padding") or {}) if release is not None else {})
    repeated = counts.repeated_submissions(survey.id)
    signs.setdefault("most_within_window", 0)
    signs.setdefault("responses", 0)
    signs.setdefault("window_minutes", PADDING_WINDOW_MINUTES)
    signs.update(repeated_devices=repeated["device"], repeated_addresses=repeated["address"],
                 looks_padded=bool(signs.get("looks_padded")) or any(repeated.values()),
                 known_responses=_known_responses(repeated))
    return signs
