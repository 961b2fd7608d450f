"""Flask commands: create-admin and seed-demo (features add their own demo data)."""

import secrets
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

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

SEEDERS: list[tuple[int, object]] = []


def demo_seeder(func=None, *, order: int = 50):
    """Later features register their own demo data; each seeder must be safe to run twice.
    Seeders run in `order` (lower first), so one can build on another's data."""

    def register(seeder):
        SEEDERS.append((order, seeder))
        return seeder

    return register(func) if func is not None else register


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
        for _, seeder in sorted(SEEDERS, key=lambda item: item[0]):
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

    @app.cli.command("db-is-empty")
    def db_is_empty():
        """Exit 0 when there are no users yet (used by `make run` to seed demo data once)."""
        raise SystemExit(0 if db.session.scalar(select(User.id).limit(1)) is None else 1)
