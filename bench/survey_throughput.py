"""Throughput of a survey question page (GET) and saving an answer (POST) under gunicorn
(2 workers), against the trivial route /health/live in the same app and run.

    .venv/bin/python bench/survey_throughput.py [--seconds 5] [--clients 4]

On SQLite in a temporary folder by default; set BENCH_DATABASE_URL to an empty PostgreSQL
database to measure that instead.

Each client process starts its own response (as a family would), then repeats the request.
Prints requests/s and the ratio to the trivial route.
"""

import argparse
import http.client
import os
import re
import time
import urllib.parse

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
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
