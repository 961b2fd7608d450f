"""Where a question page's time goes: cProfile over question-page GETs and save POSTs made
in-process (Flask's test client, a fresh response per simulated family, each with its own
answers), on a seeded demo database.

    .venv/bin/python bench/profile_question_page.py [--families 50] [--top 25]

SQLite in a temporary folder by default; BENCH_DATABASE_URL for an empty PostgreSQL database.
Prints milliseconds per request (a question page also drawn in full, without the page frames
and field skeletons of responses/rendering.py, for comparison) and the functions with the most time of their own and in
total; also the number of SQL statements and of Python function calls per request (on a
machine busy with other work, compare CPU time and calls, not wall time).
"""

import argparse
import cProfile
import os
import pstats
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from feedback import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402

SLUG = "communication-with-the-send-service-wave-4"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def app_on_seeded_database():
    tmp = tempfile.mkdtemp(prefix="feedback-profile-")
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/profile.db")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "FEEDBACK_ENV": "development", "RATELIMIT_ENABLED": False,
                      "INSTANCE_PATH": tmp, "SECRET_KEY": "profile-only"})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


def family(app, rng):
    """A family that has started a response; returns (client, page-1 field names and choices)."""
    client = app.test_client()
    page = client.get(f"/surveys/{SLUG}")
    client.post(f"/surveys/{SLUG}", data={"csrf_token": TOKEN.search(page.text).group(1)})
    html = client.get(f"/surveys/{SLUG}/pages/1").text
    fields = {}
    for name, value in re.findall(r'name="(q\d+)"[^>]*value="([^"]*)"', html):
        fields.setdefault(name, []).append(value)
    return client, {name: rng.choice(values) for name, values in fields.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    app = app_on_seeded_database()
    rng = random.Random(7)
    families = [family(app, rng) for _ in range(args.families)]
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    tokens = [TOKEN.search(client.get(f"/surveys/{SLUG}/pages/1").text).group(1) for client, _ in families]
    # Without the profiler first: the time a request takes in-process (the trivial route too).
    plain = {}
    for label, method, path in (("trivial route", "GET", "/health/live"),
                                ("GET question page", "GET", f"/surveys/{SLUG}/pages/1"),
                                ("GET, drawn in full", "GET", f"/surveys/{SLUG}/pages/1"),
                                ("POST save answers", "POST", f"/surveys/{SLUG}/pages/1")):
        # "drawn in full": without the page frames and field skeletons (responses/rendering.py)
        app.config["QUESTION_PAGE_SHORTCUTS"] = label != "GET, drawn in full"
        started, cpu = time.perf_counter(), time.process_time()
        for (client, answers), token in zip(families, tokens):
            if method == "GET":
                client.get(path)
            else:
                client.post(path, data={**answers, "csrf_token": token})
        plain[label] = (1000 * (time.perf_counter() - started) / len(families),
                        1000 * (time.process_time() - cpu) / len(families))
    for label, (wall, cpu) in plain.items():
        print(f"{label:<20} {wall:6.2f} ms wall, {cpu:6.2f} ms CPU per request "
              f"({plain['trivial route'][1] / cpu:.2f} of the trivial route by CPU)")
    for label, method in (("GET question page", "GET"), ("POST save answers", "POST")):
        profiler = cProfile.Profile()
        statements.clear()
        started = time.perf_counter()
        profiler.enable()
        for (client, answers), token in zip(families, tokens):
            if method == "GET":
                response = client.get(f"/surveys/{SLUG}/pages/1")
                assert response.status_code == 200
            else:
                response = client.post(f"/surveys/{SLUG}/pages/1", data={**answers, "csrf_token": token})
                assert response.status_code == 302, response.status_code
        profiler.disable()
        elapsed = time.perf_counter() - started
        stats = pstats.Stats(profiler).strip_dirs()
        print(f"\n== {label}: {1000 * elapsed / len(families):.1f} ms per request (wall, in-process, under "
              f"cProfile); {len(statements) / len(families):.1f} SQL statements and "
              f"{stats.total_calls / len(families):,.0f} Python function calls per request")
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
