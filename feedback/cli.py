"""Flask commands: create-admin, seed-demo (each feature's demo data, listed in `demo_seeders`),
open-close-due (waves open and close at their dates) and outbox (follow-on work still waiting)."""

import secrets
from datetime import timezone
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from . import outbox
from .extensions import db
from .models import Membership, MembershipRole, Organisation, OrganisationKind, Role, User
from .text import slugify

DEMO_ORGANISATIONS = [
    ("Norfolk SEND team", OrganisationKind.COUNCIL_TEAM,
     "The council's special educational needs and disabilities service."),
    ("Family Voice Norfolk", OrganisationKind.PARENT_CARER_FORUM,
     "Norfolk's parent carer forum: the strategic voice of families of children with SEND."),
    ("SENsational Families", OrganisationKind.PARENT_GROUP,
     "A parent-led charity offering peer support to families of children with SEND."),
    ("Norfolk Youth Forum", OrganisationKind.YOUTH_FORUM,
     "Young people with SEND aged 13 to 25 who advise the council."),
]

# (email, name, role, organisation, membership role)
DEMO_USERS = [
    ("admin@example.org", "Alex Admin", Role.ADMIN, "Norfolk SEND team", MembershipRole.LEAD),
    ("staff@example.org", "Sam Staff", Role.STAFF, "Norfolk SEND team", MembershipRole.MEMBER),
    ("forum@example.org", "Fran Forum", Role.FORUM_MEMBER, "Family Voice Norfolk", MembershipRole.LEAD),
    ("parents@example.org", "Pat Parent", Role.FORUM_MEMBER, "SENsational Families", MembershipRole.LEAD),
    ("youth@example.org", "Jay", Role.YOUTH_MEMBER, "Norfolk Youth Forum", MembershipRole.LEAD),
]

def demo_seeders():
    """Each feature's demo data, in the order they build on each other. Each seeder must be
    safe to run twice. Imported here, when seed-demo runs, so no feature registers itself."""
    from .comments.views import analyse_demo_comments
    from .evidence.demo import seed_demo_evidence
    from .ideas.services import seed_demo_ideas
    from .responses.demo import seed_demo_contact_requests
    from .results.demo import seed_demo_results
    from .surveys.demo import seed_demo_surveys

    return (
        seed_demo_ideas,  # Youth Forum ideas in every status
        seed_demo_surveys,  # four waves of one survey, with responses
        seed_demo_results,  # "You said, we did" actions (linked to ideas) and public summaries of the waves
        seed_demo_contact_requests,  # on the closed waves' responses
        seed_demo_evidence,  # co-design records, stages of participation, off-platform co-production, a cohort
        analyse_demo_comments,  # the taxonomy, then every demo comment analysed
    )


def seed_organisations() -> dict[str, Organisation]:
    found = {}
    for name, kind, description in DEMO_ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if organisation is None:
            organisation = Organisation(name=name, slug=slugify(name), kind=kind, description=description)
            db.session.add(organisation)
        found[name] = organisation
    db.session.flush()
    return found


def seed_users(organisations: dict[str, Organisation]) -> list[tuple[str, str, str]]:
    created = []
    for email, name, role, organisation, membership_role in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is not None:
            continue
        password = secrets.token_urlsafe(9)
        user = User(email=email, display_name=name, role=role, safeguarding_lead=role == Role.ADMIN)
        user.set_password(password)
        db.session.add(user)
        db.session.add(Membership(user=user, organisation=organisations[organisation], role=membership_role))
        created.append((role.label, email, password))
    return created


def register_cli(app):
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True)
    @click.password_option()
    def create_admin(email, name, password):
        """Create an admin who can sign in and invite everyone else."""
        from .accounts.forms import MIN_PASSWORD_LENGTH
        from .accounts.services import find_user_by_email, normalise_email

        if len(password) < MIN_PASSWORD_LENGTH:
            raise click.ClickException(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
        if find_user_by_email(email) is not None:
            raise click.ClickException(f"There is already an account for {email}")
        user = User(email=normalise_email(email), display_name=name, role=Role.ADMIN, safeguarding_lead=True)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"Admin {email} created.")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Add demo organisations, one user per role and each feature's demo data (if absent)."""
        if current_app.config["FEEDBACK_ENV"] == "production":
            raise click.ClickException("seed-demo is for local use and refuses to run in production")
        organisations = seed_organisations()
        created = seed_users(organisations)
        db.session.commit()
        for seeder in demo_seeders():
            seeder()
            db.session.commit()
        if created:
            lines = [f"{role:<13} {email:<22} {password}" for role, email, password in created]
            Path(current_app.instance_path, "demo-users.txt").write_text(
                "Demo users (local use only)\n" + "\n".join(lines) + "\n"
            )
            click.echo("Demo users created (also saved in instance/demo-users.txt):")
            for line in lines:
                click.echo("  " + line)
        else:
            click.echo("Demo data already present; see instance/demo-users.txt for sign-in details.")

    @app.cli.command("open-close-due")
    @click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]), default=None,
                  help="Act as if it were this UTC time (for checking a schedule); default: now.")
    def open_close_due(now):
        """Open ready waves at their opening date, close open waves at their closing date and
        remind staff the day before a wave closes. Safe to run as often as you like (a timer)."""
        from .surveys.services import open_and_close_due

        run = open_and_close_due(now.replace(tzinfo=timezone.utc) if now else None)
        click.echo(f"Opened {len(run.opened)}, closed {len(run.closed)}, "
                   f"reminded staff of {len(run.reminded)} closing tomorrow.")

    @app.cli.command("db-is-empty")
    def db_is_empty():
        """Exit 0 when there are no users yet (used by `make run` to seed demo data once)."""
        raise SystemExit(0 if db.session.scalar(select(User.id).limit(1)) is None else 1)

    @app.cli.command("outbox")
    def process_outbox():
        """Do the follow-on work of events still waiting in the outbox (a lost job, a failed
        attempt); each event is done once however often this runs. Safe on a timer."""
        click.echo(f"Processed {outbox.process_waiting()} waiting event(s).")
