"""A small HTTP load generator and a gunicorn launcher shared by the benchmarks.

Several client processes each keep one connection open and send requests for a fixed
time; the figure is completed requests per second across all of them.
"""

import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _client(port, method, path, body, headers, seconds, results):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 500:
                errors += 1
            else:
                done += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    results.put((done, errors))


def run_clients(client, args, clients=4):
    """Run `client(*args, results)` in several processes; each puts (done, errors) on
    `results`. Returns (completed requests per second, errors)."""
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=client, args=(*args, results)) for _ in range(clients)]
    start = time.perf_counter()
    for proc in procs:
        proc.start()
    totals = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    return sum(t[0] for t in totals) / elapsed, sum(t[1] for t in totals)


def requests_per_second(port, path, method="GET", body=None, headers=None, seconds=5.0, clients=4):
    return run_clients(_client, (port, method, path, body, headers or {}, seconds), clients)


@contextmanager
def gunicorn_app(workers=2, env_extra=None, seed=False, config=None):
    """Serve the app with gunicorn on a fresh, migrated SQLite database (BENCH_DATABASE_URL:
    another, empty database); `config`: a gunicorn config file (hooks)."""
    tmp = tempfile.mkdtemp(prefix="feedback-bench-")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.db"),
        "FEEDBACK_ENV": "development",
        "FEEDBACK_INSTANCE_PATH": tmp,
        "RATELIMIT_ENABLED": "0",
        **(env_extra or {}),
    }
    flask = [PYTHON, "-m", "flask", "--app", "feedback"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    if seed:
        subprocess.run(flask + ["seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", *(["-c", str(config)] if config else []), "feedback.wsgi:app"],
        env=env, cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                connection.request("GET", "/health/live")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: the figures are taken, stop it
            server.kill()
            server.wait()
