"""Work that follows a submitted response: analysing its free text.

Inline by default, so one machine needs nothing else. With REDIS_URL set, the work goes on
an RQ queue and `flask --app feedback worker` does it; if Redis cannot be reached the work is
done inline instead, so a response is never left unanalysed because a queue was down.
"""

from flask import current_app

from .results.services import mark_results_stale

QUEUE = "analysis"


def analyse_response_job(response_id: int) -> int:
    """The RQ job: runs inside the worker's app context."""
    from .comments.services import analyse_response

    analysed = analyse_response(response_id)
    mark_results_stale(response_id)  # theme counts include this response's comments
    return analysed


def queue():
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def response_submitted(response_id: int) -> None:
    """Called after a response is committed; failures here never undo the response."""
    mark_results_stale(response_id)  # cached results rebuild on their next view
    if current_app.config.get("REDIS_URL"):
        try:
            queue().enqueue(analyse_response_job, response_id, job_timeout=300, retry=None)
            return
        except Exception:  # Redis down: fall back to inline analysis, and say so
            current_app.logger.warning("Analysis queue unavailable; analysing response %s inline", response_id)
    try:
        analyse_response_job(response_id)
    except Exception:
        # The response is stored; `flask analyse` picks up anything left unanalysed.
        current_app.logger.exception("Analysis of response %s failed", response_id)
