"""Memory of one app process under hostile posts (finding 4 of the penetration test).

    .venv/bin/python bench/memory_hostile_posts.py [--posts 160]

In-process, on SQLite in a temporary folder: a survey with one free-text question
(at most 2,000 characters); a family's session posts (1) bodies of 2 MB, refused with a 413
before they are read, and (2) answers of 200 KB, under the body limit but too long, refused
by the field. Prints the resident memory (VmRSS) before and after each round. Before the
fix, 160 posts of 2 MB took a gunicorn worker from 499 MB to 1,122 MB, and it stayed.
"""

import argparse
import re
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from feedback import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import Role, User  # noqa: E402
from feedback.surveys import services  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=160)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="feedback-memory-"))
    app = create_app({"FEEDBACK_ENV": "testing", "TESTING": False, "SECRET_KEY": "b" * 40, "INSTANCE_PATH": folder,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        staff = User(email="bench@example.org", display_name="Bench", role=Role.STAFF)
        db.session.add(staff)
        db.session.commit()
        now = datetime.now(timezone.utc)
        survey = services.create_survey(
            staff, title="Memory", purpose="Bench", audience="both", service_area="EHCP", wave_label="1",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30), anonymous=True,
            privacy_text="Anonymous.", estimated_minutes=5, retention_days=730)
        services.add_question(survey, staff, kind="free_text", text="What would help?", page=1)
        services.open_survey(survey, staff, override_reason="Benchmark")
        slug, field = survey.slug, f"q{survey.questions[0].id}"
    client = app.test_client()
    client.post(f"/surveys/{slug}", data={"csrf_token": token(client.get(f"/surveys/{slug}").text)})
    url = f"/surveys/{slug}/pages/1"
    csrf = token(client.get(url).text)
    print(f"posts per round: {args.posts}; MAX_CONTENT_LENGTH {app.config.get('MAX_CONTENT_LENGTH')} bytes")
    print(f"resident memory at start: {rss_mb():.0f} MB")
    for label, size in (("2 MB bodies", 2 * 1024 * 1024), ("200 KB answers too long for the field", 200 * 1024)):
        before = rss_mb()
        statuses = set()
        for n in range(args.posts):
            answer = f"{n}-" + "x" * size
            statuses.add(client.post(url, data={"csrf_token": csrf, field: answer}).status_code)
        print(f"{label}: statuses {sorted(statuses)}; resident memory {before:.0f} MB -> {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
