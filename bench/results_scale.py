"""Results at scale: seed one wave with N responses (default 100,000, about 1.5 million
answers) on SQLite and PostgreSQL, then time the results page and the API.

    python bench/results_scale.py                      # both databases, 100,000 responses
    python bench/results_scale.py --responses 20000 --database sqlite

PostgreSQL: a scratch database is created and dropped on BENCH_POSTGRES_URL
(default postgresql://postgres@127.0.0.1/postgres). Aim: p95 under 300 ms on PostgreSQL.
Redis: the first view after new responses is timed with the RQ queue too, on a scratch queue
at BENCH_REDIS_URL (default redis://127.0.0.1:6379/15); skipped when Redis is not there.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from feedback import create_app, jobs  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import (  # noqa: E402
    Answer,
    Question,
    Release,
    Response,
    Role,
    Survey,
    TextAnalysis,
    Theme,
    ThemeAssignment,
    User,
)
from feedback.surveys.kinds import kind_named  # noqa: E402
from feedback.results import services  # noqa: E402

PASSWORD = "correct horse battery staple"
LIKERT = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
LOCALITIES = ["Breckland", "Broadland", "Great Yarmouth", "King's Lynn and West Norfolk", "North Norfolk",
              "Norwich", "South Norfolk", None]
QUESTIONS = [
    ("likert5", "I know who to contact", ["communication"]), ("likert5", "I am kept informed", ["communication"]),
    ("likert5", "I feel listened to", ["communication"]), ("likert5", "Information is easy to understand", []),
    ("likert5", "I get a reply in good time", ["communication"]), ("yes_no", "Did you get a reply?", ["communication"]),
    ("rating", "Rate communication overall", ["communication"]), ("single_choice", "How should we keep in touch?", []),
    ("multi_choice", "Which services have you used?", []), ("number", "How many times did you chase?", []),
    ("date", "When did you last contact us?", []), ("free_text", "What would make it better?", ["communication"]),
    ("free_text", "Anything else?", []),
]
CONTACT = ["Email", "Phone call", "Letter", "Text message", "Through my child's school"]
SERVICES = ["EHCP team", "Educational psychology", "CAMHS", "Speech and language therapy", "Short breaks", "Transport"]


def make_database(kind: str) -> tuple[str, callable]:
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="results-bench-")) / "bench.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    base = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/postgres")
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"results_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.rsplit("/", 1)[0] + "/" + name, drop


def seed(n: int) -> Survey:
    """One open wave with n responses: bulk inserts (COPY on PostgreSQL, executemany on SQLite)."""
    rng = random.Random(2026)
    staff = User(email="bench@example.org", display_name="Bench", role=Role.STAFF)
    staff.set_password(PASSWORD)
    db.session.add(staff)
    now = datetime.now(timezone.utc)
    survey = Survey(slug="bench", short_code="bench", series_key="bench", wave_number=1, wave_label="Bench wave",
                    title="Communication with the SEND service", purpose="Bench", audience="both",
                    service_area="EHCP", status="open", opens_at=now - timedelta(days=60),
                    closes_at=now + timedelta(days=30), privacy_text="Bench")
    db.session.add(survey)
    db.session.flush()
    questions = []
    for position, (kind, text, dimensions) in enumerate(QUESTIONS, start=1):
        options = CONTACT if kind == "single_choice" else SERVICES if kind == "multi_choice" else []
        q = Question(survey_id=survey.id, position=position, kind=kind, text=text, options=options,
                     dimensions=dimensions, allow_dont_know=kind in ("likert5", "yes_no", "rating"))
        db.session.add(q)
        questions.append(q)
    themes = [Theme(name=name) for name in ("Communication", "EHCP process and timeliness", "Being listened to")]
    db.session.add_all(themes)
    db.session.flush()
    survey_id, theme_ids = survey.id, [t.id for t in themes]
    question_ids = [(q.id, q.kind) for q in questions]
    db.session.commit()

    responses, answers, analyses, assignments = [], [], [], []
    answer_id = analysis_id = 0
    start = now - timedelta(days=60)
    for response_id in range(1, n + 1):
        good = rng.random() < 0.55
        submitted = start + timedelta(seconds=rng.random() * 59 * 86400)
        responses.append((response_id, survey_id, "submitted", rng.choices(["online", "phone", "paper", "event"],
                                                                             [20, 2, 2, 1])[0],
                          rng.choice(["parent_carer"] * 7 + ["young_person"] * 2 + ["professional"]),
                          rng.choice(LOCALITIES), rng.random() < 0.6, True, submitted, submitted, submitted))
        for question_id, kind in question_ids:
            rows = []
            if kind == "likert5":
                value = "dont_know" if rng.random() < 0.05 else rng.choice(LIKERT[:3] if good else LIKERT[2:])
                rows.append((value, {v: 5 - i for i, v in enumerate(LIKERT)}.get(value)))
            elif kind == "yes_no":
                rows.append(("yes", 1.0) if good else ("no", 0.0))
            elif kind == "rating":
                score = rng.randint(6, 10) if good else rng.randint(0, 6)
                rows.append((str(score), float(score)))
            elif kind == "single_choice":
                rows.append((rng.choice(CONTACT), None))
            elif kind == "multi_choice":
                rows += [(option, None) for option in rng.sample(SERVICES, rng.randint(2, 4))]
            elif kind == "number":
                chased = rng.randint(0, 3) if good else rng.randint(1, 12)
                rows.append((str(chased), float(chased)))
            elif kind == "date":
                rows.append(((submitted - timedelta(days=rng.randint(1, 90))).date().isoformat(), None))
            elif kind == "free_text" and rng.random() < 0.5:
                rows.append(("The caseworker rang back quickly." if good else "Nobody replied to my emails.", None))
            for value, number in rows:
                answer_id += 1
                answers.append((answer_id, response_id, question_id, value, number, kind_named(kind).slot(None, value)))
                if kind == "free_text":
                    analysis_id += 1
                    polarity = 0.6 if good else -0.6
                    analyses.append((analysis_id, "answer", answer_id, survey_id, question_id, polarity,
                                     "positive" if good else "negative", value, False, "bench", "bench",
                                     "[]", submitted))
                    assignments.append((analysis_id, analysis_id, rng.choice(theme_ids), 0.8, False))
    _bulk_insert(Response.__table__, ["id", "survey_id", "status", "channel", "respondent_type", "locality",
                                      "consent_to_quote", "about_you_done", "started_at", "updated_at",
                                      "submitted_at"], responses)
    _bulk_insert(Answer.__table__, ["id", "response_id", "question_id", "value", "number", "slot"], answers)
    _bulk_insert(TextAnalysis.__table__, ["id", "source_type", "source_id", "survey_id", "question_id", "polarity",
                                          "label", "redacted_text", "safeguarding_flagged", "analyser_version",
                                          "taxonomy_version", "explanation", "analysed_at"], analyses)
    _bulk_insert(ThemeAssignment.__table__, ["id", "analysis_id", "theme_id", "score", "by_staff"], assignments)
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            for table in ("response", "answer", "text_analysis", "theme_assignment"):
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                           f"(SELECT max(id) FROM {table}))"))
            connection.execute(sa.text("ANALYZE"))
    return db.session.get(Survey, survey_id), len(answers)


def _bulk_insert(table, columns: list[str], rows: list[tuple]) -> None:
    if db.engine.dialect.name == "postgresql":
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    with db.engine.begin() as connection:
        for start in range(0, len(rows), 50_000):
            chunk = rows[start:start + 50_000]
            connection.execute(insert(table), [dict(zip(columns, row)) for row in chunk])


def timed(client, url: str, repeats: int, headers=None) -> list[float]:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        response = client.get(url, headers=headers or {})
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def mark_stale(app) -> None:
    """Make the next release due, as ten new responses would: the last release is made to
    count ten fewer (seeding ten real ones would change the wave being timed)."""
    with app.app_context():
        db.session.execute(sa.update(Release).values(n=Release.n - 10))
        db.session.commit()


def with_queue(app, client, url: str) -> tuple[float, float, float] | None:
    """With REDIS_URL set: the first view after a new response (the last figures are shown and
    one rebuild is queued), the rebuild in an RQ worker, and the view after it."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    connection = Redis.from_url(redis_url, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except Exception:
        return None
    jobs.QUEUE = f"bench-results-{uuid.uuid4().hex[:8]}"  # a scratch queue: no one else's jobs
    app.config["REDIS_URL"] = redis_url
    try:
        mark_stale(app)
        stale_view = timed(client, url, 1)[0]
        queue = Queue(jobs.QUEUE, connection=connection)
        assert queue.count == 1, "the view should have queued one rebuild"
        with app.app_context():
            began = time.perf_counter()
            SimpleWorker([queue], connection=connection).work(burst=True, logging_level="WARNING")
            job = (time.perf_counter() - began) * 1000
            assert db.session.scalar(sa.select(sa.func.max(Release.number))) >= 3, "the worker made nothing"
        next_view = timed(client, url, 1)[0]
        return stale_view, job, next_view
    finally:
        app.config["REDIS_URL"] = None
        Queue(jobs.QUEUE, connection=connection).delete(delete_jobs=True)
        for pattern in (f"{jobs.QUEUE}:*", f"rq:*:{jobs.QUEUE}"):  # locks, and RQ's registries
            for key in connection.scan_iter(pattern):
                connection.delete(key)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(kind: str, n: int, repeats: int) -> list[str]:
    url, drop = make_database(kind)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "FEEDBACK_ENV": "testing",
                          "SECRET_KEY": "bench-" + "x" * 32, "INSTANCE_PATH": tempfile.mkdtemp(),
                          "RESULTS_RELEASE_MIN_SECONDS": 0})
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            survey, n_answers = seed(n)
            seeded = time.perf_counter() - began
            survey_id = survey.id
            began = time.perf_counter()
            services.wave_results(survey)
            build = (time.perf_counter() - began) * 1000
            from feedback.api.services import create_token

            staff = db.session.scalar(sa.select(User))
            _, token = create_token(staff, "bench")
            db.session.remove()
        client = app.test_client()
        page = client.get("/sign-in")
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert found, f"sign-in page has no form ({page.status_code})"
        csrf = found.group(1)
        client.post("/sign-in", data={"email": "bench@example.org", "password": PASSWORD, "csrf_token": csrf})
        page_times = timed(client, f"/results/{survey_id}", repeats)
        filtered = timed(client, f"/results/{survey_id}?view=locality:Norwich", repeats)
        headers = {"Authorization": f"Bearer {token}"}
        api_times = timed(client, f"/api/v1/surveys/{survey_id}/results", repeats, headers)
        # A new response marks the snapshot stale; without a queue the next view rebuilds it.
        mark_stale(app)
        rebuild = timed(client, f"/results/{survey_id}", 1)[0]
        queued = with_queue(app, client, f"/results/{survey_id}")
        lines = [
            f"{kind}: {n:,} responses, {n_answers:,} answers seeded in {seeded:.1f} s",
            f"  build results from the database (GROUP BY + suppression): {build:,.0f} ms",
            f"  results page (cached)      median {statistics.median(page_times):6.1f} ms   p95 {p95(page_times):6.1f} ms"
            f"   ({repeats} requests)",
            f"  results page, one locality median {statistics.median(filtered):6.1f} ms   p95 {p95(filtered):6.1f} ms",
            f"  API wave results           median {statistics.median(api_times):6.1f} ms   p95 {p95(api_times):6.1f} ms",
            f"  first view after a new response, no queue (rebuild + page): {rebuild:,.0f} ms",
        ]
        if queued is None:
            lines.append("  first view after a new response, with the queue: skipped (no Redis at BENCH_REDIS_URL)")
        else:
            stale_view, job, next_view = queued
            lines += [
                f"  first view after a new response, with the queue (last figures + page): {stale_view:,.1f} ms",
                f"    rebuilt by the worker in {job:,.0f} ms; the view after that {next_view:,.1f} ms",
            ]
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return lines
    finally:
        drop()


def main() -> int:
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    for kind in kinds:
        for line in run(kind, args.responses, args.requests):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
