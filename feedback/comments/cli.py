"""Analysis commands: analyse (re-analyse what is stale), analyse-text, worker."""

import json
import os
import sys

import click
from flask import current_app

from .. import outbox


def register_analysis_cli(app):
    @app.cli.command("analyse")
    @click.option("--batch-size", default=500, show_default=True, help="Answers analysed per transaction")
    def analyse(batch_size):
        """Analyse free-text answers that are new or stale (after a taxonomy or analyser change).

        Safe to stop and run again: each batch is saved as it finishes."""
        from .services import analyse_stale, count_stale, seed_taxonomy

        seed_taxonomy()
        total = count_stale()
        if not total:
            click.echo("Nothing to analyse: every answer is up to date.")
            return
        with click.progressbar(length=total, label=f"Analysing {total} answers", file=sys.stderr) as bar:
            done = analyse_stale(batch_size, progress=bar.update)
        click.echo(f"Analysed {done} answers.")

    @app.cli.command("analyse-text")
    @click.option("--include-text", is_flag=True,
                  help="Also print each original, unredacted comment (for a safeguarding lead only)")
    @click.option("--workers", type=click.IntRange(1, 16), default=None,
                  help="Processes to analyse in (default: one per core, at most 2)")
    def analyse_text(include_text, workers):
        """Read one comment a line on stdin; write one JSON object a line (seeded taxonomy).

        The output holds no personal detail: the redacted text, and safeguarding matches
        redacted too, unless --include-text is given."""
        from ..analysis.parallel import analyse_to_json_lines

        workers = workers or min(2, os.cpu_count() or 1)
        lines = (line.rstrip("\n") for line in sys.stdin)
        out = sys.stdout
        for line in analyse_to_json_lines(lines, workers=workers, include_text=include_text):
            out.write(line)
            out.write("\n")

    @app.cli.command("cqi")
    @click.option("--survey", "slug", required=True, help="A wave's slug, or the series key its waves share")
    @click.option("--wave", "wave_label", help="The wave's label (default: the latest wave)")
    def cqi(slug, wave_label):
        """Print the communication-quality indicator of a survey wave as JSON, with its
        breakdown by locality and respondent type (disclosure control applied)."""
        from sqlalchemy import select

        from ..extensions import db
        from ..models import Survey
        from ..results.services import previous_wave, wave_result

        waves = db.session.scalars(
            select(Survey).where((Survey.slug == slug) | (Survey.series_key == slug)).order_by(Survey.wave_number)
        ).all()
        if wave_label:
            waves = [w for w in waves if w.wave_label == wave_label]
        if not waves:
            raise click.ClickException(f"No survey wave matches {slug!r}" + (f" and {wave_label!r}" if wave_label else ""))
        survey = next((w for w in waves if w.slug == slug), waves[-1])
        click.echo(json.dumps(indicator_report(survey, wave_result(survey), previous_wave(survey, staff_tool=True)), indent=2))

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty")
    def worker(burst):
        """Run an RQ worker for the analysis queue (needs REDIS_URL)."""
        from redis import Redis
        from rq import SimpleWorker

        from ..jobs import QUEUE

        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException("Set REDIS_URL to run a worker; without it, analysis runs inline.")
        # Events left waiting while no worker ran (or whose job was lost) are done first.
        outbox.process_waiting()
        connection = Redis.from_url(current_app.config["REDIS_URL"])
        # SimpleWorker runs jobs in this process, inside the app context this command has.
        SimpleWorker([QUEUE], connection=connection).work(burst=burst)


def _cqi(view) -> dict:
    """A view's indicator (a withheld one when there is no view: too few responses)."""
    cqi = view.cqi.to_dict() if view is not None and view.cqi is not None else {"withheld": "fewer_than_10"}
    return {key: cqi.get(key) for key in ("value", "low", "high", "band", "withheld", "method_version")}


def indicator_report(survey, result, previous) -> dict:
    """The CQI of one wave (its released `Result`): headline, change from the previous wave,
    and breakdowns."""
    from ..analysis.indicator import IndicatorResult, compare_waves
    from ..results.services import wave_result

    views = result.views
    headline = _cqi(views.get("all"))
    report = {
        "survey": survey.slug, "title": survey.title, "wave": survey.wave_label, "responses": result.n,
        **headline, "change_from_previous_wave": None,
        "breakdown": {"locality": [], "respondent_type": []},
    }
    if previous is not None:
        before = _cqi(wave_result(previous).views.get("all"))
        if before["value"] is not None and headline["value"] is not None:
            as_result = lambda c: IndicatorResult(c["value"], c["low"], c["high"], 0, False, c["band"], c["method_version"], None, None)  # noqa: E731
            change = compare_waves(as_result(before), as_result(headline))
            report["change_from_previous_wave"] = {
                "previous_wave": previous.wave_label, "previous_value": before["value"], "delta": change.delta,
                "intervals_overlap": change.intervals_overlap, "significant": change.significant,
            }
    for dimension in result.dimensions:
        if dimension.key in report["breakdown"]:
            for group in dimension.groups:
                view = views.get(f"{dimension.key}:{group.key}")
                report["breakdown"][dimension.key].append(
                    {"group": group.label, "responses": view.n if view is not None else None, **_cqi(view)})
    return report
