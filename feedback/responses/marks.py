"""Marks of the devices and addresses that sent responses to a wave, for padding checks
(docs/results.md, "Padding"): someone who sends several responses with answers they know
can subtract them from the results later.

A mark is a keyed hash (HMAC-SHA256 with the app's secret key, per wave), so the table
cannot be matched against a list of addresses without the key; it is never tied to a
response (no response id, no time finer than the release batch) and is deleted a week after
the wave closes."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Release, SubmissionMark, Survey
from ..models.base import utcnow

KEEP_AFTER_CLOSE = timedelta(days=7)


def digest(survey_id: int, kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"submission-mark:{survey_id}:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def current_batch(survey_id: int) -> int:
    """The release these responses will first be in."""
    latest = db.session.scalar(select(func.max(Release.number)).where(Release.survey_id == survey_id))
    return (latest or 0) + 1


def earlier_submissions(survey: Survey, device: str | None, address: str | None) -> dict[str, int]:
    """How many responses to this wave came from this device and from this address before."""
    found = {}
    for kind, value in (("device", device), ("address", address)):
        if not value:
            continue
        found[kind] = db.session.scalar(
            select(func.coalesce(func.sum(SubmissionMark.count), 0))
            .where(SubmissionMark.survey_id == survey.id, SubmissionMark.kind == kind,
                   SubmissionMark.digest == digest(survey.id, kind, value))) or 0
    return found


def record_submission(survey: Survey, device: str | None, address: str | None) -> None:
    """Count one online submission against its device and its address (its own transaction)."""
    today = utcnow().date()
    expires = max(survey.closes_at.date(), today) + KEEP_AFTER_CLOSE
    batch = current_batch(survey.id)
    db.session.execute(delete(SubmissionMark).where(SubmissionMark.expires_on < today))
    for kind, value in (("device", device), ("address", address)):
        if not value:
            continue
        key = digest(survey.id, kind, value)
        for _ in range(2):  # a simultaneous first mark: the second attempt finds it
            mark = db.session.scalar(select(SubmissionMark).where(
                SubmissionMark.survey_id == survey.id, SubmissionMark.kind == kind,
                SubmissionMark.digest == key, SubmissionMark.batch == batch).with_for_update())
            try:
                if mark is None:
                    db.session.add(SubmissionMark(survey_id=survey.id, kind=kind, digest=key, batch=batch,
                                                  count=1, expires_on=expires))
                else:
                    mark.count += 1
                db.session.commit()
                break
            except IntegrityError:
                db.session.rollback()
