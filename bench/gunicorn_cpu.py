"""gunicorn hooks for bench/survey_throughput.py --realistic: each worker writes the CPU time
(user + system, of its own process) and the wall time of every request to a file in
BENCH_CPU_DIR, so figures do not depend on what else the machine is running. With
BENCH_PROFILE set, question-page requests also run under cProfile and each worker writes
its profile to BENCH_CPU_DIR when it exits (the figures of such a run include the profiler)."""

import cProfile
import os
import time

PROFILE = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None


def pre_request(worker, req):
    if PROFILE is not None and "/pages/" in req.path:
        PROFILE.enable()
    worker.bench_started = (time.process_time(), time.perf_counter())


def post_request(worker, req, environ, resp):
    cpu, wall = time.process_time(), time.perf_counter()
    if PROFILE is not None:
        PROFILE.disable()
    started_cpu, started_wall = worker.bench_started
    kind = "trivial" if req.path == "/health/live" else "page" if "/pages/" in req.path else "other"
    with open(os.path.join(os.environ["BENCH_CPU_DIR"], f"{os.getpid()}.log"), "a") as log:
        log.write(f"{req.method} {kind} {cpu - started_cpu:.6f} {wall - started_wall:.6f}\n")


def worker_exit(server, worker):
    if PROFILE is not None:
        PROFILE.dump_stats(os.path.join(os.environ["BENCH_CPU_DIR"], f"{os.getpid()}.prof"))
