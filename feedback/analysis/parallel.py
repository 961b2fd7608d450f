"""Analyse many comments in several processes, for `flask analyse-text` on many lines.

The model and word lists are loaded once in the parent before the workers are forked, so
the workers share that memory instead of loading a copy each. Output keeps input order.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import signal
from itertools import chain, islice
from typing import Iterable, Iterator

from .pipeline import BATCH_SIZE, analyse_comments, analysis_to_dict


def _json_lines(job: tuple[list[str], bool]) -> list[str]:
    texts, include_text = job
    return [json.dumps(analysis_to_dict(a, include_text=include_text), ensure_ascii=False)
            for a in analyse_comments(texts)]


def _worker_start() -> None:
    """A forked worker starts with its parent's signal handlers; a host that handles SIGTERM
    itself (a job worker raising its own "stop" exception, say) would then turn the pool's
    ordinary shutdown into an error in every worker. Workers take the defaults.

    Each worker does its numerical work (the named-entity model's matrix products) on one
    thread: the workers already take one core each, and more threads than cores only wait
    for one another."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _jobs(texts: Iterable[str], batch_size: int, include_text: bool):
    iterator = iter(texts)
    while batch := list(islice(iterator, batch_size)):
        yield batch, include_text


def analyse_to_json_lines(texts: Iterable[str], workers: int = 1, include_text: bool = False,
                          batch_size: int = BATCH_SIZE) -> Iterator[str]:
    """One JSON line per text, in order; with ``workers`` > 1 and fork available, batches
    are analysed in that many processes."""
    jobs = _jobs(texts, batch_size, include_text)
    first = next(jobs, None)
    second = next(jobs, None) if first else None
    if workers <= 1 or second is None or "fork" not in multiprocessing.get_all_start_methods():
        # One batch is not worth a process (nor the risk of forking a process with threads).
        for job in (j for j in (first, second) if j):
            yield from _json_lines(job)
        for job in jobs:
            yield from _json_lines(job)
        return
    jobs = chain((first, second), jobs)
    # Load the model and lexicons here, so every forked worker shares them.
    _json_lines((["Warm-up: Oluwaseun rang the school"], False))
    # What is loaded now stays shared: the collector must not touch (and so copy) it in each worker.
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        try:
            for lines in pool.imap(_json_lines, jobs):
                yield from lines
        finally:
            gc.unfreeze()
