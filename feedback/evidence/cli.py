"""`flask --app feedback evidence-pack`: build the evidence pack as a PDF from the command line."""

from datetime import date
from pathlib import Path

import click

from . import pack
from .log import EvidenceError


def _date(ctx, param, value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the form YYYY-MM-DD, for example 2026-03-31") from None


def register_evidence_cli(app):
    @app.cli.command("evidence-pack")
    @click.option("--from", "start", required=True, callback=_date, help="First day of the period, YYYY-MM-DD")
    @click.option("--to", "end", required=True, callback=_date, help="Last day of the period, YYYY-MM-DD")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="PDF file to write")
    def evidence_pack(start, end, out):
        """Write the evidence pack for a period as a PDF."""
        try:
            built = pack.build_pack(start, end)
        except EvidenceError as error:
            raise click.ClickException(str(error)) from None
        with app.test_request_context():
            document = pack.render_pack_pdf(built)
        Path(out).write_bytes(document)
        click.echo(f"Evidence pack for {start.isoformat()} to {end.isoformat()} written to {out} "
                   f"({len(document):,} bytes).")
