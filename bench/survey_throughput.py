"""Throughput of a survey question page (GET) and saving an answer (POST) under gunicorn
(2 workers), against the trivial route /health/live in the same app and run.

    .venv/bin/python bench/survey_throughput.py [--seconds 5] [--clients 4]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<empty database> \
        .venv/bin/python bench/survey_throughput.py --realistic [--families 200] [--clients 8] [--seconds 20]

On SQLite in a temporary folder by default; set BENCH_DATABASE_URL to an empty PostgreSQL
database to measure that instead.

Default mode: each client process starts its own response (as a family would), then
repeats one request. Prints requests/s and the ratio to the trivial route.

Realistic mode (--realistic): `--families` simulated families, shared out between the client
processes, each with its own response and its own random answers, answering the pages in
order (GET a page, POST its answers, follow the redirect to the next page; a family that
reaches the end starts a new response). The trivial route is measured first, in the same
run, by the same client processes. For each of the trivial route, the question GET and the
save POST it prints requests/s (the number of requests in flight divided by the mean time
per request, Little's law, so a mix of GETs and POSTs gives a figure for each), the
p50/p95/p99 time per request, and the gunicorn workers' own CPU time per request (from
bench/gunicorn_cpu.py), which does not depend on how busy the shared machine is, with the
ratios to the trivial route by both measures. --profile adds where question-page requests
spend their time inside the gunicorn workers (cProfile; slower, so its figures are its own).
"""

import argparse
import http.client
import multiprocessing
import os
import random
import re
import statistics
import tempfile
import time
import urllib.parse
from pathlib import Path

from http_load import gunicorn_app, requests_per_second, run_clients

SLUG = "communication-with-the-send-service-wave-4"


def session_cookie(response, current=None):
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";")[0]
    return current


def start_response(port):
    """Start a response like a browser: returns (cookie, csrf token, first question field)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"/surveys/{SLUG}")
    page = connection.getresponse()
    cookie = session_cookie(page)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrf_token": token})
    connection.request("POST", f"/surveys/{SLUG}", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    started = connection.getresponse()
    started.read()
    cookie = session_cookie(started, cookie)
    connection.request("GET", f"/surveys/{SLUG}/pages/1", headers={"Cookie": cookie})
    html = connection.getresponse().read().decode()
    fields = sorted(set(re.findall(r'name="(q\d+)"', html)))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return cookie, token, fields


def _client(port, method, seconds, results):
    try:
        cookie, token, fields = start_response(port)
    except Exception as error:  # report instead of leaving the parent waiting
        print(f"could not start a response: {error!r}", flush=True)
        results.put((0, 1))
        return
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = f"/surveys/{SLUG}/pages/1"
    body = urllib.parse.urlencode({"csrf_token": token, **{f: "agree" for f in fields}})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    done = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            connection.request(method, path, body=body if method == "POST" else None, headers=headers)
            response = connection.getresponse()
            response.read()
            expected = 302 if method == "POST" else 200
            done, errors = (done + 1, errors) if response.status == expected else (done, errors + 1)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    results.put((done, errors))


def survey_requests_per_second(port, method, seconds, clients):
    return run_clients(_client, (port, method, seconds), clients)


# Realistic mode

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICE = re.compile(r'name="(q\d+)" type="(radio|checkbox)" value="([^"]*)"')
TEXTAREA = re.compile(r'<textarea[^>]*name="(q\d+)"')
TEXT_INPUT = re.compile(r'<input[^>]*name="(q\d+)" type="text"')
WORDS = ["nobody rang back", "the caseworker was kind", "letters came late", "school helped a lot",
         "we waited months", "the plan is good", "I did not know who to ask", "transport was sorted quickly"]


class Family:
    """One family: its own session (cookie), its own answers, its pages in order."""

    def __init__(self, connection, rng):
        self.connection, self.rng, self.cookie, self.path = connection, rng, None, None

    def request(self, method, path, fields=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        html = response.read().decode()
        took = time.perf_counter() - started
        self.cookie = session_cookie(response, self.cookie)
        return response.status, response.getheader("Location"), html, took

    def start(self):
        _, _, html, _ = self.request("GET", f"/surveys/{SLUG}")
        status, location, _, _ = self.request("POST", f"/surveys/{SLUG}", {"csrf_token": TOKEN.search(html).group(1)})
        self.path = urllib.parse.urlsplit(location).path

    def answers(self, html):
        """This family's own answers to the page: a random choice for each question, its own words."""
        fields = {"csrf_token": TOKEN.search(html).group(1)}
        choices = {}
        for name, kind, value in CHOICE.findall(html):
            choices.setdefault((name, kind), []).append(value)
        for (name, kind), values in choices.items():
            if self.rng.random() < 0.1:
                continue  # left unanswered
            fields[name] = self.rng.sample(values, self.rng.randint(1, 3)) if kind == "checkbox" else self.rng.choice(values)
        for name in TEXTAREA.findall(html):
            fields[name] = f"{self.rng.choice(WORDS)}, {self.rng.choice(WORDS)} ({self.rng.randint(1, 10**6)})"
        for name in TEXT_INPUT.findall(html):
            fields[name] = str(self.rng.randint(0, 20))
        return fields

    def step(self, timings):
        """GET this family's current page and POST its answers; then on to the next page."""
        if self.path is None or "/pages/" not in self.path:
            self.start()
            return
        status, _, html, took = self.request("GET", self.path)
        timings["GET"].append(took) if status == 200 else timings["errors"].append(status)
        if status != 200:
            self.path = None
            return
        status, location, _, took = self.request("POST", self.path, self.answers(html))
        timings["POST"].append(took) if status == 302 else timings["errors"].append(status)
        self.path = urllib.parse.urlsplit(location).path if status == 302 else None


def _realistic_client(port, families, seconds, seed, barrier, results):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(seed)
    crowd = [Family(connection, random.Random(rng.random())) for _ in range(families)]
    for family in crowd:
        family.start()
    barrier.wait()  # everyone has started: the trivial route first
    trivial, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        connection.request("GET", "/health/live")
        connection.getresponse().read()
        trivial.append(time.perf_counter() - started)
    barrier.wait()  # then the families, each in turn, page by page
    timings = {"GET": [], "POST": [], "errors": []}
    deadline, turn = time.perf_counter() + seconds, 0
    while time.perf_counter() < deadline:
        crowd[turn % len(crowd)].step(timings)
        turn += 1
    results.put({"trivial": trivial, **timings})


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def server_cpu(folder: Path) -> dict:
    """(method, kind) -> [(cpu seconds, wall seconds)] of every request the workers served."""
    found: dict = {}
    for log in folder.glob("*.log"):
        for line in log.read_text().splitlines():
            method, kind, cpu, wall = line.split()
            found.setdefault((method, kind), []).append((float(cpu), float(wall)))
    return found


def realistic(args):
    cpu_dir = Path(tempfile.mkdtemp(prefix="feedback-bench-cpu-"))
    config = Path(__file__).resolve().parent / "gunicorn_cpu.py"
    per_client = [args.families // args.clients + (i < args.families % args.clients) for i in range(args.clients)]
    env = {"BENCH_CPU_DIR": str(cpu_dir), **({"BENCH_PROFILE": "1"} if args.profile else {})}
    with gunicorn_app(workers=2, seed=True, config=config, env_extra=env) as (port, _):
        barrier = multiprocessing.Barrier(args.clients)
        results = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_realistic_client,
                                         args=(port, n, args.seconds, 1000 + i, barrier, results))
                 for i, n in enumerate(per_client)]
        for proc in procs:
            proc.start()
        totals = [results.get() for _ in procs]
        for proc in procs:
            proc.join()
    merged = {key: [t for total in totals for t in total[key]] for key in ("trivial", "GET", "POST", "errors")}
    cpu = server_cpu(cpu_dir)
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"gunicorn, 2 sync workers, {database}, {args.families} families over {args.clients} client processes "
          f"({args.clients} requests in flight, no pause between them), {args.seconds:.0f} s per phase")
    rows = [("GET /health/live (trivial)", merged["trivial"], ("GET", "trivial")),
            ("GET question page", merged["GET"], ("GET", "page")),
            ("POST answers (save and redirect)", merged["POST"], ("POST", "page"))]
    print(f"{'route':<34}{'n':>7}{'req/s':>8}{'ratio':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'CPU ms':>8}{'req/CPU-s':>10}{'ratio':>7}")
    base = base_cpu = None
    for label, times, key in rows:
        rate = args.clients / statistics.fmean(times) if times else float("nan")
        cpu_ms = 1000 * statistics.fmean(c for c, _ in cpu.get(key, [(float("nan"), 0)]))
        base, base_cpu = (rate, cpu_ms) if base is None else (base, base_cpu)
        print(f"{label:<34}{len(times):>7}{rate:>8.1f}{rate / base:>7.2f}{1000 * percentile(times, .5):>8.1f}"
              f"{1000 * percentile(times, .95):>8.1f}{1000 * percentile(times, .99):>8.1f}{cpu_ms:>8.2f}"
              f"{1000 / cpu_ms:>10.1f}{base_cpu / cpu_ms:>7.2f}")
    if args.profile:
        import pstats

        profiles = [str(path) for path in cpu_dir.glob("*.prof")]
        if profiles:
            print("\nWhere question-page requests (GET and POST) spent their time in the gunicorn workers "
                  "(cProfile; the figures above include its overhead):")
            stats = pstats.Stats(*profiles).strip_dirs()
            stats.sort_stats("tottime").print_stats(20)
            stats.sort_stats("cumulative").print_stats(30)
    print(f"refused or unexpected (status 200 on a POST: a required answer left out, shown again): "
          f"{len(merged['errors'])} {sorted(set(merged['errors']))}; trivial route measured directly: "
          f"{len(merged['trivial']) / args.seconds:.1f} requests/s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--realistic", action="store_true", help="many families, own answers, pages in order")
    parser.add_argument("--families", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="realistic mode: cProfile the question pages in gunicorn")
    args = parser.parse_args()
    if args.realistic:
        return realistic(args)
    with gunicorn_app(workers=2, seed=True) as (port, _):
        survey_requests_per_second(port, "GET", 1, args.clients)  # warm up
        trivial, trivial_errors = requests_per_second(port, "/health/live", seconds=args.seconds, clients=args.clients)
        get, get_errors = survey_requests_per_second(port, "GET", args.seconds, args.clients)
        post, post_errors = survey_requests_per_second(port, "POST", args.seconds, args.clients)
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres") else "SQLite"
    print("gunicorn, 2 sync workers, %s, %d client processes, %.0f s per route" % (database, args.clients, args.seconds))
    print(f"{'route':<34}{'requests/s':>12}{'errors':>8}{'ratio':>8}")
    print(f"{'GET /health/live (trivial)':<34}{trivial:>12.1f}{trivial_errors:>8}{1:>8.2f}")
    print(f"{'GET question page':<34}{get:>12.1f}{get_errors:>8}{get / trivial:>8.2f}")
    print(f"{'POST answers (save and redirect)':<34}{post:>12.1f}{post_errors:>8}{post / trivial:>8.2f}")


if __name__ == "__main__":
    main()
