"""The worker's queue, and the work that follows a submitted response (an outbox event,
see feedback/outbox.py): analysing its free text and safeguarding, then refreshing the wave's
results.

Inline by default, so one machine needs nothing else. With REDIS_URL set, the work goes on
an RQ queue and `flask --app feedback worker` does it; if Redis cannot be reached the work is
done inline instead, from the same outbox, so a response is never left unanalysed.
"""

import time
from collections.abc import Callable

from flask import current_app

from . import outbox
from .comments.services import analyse_response
from .extensions import db
from .results.releases import rebuild_due_after, rebuild_results_if_due, register_release_queue

QUEUE = "analysis"
# A queued results rebuild holds this key until the worker starts it, so views and analyses
# queue one rebuild per wave however many of them ask. It expires in case the job is lost.
REBUILD_LOCK_SECONDS = 3600


@outbox.handles("response.submitted")
def follow_up_response(event) -> Callable[[], None] | None:
    """A submitted response's follow-on work, in the outbox's transaction: its free text is
    analysed and any safeguarding flag raised (one assessment per answer). In the worker, a
    rebuild of the wave's results is then queued when one is due; inline (no Redis) results
    are not rebuilt here, as the family would wait for it: the next view does it."""
    analyse_response(event.subject_id)
    if not current_app.config.get("REDIS_URL"):
        return None
    survey_id = rebuild_due_after(event.subject_id)
    return None if survey_id is None else (lambda: queue_results_rebuild(survey_id))


def rebuild_results_job(survey_id: int) -> bool:
    """The RQ job that rebuilds a wave's cached results with the same builder (and so the same
    disclosure control) as a view would. The lock goes first: anything that arrives while
    this runs marks the snapshot stale again and may queue the next rebuild."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.connection.delete(_rebuild_lock(survey_id))
    try:
        return rebuild_results_if_due(survey_id)
    finally:
        # The worker's app context outlives the job: end its read transaction (the rebuild
        # has committed what it wrote), so the next job starts from what is in the database.
        db.session.rollback()


def queue():
    from redis import Redis
    from rq import Queue

    # One client (and connection pool) per app and URL, not a new connection per submission.
    # Short timeouts: a page or a submission waits at most this long for a Redis that is down.
    url = current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("job_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=2)
    return Queue(QUEUE, connection=clients[url])


def _rebuild_lock(survey_id: int) -> str:
    return f"{QUEUE}:results-rebuild:{survey_id}"


def queue_results_rebuild(survey_id: int, wait_limit: int | None = None) -> bool:
    """Ask the worker to rebuild a wave's results. True when a rebuild is queued (by this
    call or an earlier one); False when the caller should build them itself: no Redis,
    Redis down, or (with `wait_limit`) a queued rebuild that no worker has started for
    that many seconds."""
    if not current_app.config.get("REDIS_URL"):
        return False
    try:
        jobs = queue()
        lock, now = _rebuild_lock(survey_id), time.time()
        if jobs.connection.set(lock, now, nx=True, ex=REBUILD_LOCK_SECONDS):
            try:
                jobs.enqueue(rebuild_results_job, survey_id, job_timeout=600, result_ttl=0, retry=None,
                             description=f"Rebuild the results of survey {survey_id}")
            except Exception:
                jobs.connection.delete(lock)
                raise
            return True
        queued_at = float(jobs.connection.get(lock) or now)
    except Exception:
        current_app.logger.warning("Results queue unavailable; survey %s results are built inline", survey_id)
        return False
    if wait_limit is not None and now - queued_at > wait_limit:
        current_app.logger.warning("Results rebuild for survey %s queued %.0f s ago has not started; is the "
                                   "worker running? Building inline", survey_id, now - queued_at)
        return False
    return True


def register_jobs(app) -> None:
    """Give results and webhooks the worker's queue (`results.releases.current_results` asks
    it for a rebuild; webhooks put deliveries on it), so neither imports the jobs that import them."""
    register_release_queue(app, queue_results_rebuild)
    app.extensions["job_queue"] = queue  # webhooks' deliveries go on the same queue
