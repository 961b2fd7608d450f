"""Analysis commands: analyse (re-analyse what is stale), analyse-text, worker."""

import json
import sys

import click
from flask import current_app


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
    def analyse_text():
        """Read one comment a line on stdin; write one JSON object a line (seeded taxonomy)."""
        from ..analysis import analyse_comments, analysis_to_dict

        lines = (line.rstrip("\n") for line in sys.stdin)
        out = sys.stdout
        for analysis in analyse_comments(lines):
            out.write(json.dumps(analysis_to_dict(analysis), ensure_ascii=False))
            out.write("\n")

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty")
    def worker(burst):
        """Run an RQ worker for the analysis queue (needs REDIS_URL)."""
        from redis import Redis
        from rq import SimpleWorker

        from ..jobs import QUEUE

        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException("Set REDIS_URL to run a worker; without it, analysis runs inline.")
        connection = Redis.from_url(current_app.config["REDIS_URL"])
        # SimpleWorker runs jobs in this process, inside the app context this command has.
        SimpleWorker([QUEUE], connection=connection).work(burst=burst)
