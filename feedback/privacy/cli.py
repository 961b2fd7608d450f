"""The purge-expired command, run every night by the scheduler (see docs/deploy.md)."""

import click


def register_privacy_cli(app):
    @app.cli.command("purge-expired")
    @click.option("--dry-run", is_flag=True, help="Say what would be purged; change nothing")
    def purge_expired_command(dry_run):
        """Anonymise responses past their survey's retention period and delete unfinished
        responses not touched for RESUME_DAYS days. Each step is logged and audited."""
        from .services import purge_expired

        report = purge_expired(dry_run=dry_run)
        for line in report.lines():
            click.echo(line)
