"""The disclosure audit on the demo data: for each closed demo wave, make its release and
print what the audit found, then read every sensitive hidden count's feasible range back
from the release's audit state (the linear programme a reader with every download could
run: hidden counts at least 1, zeros as published, 0 in tables hidden whole).

    python bench/disclosure_audit.py

Then an open wave in releases: 40 responses, ten more at a time (twelve attempts), each
release audited together with every release before it (the read-back is that joint
programme too: every earlier release's hidden counts, differenced with every later one);
one that cannot be protected is withheld until ten more responses have come. For each
release: the seconds its build took and the linear programmes the audit solved and those
earlier solutions made unnecessary. Releases are protected against RESULTS_KNOWN_RESPONSES
known responses (default 5). A throwaway SQLite database; nothing else is touched.
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from feedback import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import Answer, Response, Survey  # noqa: E402
from feedback.surveys.kinds import kind_named, kind_of  # noqa: E402
from feedback.results import releases, services  # noqa: E402
from feedback.results.audit import feasible_ranges, is_sensitive, protection_interval  # noqa: E402


def _tuple(value):
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def ranges_of(release) -> dict:
    """Figures over every family of the release, put together as a reader would (the
    communication questions tied by every release's indicator sums): sensitive hidden
    counts, how many are pinned, the smallest room above and below them."""
    sensitive = pinned = 0
    least_up, least_down = None, None
    threshold = release.audit.get("threshold", 5)
    relations, values, hidden, lower, unreleased = [], {}, set(), {}, set()
    for name, state in release.audit_state.items():
        if "keys" not in state:
            continue
        keys = [(name, tuple(k)) for k in state["keys"]]
        values.update(zip(keys, state["values"]))
        hidden |= {keys[i] for i in state["hidden"]}
        lower.update({keys[i]: v for i, v in state["lower"]})
        unreleased |= {keys[i] for i in state.get("unreleased", ())}
        relations += [(keys[t], tuple(keys[p] for p in parts)) for t, parts in state["relations"]]
    for name, parts in (release.audit_state.get("indicator") or {}).get("sums", ()):
        parts = tuple((f"question:{member}", _tuple(key)) for member, key in parts)
        values[_tuple(name)] = sum(values[p] for p in parts)
        relations.append((_tuple(name), parts))
    targets = [k for k in hidden if k not in unreleased and is_sensitive(values[k], threshold)]
    for key, (low, high) in feasible_ranges(relations, values, hidden, targets=targets, lower=lower).items():
        sensitive += 1
        pinned += high - low < 0.5
        up = high - protection_interval(values[key], threshold)[1]
        down = protection_interval(values[key], threshold)[0] - low
        least_up = up if least_up is None else min(least_up, up)
        least_down = down if least_down is None else min(least_down, down)
    return {"sensitive": sensitive, "pinned": pinned, "least_room_above_threshold": least_up,
            "least_room_below_interval": least_down}


def show(label: str, release, seconds: float, cpu: float) -> None:
    audit = release.audit
    ranges = ranges_of(release)
    print(f"{label}: release {release.number}, {release.n} responses, built and audited in {seconds:.1f} s"
          f" ({cpu:.1f} s CPU)")
    print(f"  threshold {audit.get('threshold', 5)} (5 + {audit['padding'].get('known_responses', 0)} known responses), "
          f"hidden {audit['hidden']}, of them sensitive (below the threshold) {audit['sensitive_hidden']}, "
          f"tables hidden whole {audit['fully_hidden_tables']}, unresolved findings {audit['unresolved']}"
          + (f", audited with releases 1 to {audit['compared_with_release']}" if audit["compared_with_release"] else ""))
    print(f"  LPs solved {audit.get('lps_solved')}, skipped (settled by earlier solutions) {audit.get('lps_skipped')}")
    print(f"  sensitive hidden counts read back (this release and every earlier one): {ranges['sensitive']}, pinned {ranges['pinned']}, "
          f"least room above the threshold {ranges['least_room_above_threshold']}, "
          f"least room below the interval {ranges['least_room_below_interval']}")
    if audit.get("put_off"):
        print(f"  a later release was put off at {audit['put_off']['responses']} responses "
              f"({audit['put_off']['unresolved']} unresolved findings)")


def add_people(survey, rng: random.Random, count: int) -> None:
    questions = sorted(survey.questions, key=lambda q: q.position)
    for _ in range(count):
        response = Response(survey_id=survey.id, status="submitted", channel="online",
                            locality=rng.choice(["Norwich", "Norwich", "Breckland", "Broadland", "South Norfolk"]),
                            respondent_type=rng.choice(["parent_carer", "parent_carer", "young_person"]),
                            about_you_done=True, submitted_at=survey.opens_at + timedelta(days=rng.randint(0, 20)))
        db.session.add(response)
        db.session.flush()
        for q in questions:
            choices = [v for v, _ in kind_of(q).answer_choices(q)]
            if choices and q.kind != "multi_choice":
                value = rng.choice(choices)
                db.session.add(Answer(response_id=response.id, question_id=q.id, value=value,
                                      slot=kind_named(q.kind).slot(q, value)))
    db.session.commit()


def main() -> int:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    url = f"sqlite:///{tempfile.mkdtemp()}/audit.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "FEEDBACK_ENV": "testing",
                      "SECRET_KEY": "bench-" + "x" * 32, "INSTANCE_PATH": tempfile.mkdtemp(),
                      "RESULTS_RELEASE_MIN_SECONDS": 0})
    with app.app_context():
        upgrade()
        app.test_cli_runner().invoke(args=["seed-demo"])
        waves = db.session.scalars(select(Survey).order_by(Survey.wave_number)).all()
        for wave in waves:
            if wave.status != "closed":
                continue
            began, cpu = time.perf_counter(), time.process_time()
            services.make_release(wave.id)
            show(f"{wave.title}, {wave.wave_label}", services.latest_release(wave), time.perf_counter() - began,
                 time.process_time() - cpu)
        open_wave = next(w for w in waves if w.status == "open")
        rng = random.Random(12)
        add_people(open_wave, rng, 40)
        for step in range(12):
            began, cpu = time.perf_counter(), time.process_time()
            made = services.make_release(open_wave.id)
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
            latest = services.latest_release(open_wave)
            if made is None:
                print(f"{open_wave.wave_label}: at {releases.submitted_count(open_wave.id)} responses the release "
                      f"was put off ({latest.audit.get('put_off')})")
            else:
                show(f"{open_wave.wave_label} (open)", made, seconds, cpu)
            add_people(open_wave, rng, 10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
