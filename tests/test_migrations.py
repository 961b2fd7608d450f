"""Models and migrations never drift, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from feedback.extensions import db


def drift():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrated_database_matches_the_models(app):
    assert drift() == []


def test_migrations_run_down_and_up_again(app):
    downgrade(revision="base")
    upgrade()
    assert drift() == []
